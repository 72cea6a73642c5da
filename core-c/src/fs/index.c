/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * getInd / getIndNeigh. Positions count in write order: position 0 is the block after the block
 * being written (the oldest), position n-1 the block being written.
 */
#include <stdlib.h>

#include <valkka/error.h>

#include "fs/index.h"
#include "fs/table.h"
#include "util/array.h"

typedef struct stream_acc {
  uint32_t id;
  int64_t first, last;
  int64_t def_latest; /* latest position whose slot has a keyframe <= t0; -1 when none */
  int64_t at_latest;  /* latest position whose slot has a frame <= t0: the frame at t0 */
} stream_acc_t;

typedef struct acc_set {
  stream_acc_t *items;
  size_t n, cap;
} acc_set_t;

static stream_acc_t *acc_get(acc_set_t *set, uint32_t id) {
  for (size_t i = 0; i < set->n; i++)
    if (set->items[i].id == id) return &set->items[i];
  if (array_reserve((void **)&set->items, &set->cap, set->n + 1, sizeof *set->items, 16))
    return NULL;
  stream_acc_t *a = &set->items[set->n++];
  *a = (stream_acc_t){id, 0, 0, -1, -1};
  return a;
}

static uint32_t block_at(uint32_t n, uint32_t head, int64_t pos) {
  return (uint32_t)((head + 1 + (uint64_t)pos) % n);
}

/*
 * The run [*lo, *hi] in positions; 1 when it is empty, 0 when found, VALKKA_ENOMEM. A stream
 * present at t0 needs its frames from its last keyframe at or before t0 up to its frame at t0 (its
 * last one at or before t0): when t0 falls between two blocks, no block's time range meets it, and
 * the block holding that frame is found as the stream's latest with a frame <= t0.
 */
static int run_bounds(const fs_entry_t *table, uint32_t n, uint32_t head, int64_t t0, int64_t t1,
                      int64_t *lo_out, int64_t *hi_out) {
  acc_set_t set = {0};
  int64_t lo = -1, hi = -1, ov_first = -1, ov_last = -1;
  for (int64_t p = 0; p < n; p++) {
    const fs_entry_t *e = &table[block_at(n, head, p)];
    if (fs_entry_is_void(e)) continue;
    if (e->min_ms <= t1 && e->max_ms >= t0) {
      if (lo < 0) lo = p;
      hi = p;
    }
    /* An OVERFLOW block may hold any present stream unnamed: its keyframe, its frame at t0. */
    if ((e->flags & FS_ENTRY_OVERFLOW) && e->min_kf_ms && e->min_kf_ms <= t0 && ov_first < 0)
      ov_first = p;
    if ((e->flags & FS_ENTRY_OVERFLOW) && e->min_ms <= t0) ov_last = p;
    for (uint32_t i = 0; i < e->n_streams; i++) {
      const fs_stream_slot_t *slot = &e->streams[i];
      stream_acc_t *a = acc_get(&set, slot->id);
      if (!a) {
        free(set.items);
        return valkka_error_set(VALKKA_ENOMEM, "fs index: out of memory");
      }
      if (!a->first || slot->min_ms < a->first) a->first = slot->min_ms;
      if (slot->max_ms > a->last) a->last = slot->max_ms;
      if (slot->min_kf_ms && slot->min_kf_ms <= t0) a->def_latest = p;
      if (slot->min_ms <= t0) a->at_latest = p;
    }
  }
  for (size_t i = 0; i < set.n; i++) {
    const stream_acc_t *a = &set.items[i];
    if (a->first > t0 || a->last < t0) continue; /* not present at t0 */
    int64_t start = a->def_latest >= 0 ? a->def_latest : ov_first;
    if (start < 0) continue; /* its first keyframe comes after t0 */
    int64_t stop = a->def_latest > ov_last ? a->def_latest : ov_last;
    if (a->at_latest > stop) stop = a->at_latest;
    if (lo < 0 || start < lo) lo = start;
    if (stop > hi) hi = stop;
  }
  free(set.items);
  if (lo < 0) return 1;
  *lo_out = lo;
  *hi_out = hi;
  return 0;
}

static int emit(const fs_entry_t *table, uint32_t n, uint32_t head, int64_t lo, int64_t hi,
                uint32_t *out, uint32_t max) {
  int count = 0;
  for (int64_t p = lo; p <= hi; p++) {
    uint32_t b = block_at(n, head, p);
    if (fs_entry_is_void(&table[b])) continue;
    if ((uint32_t)count < max) out[count] = b;
    count++;
  }
  return count;
}

int fs_index_search(const fs_entry_t *table, uint32_t n, uint32_t head, int64_t t0, int64_t t1,
                    uint32_t *out, uint32_t max) {
  int64_t lo, hi;
  if (!n || t1 < t0) return 0;
  int found = run_bounds(table, n, head, t0, t1, &lo, &hi);
  if (found) return found > 0 ? 0 : found;
  return emit(table, n, head, lo, hi, out, max);
}

int fs_index_neigh(const fs_entry_t *table, uint32_t n, uint32_t head, int64_t t, uint32_t k,
                   uint32_t *out, uint32_t max) {
  int64_t lo, hi;
  if (!n) return 0;
  int found = run_bounds(table, n, head, t, t, &lo, &hi);
  if (found) return found > 0 ? 0 : found;
  for (int64_t p = hi + 1; p < n && k > 0; p++) {
    if (fs_entry_is_void(&table[block_at(n, head, p)])) continue;
    hi = p;
    k--;
  }
  return emit(table, n, head, lo, hi, out, max);
}

void fs_index_time_range(const fs_entry_t *table, uint32_t n, int64_t *first, int64_t *last) {
  int64_t lo = 0, hi = 0;
  for (uint32_t b = 0; b < n; b++) {
    const fs_entry_t *e = &table[b];
    if (fs_entry_is_void(e)) continue;
    if (!lo || e->min_ms < lo) lo = e->min_ms;
    if (e->max_ms > hi) hi = e->max_ms;
  }
  *first = lo;
  *last = hi;
}
