/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What an open FS holds: info, the table, the time range, index search, the streams. Each reads
   under table_lock, never write_lock: a write the storage holds up does not hold these up. */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/index.h"
#include "fs/table.h"
#include "util/array.h"

/* Copies `full` into the caller's struct as far as its struct_size reaches. */
#define COPY_OUT(dst, full)                                                     \
  do {                                                                          \
    uint32_t size_ = (dst)->struct_size;                                        \
    (full).struct_size = size_ < sizeof(full) ? size_ : (uint32_t)sizeof(full); \
    memcpy((dst), &(full), (full).struct_size);                                 \
  } while (0)

int valkka_fs_get_info(valkka_fs_t *fs, valkka_fs_info_t *info) {
  if (!fs || !info || info->struct_size < sizeof(uint32_t))
    return valkka_error_set(VALKKA_EINVAL, "fs_get_info: NULL argument or struct_size 0");
  valkka_fs_info_t full = {0};
  full.kind = fs->cfg.kind;
  memcpy(full.uuid, fs->cfg.uuid_hex, sizeof full.uuid);
  full.block_size = fs->layout.block_size;
  full.n_blocks = fs->layout.n_blocks;
  full.readonly = fs->readonly;
  full.format_version = fs->cfg.version;
  full.entries_rebuilt = fs->entries_rebuilt;
  full.records_recovered = fs->records_recovered;
  full.bad_records = atomic_load(&fs->bad_records);
  full.writer_beats = atomic_load(&fs->writer_beats);
  full.remote = fs->files.dir != NULL;
  pthread_mutex_lock(&fs->table_lock);
  for (uint32_t b = 0; b < fs->layout.n_blocks; b++)
    if (!fs_entry_is_void(&fs->table[b])) full.blocks_used++;
  full.blocks_void = fs->layout.n_blocks - full.blocks_used;
  fs_index_time_range(fs->table, fs->layout.n_blocks, &full.first_ms, &full.last_ms);
  full.current_block = fs->cur;
  full.current_seq = fs->seq;
  pthread_mutex_unlock(&fs->table_lock);
  COPY_OUT(info, full);
  return 0;
}

static void to_public(const fs_entry_t *e, uint32_t index, bool current, valkka_fs_block_t *b) {
  memset(b, 0, sizeof *b);
  b->struct_size = sizeof *b;
  b->index = index;
  b->flags = (fs_entry_is_void(e) ? VALKKA_FS_BLOCK_VOID : 0) |
             (e->flags & FS_ENTRY_OVERFLOW ? VALKKA_FS_BLOCK_OVERFLOW : 0) |
             (current ? VALKKA_FS_BLOCK_CURRENT : 0);
  b->frames = e->frames;
  b->records = e->records;
  b->bytes_used = e->end;
  b->seq = e->seq;
  b->min_ms = e->min_ms;
  b->max_ms = e->max_ms;
  b->min_keyframe_ms = e->min_kf_ms;
  b->max_keyframe_ms = e->max_kf_ms;
  b->n_streams = e->n_streams;
  for (uint32_t i = 0; i < e->n_streams; i++) b->stream_ids[i] = e->streams[i].id;
}

int valkka_fs_read_table(valkka_fs_t *fs, valkka_fs_block_t *blocks, uint32_t max) {
  if (!fs || (max && (!blocks || blocks[0].struct_size < sizeof(uint32_t) * 2)))
    return valkka_error_set(VALKKA_EINVAL, "fs_read_table: NULL argument or struct_size too small");
  const uint32_t n = fs->layout.n_blocks;
  if (!max) return (int)n;
  const uint32_t stride = blocks[0].struct_size;
  uint8_t *base = (uint8_t *)blocks;
  pthread_mutex_lock(&fs->table_lock);
  for (uint32_t i = 0; i < n && i < max; i++) {
    valkka_fs_block_t full;
    to_public(&fs->table[i], i, fs->seq && i == fs->cur, &full);
    full.struct_size = stride < sizeof full ? stride : (uint32_t)sizeof full;
    memcpy(base + (size_t)i * stride, &full, full.struct_size);
  }
  pthread_mutex_unlock(&fs->table_lock);
  return (int)n;
}

