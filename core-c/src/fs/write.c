/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Appending records: block switches (void first, then header), configuration re-writes before
 * keyframes, write-through, and keeping the entry of the block being written current.
 * Everything here runs under fs->write_lock; the table, cur and seq change under table_lock
 * too, taken around the change alone and never across a backend call (fs_internal.h).
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/table.h"
#include "util/clock.h"
#include "base/log.h"

static int ensure_wbuf(valkka_fs_t *fs, uint32_t need) {
  if (need <= fs->wbuf_cap) return 0;
  uint8_t *grown = realloc(fs->wbuf, need);
  if (!grown)
    return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory for a %u-byte record", need);
  fs->wbuf = grown;
  fs->wbuf_cap = need;
  return 0;
}

int fs_store_current_locked(valkka_fs_t *fs) {
  if (!fs->seq || !fs->entry_dirty) return 0;
  int err = fs_entry_store(&fs->files, fs->cur, &fs->table[fs->cur]);
  if (err) return err;
  fs->entry_dirty = false;
  fs->entry_stored_us = clock_mono_us();
  return 0;
}

int fs_sync_locked(valkka_fs_t *fs) {
  if (fs->readonly) return 0;
  int err = fs_store_current_locked(fs);
  if (err) return err;
  if ((err = fs->files.vt->sync(fs->files.blocks)))
    return valkka_error_set(err, "fs %s: sync of blocks: %s", fs->dir, valkka_last_error());
  if ((err = fs->files.vt->sync(fs->files.table)))
    return valkka_error_set(err, "fs %s: sync of blocktable: %s", fs->dir, valkka_last_error());
  return 0;
}

static int write_header(valkka_fs_t *fs) {
  uint8_t header[FS_BLOCK_HEADER_SIZE];
  fs_block_header_encode(&fs->layout, fs->cur, fs->seq, header);
  int err = fs_block_pwrite(&fs->files, &fs->layout, fs->cur, 0, header, sizeof header);
  if (err) return err;
  fs->pos = FS_BLOCK_HEADER_SIZE;
  return 0;
}

/* Starts use `seq` of block `index`: its entry goes void (and to disk) before any byte of it. */
static int begin_block(valkka_fs_t *fs, uint32_t index, uint64_t seq) {
  fs_entry_t *e = &fs->table[index];
  fs_entry_t saved = *e;
  pthread_mutex_lock(&fs->table_lock);
  fs_entry_set_void(e, seq);
  pthread_mutex_unlock(&fs->table_lock);
  int err = fs_entry_store(&fs->files, index, e);
  pthread_mutex_lock(&fs->table_lock);
  if (err) {
    *e = saved;
  } else {
    fs->cur = index;
    fs->seq = seq;
  }
  pthread_mutex_unlock(&fs->table_lock);
  if (err) return err;
  fs->pos = 0;
  fs->entry_dirty = false;
  pthread_mutex_lock(&fs->streams_lock);
  for (uint32_t i = 0; i < fs->n_streams; i++) fs->streams[i]->config_in_block = false;
  pthread_mutex_unlock(&fs->streams_lock);
  return write_header(fs);
}

static void count(valkka_fs_t *fs, fs_stream_t *s, int err, uint32_t bytes) {
  pthread_mutex_lock(&fs->streams_lock);
  if (!err) {
    s->stats.frames++;
    s->stats.bytes += bytes;
  } else if (err == VALKKA_ETOOBIG) {
    s->stats.too_big++;
  } else {
    s->stats.errors++;
  }
  pthread_mutex_unlock(&fs->streams_lock);
}

static int remember_config(fs_stream_t *s, const valkka_frame_t *frame) {
  if (frame->size > s->config_cap) {
    uint8_t *grown = realloc(s->config, frame->size);
    if (!grown) return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory for a configuration");
    s->config = grown;
    s->config_cap = frame->size;
  }
  if (frame->size) memcpy(s->config, frame->data, frame->size);
  s->config_len = frame->size;
  s->config_codec = (uint16_t)frame->codec;
  return 0;
}

