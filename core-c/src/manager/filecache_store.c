/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>
#include <valkka/frame.h>

#include "manager/filecache_store.h"
#include "util/array.h"

/* CONFIG sorts before ENCODED at the same mstime: the core writes a keyframe's configuration
   with the keyframe's time, and decoding needs it first. */
static int rank(uint32_t kind) { return kind == VALKKA_FRAME_CONFIG ? 0 : 1; }

static int compare(const fc_frame_t *a, int64_t mstime, uint32_t kind) {
  if (a->mstime != mstime) return a->mstime < mstime ? -1 : 1;
  return rank(a->kind) - rank(kind);
}

/* First index whose key is greater than (mstime, kind). */
static size_t upper_bound(const fc_track_t *t, int64_t mstime, uint32_t kind) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (compare(&t->frames[mid], mstime, kind) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

int fc_track_insert(fc_track_t *t, const fc_frame_t *f) {
  size_t at = upper_bound(t, f->mstime, f->kind);
  for (size_t i = at; i > 0 && compare(&t->frames[i - 1], f->mstime, f->kind) == 0; i--)
    if (t->frames[i - 1].size == f->size) return 1;
  if (array_reserve((void **)&t->frames, &t->cap, t->n + 1, sizeof *t->frames, 256))
    return valkka_error_set(VALKKA_ENOMEM, "filecache: out of memory for frames");
  memmove(&t->frames[at + 1], &t->frames[at], (t->n - at) * sizeof *t->frames);
  t->frames[at] = *f;
  t->n++;
  t->bytes += f->size;
  return 0;
}

void fc_track_evict(fc_track_t *t, bool (*keep)(void *user, uint32_t block, uint64_t seq),
                    void *user) {
  size_t out = 0;
  for (size_t i = 0; i < t->n; i++) {
    fc_frame_t *f = &t->frames[i];
    if (keep(user, f->block, f->seq)) {
      t->frames[out++] = *f;
    } else {
      t->bytes -= f->size;
      free(f->data);
    }
  }
  t->n = out;
}

void fc_track_clear(fc_track_t *t) {
  for (size_t i = 0; i < t->n; i++) free(t->frames[i].data);
  free(t->frames);
  *t = (fc_track_t){0};
}

size_t fc_track_last_at(const fc_track_t *t, int64_t time) {
  for (size_t i = upper_bound(t, time, VALKKA_FRAME_ENCODED); i > 0; i--)
    if (t->frames[i - 1].kind == VALKKA_FRAME_ENCODED) return i - 1;
  return FC_NONE;
}

size_t fc_track_encoded_from(const fc_track_t *t, size_t i) {
  for (; i < t->n; i++)
    if (t->frames[i].kind == VALKKA_FRAME_ENCODED) return i;
  return FC_NONE;
}

size_t fc_track_keyframe_before(const fc_track_t *t, size_t i) {
  if (i == FC_NONE || i >= t->n) return FC_NONE;
  for (size_t k = i + 1; k > 0; k--) {
    const fc_frame_t *f = &t->frames[k - 1];
    if (f->kind == VALKKA_FRAME_ENCODED && (f->flags & VALKKA_FRAME_KEYFRAME)) return k - 1;
  }
  return FC_NONE;
}

size_t fc_track_config_before(const fc_track_t *t, size_t i) {
  if (i == FC_NONE || i >= t->n) return FC_NONE;
  for (size_t k = i + 1; k > 0; k--)
    if (t->frames[k - 1].kind == VALKKA_FRAME_CONFIG) return k - 1;
  return FC_NONE;
}

int64_t fc_track_next_after(const fc_track_t *t, int64_t time) {
  for (size_t i = upper_bound(t, time, VALKKA_FRAME_ENCODED); i < t->n; i++)
    if (t->frames[i].kind == VALKKA_FRAME_ENCODED) return t->frames[i].mstime;
  return INT64_MAX;
}
