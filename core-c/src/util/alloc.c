/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include <valkka/error.h>

#include "util/alloc.h"

void *alloc_zeroed(size_t size, const char *message) {
  void *object = calloc(1, size);
  if (!object) valkka_error_set(VALKKA_ENOMEM, "%s", message);
  return object;
}
