/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A stream's decoded pictures for stepping back (picture_cache.h). */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "manager/picture_cache.h"
#include "util/array.h"

const valkka_frame_t *picture_cache_find(const picture_cache_t *c, int64_t pts) {
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->pictures[mid]->mstime < pts)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->n && c->pictures[lo]->mstime == pts ? c->pictures[lo] : NULL;
}

/* Drops picture `i` (its frame freed). */
static void drop(picture_cache_t *c, size_t i) {
  c->bytes -= c->pictures[i]->capacity;
  valkka_frame_free(c->pictures[i]);
  memmove(&c->pictures[i], &c->pictures[i + 1], (c->n - i - 1) * sizeof *c->pictures);
  c->n--;
}

int picture_cache_take(picture_cache_t *c, valkka_frame_t **picture, uint64_t budget) {
  valkka_frame_t *spare = valkka_frame_new(0);
  if (!spare || array_reserve((void **)&c->pictures, &c->cap, c->n + 1, sizeof *c->pictures, 16)) {
    valkka_frame_free(spare);
    return valkka_error_set(VALKKA_ENOMEM, "picture cache: out of memory");
  }
  /* A decoder gives a picture once; one seen again (a GOP decoded anew) replaces its copy. */
  while (c->n && c->pictures[c->n - 1]->mstime >= (*picture)->mstime) drop(c, c->n - 1);
  c->pictures[c->n++] = *picture;
  c->bytes += (*picture)->capacity;
  *picture = spare;
  while (c->n > 1 && c->bytes > budget) drop(c, 0);
  return 0;
}

void picture_cache_clear(picture_cache_t *c) {
  while (c->n) drop(c, c->n - 1);
}

void picture_cache_free(picture_cache_t *c) {
  picture_cache_clear(c);
  free(c->pictures);
  *c = (picture_cache_t){0};
}
