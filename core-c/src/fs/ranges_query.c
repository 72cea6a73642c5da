/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A stream's recorded ranges (valkka_fs_get_ranges): inside a block from the ranges index, or
 * the table's slot times where the index does not tell that block; between blocks joined when
 * the step from one to the next is no gap (FORMAT.md, "Ranges"). Reads memory only.
 */
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/table.h"

typedef struct joiner {
  bool open;
  fs_range_t cur;
  int64_t from, to;
  valkka_fs_range_t *out;
  uint32_t max, stride, count;
} joiner_t;

static void emit(joiner_t *j) {
  if (!j->open || j->cur.last_ms < j->from || j->cur.first_ms > j->to) return;
  if (j->count < j->max) {
    valkka_fs_range_t full = {0};
    full.first_ms = j->cur.first_ms;
    full.last_ms = j->cur.last_ms;
    full.struct_size = j->stride < sizeof full ? j->stride : (uint32_t)sizeof full;
    memcpy((uint8_t *)j->out + (size_t)j->count * j->stride, &full, full.struct_size);
  }
  j->count++;
}

/* The next stretch of the stream in write order: joined to the open one unless a gap parts them. */
static void push(joiner_t *j, const fs_range_t *r) {
  if (j->open && r->first_ms - j->cur.last_ms <= fs_range_gap_ms(j->cur.interval_ms)) {
    if (r->last_ms > j->cur.last_ms) j->cur.last_ms = r->last_ms;
    if (r->interval_ms) j->cur.interval_ms = r->interval_ms;
    return;
  }
  emit(j);
  j->cur = *r;
  j->open = true;
}

static void push_block(joiner_t *j, const fs_entry_t *e, const fs_ranges_t *g, uint32_t id) {
  if (fs_ranges_match(g, e)) {
    for (uint32_t i = 0; i < g->n; i++)
      if (g->r[i].id == id) push(j, &g->r[i]);
    return;
  }
  for (uint32_t i = 0; i < e->n_streams; i++) {
    const fs_stream_slot_t *s = &e->streams[i];
    if (s->id != id || !s->frames) continue;
    const fs_range_t whole = {id, 0, s->min_ms, s->max_ms};
    push(j, &whole);
  }
}

int valkka_fs_get_ranges(valkka_fs_t *fs, uint32_t stream_id, int64_t from_ms, int64_t to_ms,
                         valkka_fs_range_t *out, uint32_t max) {
  if (!fs || (max && (!out || out[0].struct_size < sizeof(uint32_t))))
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ranges: NULL argument or struct_size 0");
  if (to_ms < from_ms)
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ranges: to %lld before from %lld",
                            (long long)to_ms, (long long)from_ms);
  joiner_t j = {.from = from_ms, .to = to_ms, .out = out, .max = max};
  if (max) j.stride = out[0].struct_size;
  const uint32_t n = fs->layout.n_blocks;
  pthread_mutex_lock(&fs->table_lock);
  /* Write order: the block after the one being written is the oldest. */
  const uint32_t oldest = fs->seq ? (fs->cur + 1) % n : 0;
  for (uint32_t k = 0; k < n; k++) {
    const uint32_t i = (oldest + k) % n;
    if (!fs_entry_is_void(&fs->table[i])) push_block(&j, &fs->table[i], &fs->ranges[i], stream_id);
  }
  pthread_mutex_unlock(&fs->table_lock);
  emit(&j);
  return j.count > INT32_MAX ? INT32_MAX : (int)j.count;
}
