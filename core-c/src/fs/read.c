/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a block: every valid record of the block's current use, as frames; damage is counted. */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/scan.h"
#include "fs/table.h"
#include "util/frame_view.h"

typedef struct read_ctx {
  int (*deliver)(void *user, valkka_frame_t *frame);
  void *user;
  int delivered;
  uint32_t bad;
} read_ctx_t;

static int on_record(void *user, uint32_t offset, const fs_record_t *r, const uint8_t *payload) {
  (void)offset;
  read_ctx_t *ctx = user;
  if (r->kind == 0) return 0; /* PAD: a repaired hole */
  valkka_frame_t frame = frame_view(r->kind, r->codec, r->flags, r->mstime, payload, r->length);
  frame.pts_offset = (int32_t)r->pts_offset;
  frame.stream_id = r->stream_id;
  int stop = ctx->deliver(ctx->user, &frame);
  if (stop == VALKKA_EINTR) return stop;
  if (stop >= 0) ctx->delivered++;
  return 0;
}

static void on_bad(void *user, uint32_t offset, uint32_t length, bool trailing) {
  (void)offset, (void)length, (void)trailing;
  ((read_ctx_t *)user)->bad++;
}

/* `read`: the header as read with the records, or NULL when they were read from past it. */
static int still_use(valkka_fs_t *fs, uint32_t index, uint64_t seq, const uint8_t *read,
                     bool *overwritten) {
  uint8_t now[FS_BLOCK_HEADER_SIZE];
  uint64_t before = 0, after = 0;
  int err = fs_block_pread(&fs->files, &fs->layout, index, 0, now, sizeof now);
  if (err) return err;
  if (!read || !fs_block_header_check(&fs->layout, index, read, &before)) before = 0;
  if (!fs_block_header_check(&fs->layout, index, now, &after)) after = 0;
  /* A header the writer's recovery is about to rewrite is no other use: only a valid other one. */
  *overwritten = (before && before != seq) || (after && after != seq);
  return 0;
}

int fs_read_block_into(valkka_fs_t *fs, uint32_t index, uint64_t use, uint32_t *offset,
                       uint8_t *buf, int (*deliver)(void *user, valkka_frame_t *frame),
                       void *user) {
  if (index >= fs->layout.n_blocks)
    return valkka_error_set(VALKKA_EINVAL, "fs %s: block %u out of range (%u blocks)", fs->dir,
                            index, fs->layout.n_blocks);
  pthread_mutex_lock(&fs->table_lock);
  const fs_entry_t snapshot = fs->table[index];
  pthread_mutex_unlock(&fs->table_lock);
  /* A reader that asked for a use it saw in a table copy must not get the records of a later
     one under that name: they are other frames, from another time. */
  if (use && snapshot.seq != use)
    return valkka_error_set(VALKKA_ENOENT, "fs %s: block %u holds use %llu, not %llu: reused",
                            fs->dir, index, (unsigned long long)snapshot.seq,
                            (unsigned long long)use);
  if (fs_entry_is_void(&snapshot)) return 0;
  /* From where an earlier read of this use ended: only the records the writer added since (a
     block being written is asked for again as it grows; over HTTP each read is a transfer). */
  const uint32_t from =
      offset && *offset > FS_BLOCK_HEADER_SIZE && *offset <= snapshot.end ? *offset : 0;
  if (from == snapshot.end) return 0;
  int err = fs_block_pread(&fs->files, &fs->layout, index, from, buf + from, snapshot.end - from);
  if (err) return err;
  /* The writer voids an entry (under table_lock) before it writes a byte of the block: an unchanged
     sequence number after the read means the bytes read are the snapshot's. */
  pthread_mutex_lock(&fs->table_lock);
  bool overwritten = fs->table[index].seq != snapshot.seq;
  pthread_mutex_unlock(&fs->table_lock);
  /* The writer of another process voids nothing here: its header, written before any record of
     a new use, tells. Still the snapshot's after the read: no byte read was of a later use. */
  if (!overwritten && fs->readonly &&
      (err = still_use(fs, index, snapshot.seq, from ? NULL : buf, &overwritten)))
    return err;
  if (overwritten)
    return valkka_error_set(VALKKA_ENOENT, "fs %s: block %u was overwritten while being read",
                            fs->dir, index);
  read_ctx_t ctx = {deliver, user, 0, 0};
  fs_scan_ops_t ops = {on_record, on_bad, &ctx, NULL};
  int stop = fs_scan_records_from(&fs->layout, buf, from, snapshot.end, snapshot.seq, &ops, NULL);
  if (ctx.bad) atomic_fetch_add(&fs->bad_records, ctx.bad);
  if (stop)
    return valkka_error_set(stop, "fs %s: read of block %u stopped by its sink", fs->dir, index);
  if (offset) *offset = snapshot.end;
  return ctx.delivered;
}

typedef struct sink_ctx {
  valkka_frame_sink_fn sink;
  void *user;
} sink_ctx_t;

static int to_sink(void *user, valkka_frame_t *frame) {
  sink_ctx_t *ctx = user;
  int r = ctx->sink(ctx->user, frame);
  return r == VALKKA_EINTR ? r : 0;
}

int valkka_fs_read_block_use(valkka_fs_t *fs, uint32_t block, uint64_t use,
                             valkka_frame_sink_fn sink, void *user) {
  return valkka_fs_read_block_from(fs, block, use, NULL, sink, user);
}

int valkka_fs_read_block_from(valkka_fs_t *fs, uint32_t block, uint64_t use, uint32_t *offset,
                              valkka_frame_sink_fn sink, void *user) {
  if (!fs || !sink) return valkka_error_set(VALKKA_EINVAL, "fs_read_block: NULL argument");
  if (block >= fs->layout.n_blocks)
    return valkka_error_set(VALKKA_EINVAL, "fs %s: block %u out of range (%u blocks)", fs->dir,
                            block, fs->layout.n_blocks);
  uint8_t *buf = malloc(fs->layout.block_size);
  if (!buf) return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory for a block");
  sink_ctx_t ctx = {sink, user};
  int n = fs_read_block_into(fs, block, use, offset, buf, to_sink, &ctx);
  free(buf);
  return n;
}

int valkka_fs_read_block(valkka_fs_t *fs, uint32_t block, valkka_frame_sink_fn sink, void *user) {
  return valkka_fs_read_block_use(fs, block, 0, sink, user);
}