static int append(valkka_fs_t *fs, fs_stream_t *s, const valkka_frame_t *frame, fs_event_t *events,
                  int *n_events) {
  const bool is_config = frame->kind == VALKKA_FRAME_CONFIG;
  const bool keyframe = !is_config && (frame->flags & VALKKA_FRAME_KEYFRAME);
  const uint32_t block_size = fs->layout.block_size;
  const uint32_t frame_bytes = fs_record_size(frame->size);
  const uint32_t config_bytes = fs_record_size(s->config_len);
  const bool has_config = keyframe && s->config_len > 0;
  if (frame->size > fs_max_payload(&fs->layout) ||
      frame_bytes + (has_config ? config_bytes : 0) > block_size - FS_BLOCK_HEADER_SIZE)
    return valkka_error_set(VALKKA_ETOOBIG,
                            "fs %s: frame of %u bytes (stream %u%s) does not fit in a block of %u",
                            fs->dir, frame->size, s->id,
                            has_config ? ", with its configuration" : "", block_size);
  int err;
  if (!fs->seq) {
    if ((err = begin_block(fs, 0, 1))) return err;
  } else if (!fs->pos && (err = write_header(fs))) {
    return err;
  }
  bool with_config = has_config && !s->config_in_block;
  uint32_t need = frame_bytes + (with_config ? config_bytes : 0);
  if (fs->pos + need > block_size) {
    if ((err = fs_store_current_locked(fs))) return err;
    events[(*n_events)++] = (fs_event_t){VALKKA_FS_BLOCK_FINISHED, fs->cur, fs->table[fs->cur]};
    if ((err = begin_block(fs, (fs->cur + 1) % fs->layout.n_blocks, fs->seq + 1))) return err;
    with_config = has_config;
    need = frame_bytes + (with_config ? config_bytes : 0);
  }
  if ((err = ensure_wbuf(fs, need))) return err;
  fs_record_t records[2];
  int n = 0;
  uint32_t offset = 0;
  if (with_config) {
    records[n] = (fs_record_t){.stream_id = s->id,
                               .seq = fs->seq,
                               .mstime = frame->mstime,
                               .codec = s->config_codec,
                               .kind = VALKKA_FRAME_CONFIG,
                               .length = s->config_len};
    fs_record_encode(&fs->layout, &records[n], s->config, fs->wbuf);
    offset = config_bytes;
    n++;
  }
  records[n] = (fs_record_t){.stream_id = s->id,
                             .seq = fs->seq,
                             .mstime = frame->mstime,
                             .flags = frame->flags,
                             .codec = (uint16_t)frame->codec,
                             .kind = (uint16_t)frame->kind,
                             .length = frame->size,
                             .pts_offset = (uint32_t)frame->pts_offset};
  fs_record_encode(&fs->layout, &records[n], frame->data, fs->wbuf + offset);
  n++;
  if ((err = fs_block_pwrite(&fs->files, &fs->layout, fs->cur, fs->pos, fs->wbuf, need)))
    return err;
  fs_entry_t *e = &fs->table[fs->cur];
  pthread_mutex_lock(&fs->table_lock);
  for (int i = 0; i < n; i++) {
    fs->pos += fs_record_size(records[i].length);
    fs_entry_add(e, &records[i], fs->pos);
  }
  pthread_mutex_unlock(&fs->table_lock);
  if (is_config) {
    if ((err = remember_config(s, frame)))
      LOG_WARN("fs", "%s", valkka_last_error()); /* the record is written; only re-writes miss it */
    s->config_in_block = true;
  } else if (keyframe && !valkka_codec_is_audio((valkka_codec_t)frame->codec)) {
    /* Video: the configuration again before the next keyframe. Every audio packet is a keyframe;
       its stream's configuration goes once into each block (begin_block clears the mark). */
    s->config_in_block = false;
  }
  fs->entry_dirty = true;
  if (clock_mono_us() - fs->entry_stored_us >= (int64_t)fs->sync_interval_ms * 1000 &&
      fs_store_current_locked(fs) != 0)
    LOG_WARN("fs", "%s", valkka_last_error()); /* kept dirty: the next store tries again */
  return 0;
}

int fs_append_locked(valkka_fs_t *fs, fs_stream_t *s, const valkka_frame_t *frame,
                     fs_event_t *events, int *n_events) {
  *n_events = 0;
  /* Both inputs check already; this is the one place records are made, so the rule holds here. */
  int err = fs_frame_check(frame, "fs_append");
  if (!err) err = append(fs, s, frame, events, n_events);
  count(fs, s, err, frame->size);
  return err;
}