int valkka_fs_time_range(valkka_fs_t *fs, int64_t *first_ms, int64_t *last_ms) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_time_range: NULL fs");
  int64_t first, last;
  pthread_mutex_lock(&fs->table_lock);
  fs_index_time_range(fs->table, fs->layout.n_blocks, &first, &last);
  pthread_mutex_unlock(&fs->table_lock);
  if (first_ms) *first_ms = first;
  if (last_ms) *last_ms = last;
  return 0;
}

int valkka_fs_get_ind(valkka_fs_t *fs, int64_t t0_ms, int64_t t1_ms, uint32_t *blocks,
                      uint32_t max) {
  if (!fs || (max && !blocks)) return valkka_error_set(VALKKA_EINVAL, "fs_get_ind: NULL argument");
  if (t1_ms < t0_ms)
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ind: t1 %lld before t0 %lld", (long long)t1_ms,
                            (long long)t0_ms);
  pthread_mutex_lock(&fs->table_lock);
  int n = fs_index_search(fs->table, fs->layout.n_blocks, fs->cur, t0_ms, t1_ms, blocks, max);
  pthread_mutex_unlock(&fs->table_lock);
  return n;
}

int valkka_fs_get_ind_neigh(valkka_fs_t *fs, int64_t t_ms, uint32_t n, uint32_t *blocks,
                            uint32_t max) {
  if (!fs || (max && !blocks))
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ind_neigh: NULL argument");
  pthread_mutex_lock(&fs->table_lock);
  int count = fs_index_neigh(fs->table, fs->layout.n_blocks, fs->cur, t_ms, n, blocks, max);
  pthread_mutex_unlock(&fs->table_lock);
  return count;
}

typedef struct stream_sum {
  valkka_fs_stream_info_t info;
  uint64_t latest_seq;
} stream_sum_t;

static int by_id(const void *a, const void *b) {
  uint32_t x = ((const stream_sum_t *)a)->info.stream_id,
           y = ((const stream_sum_t *)b)->info.stream_id;
  return x < y ? -1 : x > y;
}

int valkka_fs_get_streams(valkka_fs_t *fs, valkka_fs_stream_info_t *streams, uint32_t max) {
  if (!fs || (max && (!streams || streams[0].struct_size < sizeof(uint32_t) * 2)))
    return valkka_error_set(VALKKA_EINVAL,
                            "fs_get_streams: NULL argument or struct_size too small");
  stream_sum_t *sums = NULL;
  uint32_t n = 0;
  size_t cap = 0;
  int err = 0;
  pthread_mutex_lock(&fs->table_lock);
  for (uint32_t b = 0; b < fs->layout.n_blocks && !err; b++) {
    const fs_entry_t *e = &fs->table[b];
    if (fs_entry_is_void(e)) continue;
    for (uint32_t i = 0; i < e->n_streams; i++) {
      const fs_stream_slot_t *slot = &e->streams[i];
      stream_sum_t *s = NULL;
      for (uint32_t k = 0; k < n && !s; k++)
        if (sums[k].info.stream_id == slot->id) s = &sums[k];
      if (!s) {
        if (array_reserve((void **)&sums, &cap, (size_t)n + 1, sizeof *sums, 16)) {
          err = valkka_error_set(VALKKA_ENOMEM, "fs_get_streams: out of memory");
          break;
        }
        s = &sums[n++];
        memset(s, 0, sizeof *s);
        s->info.stream_id = slot->id;
      }
      s->info.blocks++;
      s->info.frames += slot->frames;
      if (!s->info.first_ms || slot->min_ms < s->info.first_ms) s->info.first_ms = slot->min_ms;
      if (slot->max_ms > s->info.last_ms) s->info.last_ms = slot->max_ms;
      if (slot->codec && e->seq >= s->latest_seq) {
        s->info.codec = slot->codec;
        s->latest_seq = e->seq;
      }
    }
  }
  pthread_mutex_unlock(&fs->table_lock);
  if (err) {
    free(sums);
    return err;
  }
  if (n) qsort(sums, n, sizeof *sums, by_id);
  const uint32_t stride = max ? streams[0].struct_size : 0;
  for (uint32_t i = 0; i < n && i < max; i++) {
    valkka_fs_stream_info_t full = sums[i].info;
    fs_names_fill(fs, &full);
    full.struct_size = stride < sizeof full ? stride : (uint32_t)sizeof full;
    memcpy((uint8_t *)streams + (size_t)i * stride, &full, full.struct_size);
  }
  free(sums);
  return (int)n;
}
