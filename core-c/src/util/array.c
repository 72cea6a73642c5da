/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include <valkka/error.h>

#include "util/array.h"

int array_reserve(void **items, size_t *cap, size_t need, size_t item_size, size_t first_cap) {
  if (need <= *cap) return 0;
  size_t grown_cap = *cap ? *cap * 2 : first_cap;
  while (grown_cap < need) grown_cap *= 2;
  void *grown = realloc(*items, grown_cap * item_size);
  if (!grown) return VALKKA_ENOMEM;
  *items = grown;
  *cap = grown_cap;
  return 0;
}

void *array_take(void **items, size_t *n, size_t *cap, size_t *taken) {
  void *array = *items;
  *taken = *n;
  *items = NULL;
  *n = *cap = 0;
  return array;
}
