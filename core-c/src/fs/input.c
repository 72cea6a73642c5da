/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The write side of the API: append, sync, slot maps and per-stream counters. */
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"

int fs_frame_check(const valkka_frame_t *frame, const char *who) {
  if (frame->kind != VALKKA_FRAME_ENCODED && frame->kind != VALKKA_FRAME_CONFIG)
    return valkka_error_set(VALKKA_EINVAL,
                            "%s: frame kind %u: only ENCODED and CONFIG "
                            "frames are recorded",
                            who, frame->kind);
  /* A record's time is what the table indexes, and 0 there means "none": a frame without a
     time would make its block look void, or its entry unreadable. */
  if (frame->mstime <= 0)
    return valkka_error_set(VALKKA_EINVAL, "%s: mstime %lld: must be > 0", who,
                            (long long)frame->mstime);
  if (frame->pts_offset < 0 || frame->pts_offset > VALKKA_PTS_OFFSET_MAX ||
      (frame->pts_offset && frame->kind != VALKKA_FRAME_ENCODED))
    return valkka_error_set(VALKKA_EINVAL,
                            "%s: presentation offset %d ms: must be 0..%d, and 0 on a CONFIG frame",
                            who, (int)frame->pts_offset, VALKKA_PTS_OFFSET_MAX);
  if (frame->size && !frame->data)
    return valkka_error_set(VALKKA_EINVAL, "%s: NULL payload of %u bytes", who, frame->size);
  return 0;
}

int valkka_fs_append(valkka_fs_t *fs, uint32_t stream_id, const valkka_frame_t *frame) {
  if (!fs || !frame) return valkka_error_set(VALKKA_EINVAL, "fs_append: NULL argument");
  int check = fs_frame_check(frame, "fs_append");
  if (check) return check;
  if (fs->readonly) return valkka_error_set(VALKKA_EACCES, "fs %s: opened read-only", fs->dir);
  pthread_mutex_lock(&fs->write_lock);
  int err = fs_single_check_locked(fs, stream_id);
  fs_stream_t *stream = NULL;
  if (!err) {
    pthread_mutex_lock(&fs->streams_lock);
    stream = fs_stream_get(fs, stream_id);
    pthread_mutex_unlock(&fs->streams_lock);
    if (!stream) err = VALKKA_ENOMEM;
  }
  fs_event_t events[2];
  int n_events = 0;
  if (!err) err = fs_append_locked(fs, stream, frame, events, &n_events);
  /* Written through (fs.h): the record, and any the writer thread buffered before it, are in the
     file before this returns; counted as written only now. */
  int flushed = stream ? fs_flush_locked(fs) : 0;
  if (!err) err = flushed;
  pthread_mutex_unlock(&fs->write_lock);
  return err;
}

int valkka_fs_sync(valkka_fs_t *fs) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_sync: NULL fs");
  pthread_mutex_lock(&fs->write_lock);
  int err = fs_sync_locked(fs);
  pthread_mutex_unlock(&fs->write_lock);
  return err;
}

int valkka_fs_map(valkka_fs_t *fs, uint32_t slot, uint32_t stream_id) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_map: NULL fs");
  pthread_mutex_lock(&fs->write_lock);
  /* A single FS takes its one stream id from the first map or append. */
  int err = fs_single_check_locked(fs, stream_id);
  pthread_mutex_unlock(&fs->write_lock);
  if (err) return err;
  pthread_mutex_lock(&fs->streams_lock);
  fs_stream_t *stream = fs_stream_get(fs, stream_id);
  err = stream ? fs_map_set(&fs->write_map, &fs->n_write_map, &fs->cap_write_map, slot, stream_id,
                            stream)
               : VALKKA_ENOMEM;
  pthread_mutex_unlock(&fs->streams_lock);
  return err;
}

int valkka_fs_unmap(valkka_fs_t *fs, uint32_t slot) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_unmap: NULL fs");
  pthread_mutex_lock(&fs->streams_lock);
  int err = fs_map_remove(fs->write_map, &fs->n_write_map, slot, false);
  pthread_mutex_unlock(&fs->streams_lock);
  return err;
}

int valkka_fs_get_stream_stats(valkka_fs_t *fs, uint32_t stream_id,
                               valkka_fs_stream_stats_t *stats) {
  if (!fs || !stats || stats->struct_size < sizeof(uint32_t))
    return valkka_error_set(VALKKA_EINVAL, "fs_get_stream_stats: NULL argument or struct_size 0");
  pthread_mutex_lock(&fs->streams_lock);
  fs_stream_t *s = fs_stream_find(fs, stream_id);
  valkka_fs_stream_stats_t full = s ? s->stats : (valkka_fs_stream_stats_t){0};
  pthread_mutex_unlock(&fs->streams_lock);
  if (!s)
    return valkka_error_set(VALKKA_ENOENT, "fs %s: stream %u was neither mapped nor written",
                            fs->dir, stream_id);
  uint32_t size = stats->struct_size < sizeof full ? stats->struct_size : (uint32_t)sizeof full;
  full.struct_size = size;
  memcpy(stats, &full, size);
  return 0;
}
