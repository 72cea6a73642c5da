/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A stream's recorded ranges (valkka_fs_get_ranges): inside a block from the ranges index, or
 * the table's slot times where the index does not tell that block; between blocks joined when
 * the step from one to the next is no gap (FORMAT.md, "Ranges index"). Reads memory only.
 *
 * One pass over the table joins every stream's ranges at once and is kept until the table
 * changes: a timeline asks for each of its lanes in turn, and a day of a large FS is hundreds of
 * thousands of blocks, too many to walk once a lane.
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/table.h"
#include "util/array.h"

typedef struct stream_ranges {
  uint32_t id;
  fs_range_t *r; /* joined, oldest first; the last one still open to joining */
  size_t n, cap;
} stream_ranges_t;

struct fs_ranges_cache {
  /* What the table was when it was built: any change of the table moves one of these. */
  uint64_t seq, cur_seq;
  uint32_t cur, cur_end, cur_records;
  bool valid;
  stream_ranges_t *streams;
  size_t n_streams, cap_streams;
};

/* `*hint`: where the next stream is looked for first. Blocks name their streams in much the same
   order one after another (each camera's frames come round in turn), so it is mostly there. */
static stream_ranges_t *stream_of(fs_ranges_cache_t *c, uint32_t id, size_t *hint) {
  for (size_t k = 0; k < c->n_streams; k++) {
    const size_t i = (*hint + k) % c->n_streams;
    if (c->streams[i].id != id) continue;
    *hint = i + 1;
    return &c->streams[i];
  }
  if (array_reserve((void **)&c->streams, &c->cap_streams, c->n_streams + 1, sizeof *c->streams,
                    16))
    return NULL;
  stream_ranges_t *s = &c->streams[c->n_streams++];
  *hint = c->n_streams;
  memset(s, 0, sizeof *s);
  s->id = id;
  return s;
}

/* The next stretch of the stream in write order: joined to its last one unless a gap parts them. */
static int push(fs_ranges_cache_t *c, const fs_range_t *r, size_t *hint) {
  stream_ranges_t *s = stream_of(c, r->id, hint);
  if (!s) return VALKKA_ENOMEM;
  fs_range_t *last = s->n ? &s->r[s->n - 1] : NULL;
  if (last && r->first_ms - last->last_ms <= fs_range_gap_ms(last->interval_ms)) {
    if (r->last_ms > last->last_ms) last->last_ms = r->last_ms;
    if (r->interval_ms) last->interval_ms = r->interval_ms;
    return 0;
  }
  if (array_reserve((void **)&s->r, &s->cap, s->n + 1, sizeof *s->r, 16)) return VALKKA_ENOMEM;
  s->r[s->n++] = *r;
  return 0;
}

static int push_block(fs_ranges_cache_t *c, const fs_entry_t *e, const fs_ranges_t *g,
                      size_t *hint) {
  int err = 0;
  if (fs_ranges_match(g, e)) {
    for (uint32_t i = 0; i < g->n && !err; i++) err = push(c, &g->r[i], hint);
    return err;
  }
  for (uint32_t i = 0; i < e->n_streams && !err; i++) {
    const fs_stream_slot_t *s = &e->streams[i];
    const fs_range_t whole = {s->id, 0, s->min_ms, s->max_ms};
    if (s->frames) err = push(c, &whole, hint);
  }
  return err;
}

/* Under table_lock: the cache as the table stands. */
static int cache_update(valkka_fs_t *fs, fs_ranges_cache_t *c) {
  const fs_entry_t *head = &fs->table[fs->cur];
  if (c->valid && c->seq == fs->seq && c->cur == fs->cur && c->cur_seq == head->seq &&
      c->cur_end == head->end && c->cur_records == head->records)
    return 0;
  for (size_t i = 0; i < c->n_streams; i++) c->streams[i].n = 0;
  c->valid = false;
  const uint32_t n = fs->layout.n_blocks;
  /* Write order: the block after the one being written is the oldest. */
  const uint32_t oldest = fs->seq ? (fs->cur + 1) % n : 0;
  size_t hint = 0;
  for (uint32_t k = 0; k < n; k++) {
    const uint32_t i = (oldest + k) % n;
    if (fs_entry_is_void(&fs->table[i])) continue;
    if (push_block(c, &fs->table[i], &fs->ranges[i], &hint))
      return valkka_error_set(VALKKA_ENOMEM, "fs_get_ranges: out of memory");
  }
  c->seq = fs->seq;
  c->cur_seq = head->seq;
  c->cur = fs->cur;
  c->cur_end = head->end;
  c->cur_records = head->records;
  c->valid = true;
  return 0;
}

void fs_ranges_cache_free(fs_ranges_cache_t *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n_streams; i++) free(c->streams[i].r);
  free(c->streams);
  free(c);
}

int valkka_fs_get_ranges(valkka_fs_t *fs, uint32_t stream_id, int64_t from_ms, int64_t to_ms,
                         valkka_fs_range_t *out, uint32_t max) {
  if (!fs || (max && (!out || out[0].struct_size < sizeof(uint32_t))))
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ranges: NULL argument or struct_size 0");
  if (to_ms < from_ms)
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ranges: to %lld before from %lld",
                            (long long)to_ms, (long long)from_ms);
  const uint32_t stride = max ? out[0].struct_size : 0;
  uint32_t count = 0;
  int err = 0;
  pthread_mutex_lock(&fs->table_lock);
  if (!fs->ranges_cache && !(fs->ranges_cache = calloc(1, sizeof *fs->ranges_cache)))
    err = valkka_error_set(VALKKA_ENOMEM, "fs_get_ranges: out of memory");
  if (!err) err = cache_update(fs, fs->ranges_cache);
  const fs_ranges_cache_t *c = fs->ranges_cache;
  for (size_t i = 0; !err && i < c->n_streams; i++) {
    const stream_ranges_t *s = &c->streams[i];
    if (s->id != stream_id) continue;
    for (size_t k = 0; k < s->n; k++) {
      if (s->r[k].last_ms < from_ms || s->r[k].first_ms > to_ms) continue;
      if (count < max) {
        valkka_fs_range_t full = {0};
        full.first_ms = s->r[k].first_ms;
        full.last_ms = s->r[k].last_ms;
        full.struct_size = stride < sizeof full ? stride : (uint32_t)sizeof full;
        memcpy((uint8_t *)out + (size_t)count * stride, &full, full.struct_size);
      }
      count++;
    }
  }
  pthread_mutex_unlock(&fs->table_lock);
  if (err) return err;
  return count > INT32_MAX ? INT32_MAX : (int)count;
}
