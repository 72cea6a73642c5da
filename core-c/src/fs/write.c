/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Appending records: block switches (void first, then header), configuration re-writes before
 * keyframes, coalescing records into one pwrite per segment or per FS_FLUSH_MS, and keeping the
 * entry of the block being written current.
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

/*
 * A write per 256 KiB: a 4 Mb/s camera's 50 ms is 25 KiB, so at camera rates the time bound
 * writes first and the segment only caps a burst (many cameras, a bench at disk speed). Past
 * 256 KiB a larger write saves nothing measurable (the page-cache copy dominates, a few syscalls
 * per MiB are noise), while the buffer still fits in L2, where the record encoding left it hot
 * for the kernel's copy.
 */
#define FS_SEGMENT_BYTES (256u * 1024u)
/* The longest a record waits in the buffer: a reader of the FS sees a frame this much later. */
#define FS_FLUSH_MS 50
/* Streams with frames in the buffer; one more makes the buffer be written first. */
#define FS_WBUF_STREAMS 32

/* What a stream's buffered frames will add to its counters once they are written. */
typedef struct fs_pending {
  fs_stream_t *stream;
  uint32_t frames, too_big, errors; /* too_big, errors: refused behind buffered frames */
  uint64_t bytes;
} fs_pending_t;

/*
 * The records of block `cur` appended but not written yet, bytes [start, start + len) of it,
 * always ending at fs->pos. Nothing outside claims them until they are written: `entry` is the
 * block's table entry with them added, copied to the table once the write returned, and the
 * counters of their frames move at the same time (fs.h, valkka_fs_sink). One allocation, freed by
 * fs_free.
 */
struct fs_wbuf {
  uint32_t start, len, cap;
  int64_t since_us; /* when its first byte was buffered */
  bool claims;      /* records were added to entry (not only the block header) */
  fs_entry_t entry;
  fs_ranges_t ranges; /* the block's ranges index entry with them added, claimed with entry */
  uint32_t n_pending;
  fs_pending_t pending[FS_WBUF_STREAMS];
  uint8_t data[];
};

/* A quarter block at most: a small block is still written in steps, each one readable at once. */
static uint32_t segment_bytes(const valkka_fs_t *fs) {
  const uint32_t quarter = fs->layout.block_size / 4;
  return quarter < FS_SEGMENT_BYTES ? quarter : FS_SEGMENT_BYTES;
}

static fs_pending_t *pending_of(fs_wbuf_t *b, const fs_stream_t *s) {
  for (uint32_t i = 0; b && i < b->n_pending; i++)
    if (b->pending[i].stream == s) return &b->pending[i];
  return NULL;
}

/* A refused frame is counted behind the stream's buffered ones, in the order they came. */
static void count_refused(valkka_fs_t *fs, fs_stream_t *s, int err) {
  fs_pending_t *p = pending_of(fs->wbuf, s);
  if (p) {
    if (err == VALKKA_ETOOBIG)
      p->too_big++;
    else
      p->errors++;
    return;
  }
  pthread_mutex_lock(&fs->streams_lock);
  if (err == VALKKA_ETOOBIG)
    s->stats.too_big++;
  else
    s->stats.errors++;
  pthread_mutex_unlock(&fs->streams_lock);
}

/* The buffered frames' counters, as written (`failed` 0) or failed. */
static void settle(valkka_fs_t *fs, fs_wbuf_t *b, int failed) {
  pthread_mutex_lock(&fs->streams_lock);
  for (uint32_t i = 0; i < b->n_pending; i++) {
    const fs_pending_t *p = &b->pending[i];
    valkka_fs_stream_stats_t *st = &p->stream->stats;
    if (failed) {
      st->errors += p->frames;
    } else {
      st->frames += p->frames;
      st->bytes += p->bytes;
    }
    st->too_big += p->too_big;
    st->errors += p->errors;
  }
  /* A CONFIG record re-written into this block may be among the lost: each stream's goes in again
     before its next keyframe. */
  for (uint32_t i = 0; failed && i < fs->n_streams; i++) fs->streams[i]->config_in_block = false;
  pthread_mutex_unlock(&fs->streams_lock);
  b->n_pending = 0;
}

int fs_flush_locked(valkka_fs_t *fs) {
  fs_wbuf_t *b = fs->wbuf;
  if (!b || !b->len) return 0;
  int err = fs_block_pwrite(&fs->files, &fs->layout, fs->cur, b->start, b->data, b->len);
  if (err) {
    fs->pos = b->start; /* nothing past it was written: the next records go there again */
  } else if (b->claims) {
    pthread_mutex_lock(&fs->table_lock);
    fs->table[fs->cur] = b->entry;
    fs->ranges[fs->cur] = b->ranges;
    pthread_mutex_unlock(&fs->table_lock);
    fs->entry_dirty = true;
  }
  b->len = 0;
  b->claims = false;
  settle(fs, b, err);
  return err;
}

int64_t fs_flush_due_locked(const valkka_fs_t *fs) {
  const fs_wbuf_t *b = fs->wbuf;
  return b && b->len ? b->since_us + (int64_t)FS_FLUSH_MS * 1000 : INT64_MAX;
}

/*
 * `need` bytes at fs->pos of block `cur`, in the buffer: what it holds is written first when the
 * write would grow past a segment. The buffer grows for a record larger than a segment.
 */
static int reserve(valkka_fs_t *fs, uint32_t need, uint8_t **out) {
  fs_wbuf_t *b = fs->wbuf;
  int err;
  if (b && b->len && b->len + need > segment_bytes(fs) && (err = fs_flush_locked(fs))) return err;
  const uint32_t held = b ? b->len : 0;
  if (!b || held + need > b->cap) {
    const uint32_t cap = held + need > segment_bytes(fs) ? held + need : segment_bytes(fs);
    fs_wbuf_t *grown = realloc(b, sizeof *b + cap);
    if (!grown)
      return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory for %u bytes of records", cap);
    if (!b) memset(grown, 0, sizeof *grown);
    fs->wbuf = b = grown;
    b->cap = cap;
  }
  if (!b->len) {
    b->start = fs->pos;
    b->since_us = clock_mono_us();
    b->entry = fs->table[fs->cur];
    b->ranges = fs->ranges[fs->cur];
  }
  *out = b->data + b->len;
  b->len += need;
  fs->pos += need;
  return 0;
}

/* Room for `s` among the streams with buffered frames, the buffer written first when full. */
static int pending_room(valkka_fs_t *fs, const fs_stream_t *s) {
  fs_wbuf_t *b = fs->wbuf;
  if (!b || b->n_pending < FS_WBUF_STREAMS || pending_of(b, s)) return 0;
  return fs_flush_locked(fs);
}

static void pending_add(fs_wbuf_t *b, fs_stream_t *s, uint32_t bytes) {
  fs_pending_t *p = pending_of(b, s);
  if (!p) {
    p = &b->pending[b->n_pending++]; /* pending_room made room */
    *p = (fs_pending_t){.stream = s};
  }
  p->frames++;
  p->bytes += bytes;
}

int fs_store_current_locked(valkka_fs_t *fs) {
  if (!fs->seq || !fs->entry_dirty) return 0;
  int err = fs_entry_store(&fs->files, fs->cur, &fs->table[fs->cur]);
  if (err) return err;
  /* A ranges index that fails leaves its entry behind the table's: readers then go by the
     table's slots (fs_ranges_match), and the recording goes on. */
  if (fs_ranges_store(&fs->files, fs->cur, &fs->ranges[fs->cur]))
    LOG_WARN("fs", "%s: %s", fs->dir, valkka_last_error());
  fs->entry_dirty = false;
  fs->entry_stored_us = clock_mono_us();
  return 0;
}

int fs_sync_locked(valkka_fs_t *fs) {
  if (fs->readonly) return 0;
  int err = fs_flush_locked(fs);
  if (!err) err = fs_store_current_locked(fs);
  if (err) return err;
  if ((err = fs->files.vt->sync(fs->files.blocks)))
    return valkka_error_set(err, "fs %s: sync of blocks: %s", fs->dir, valkka_last_error());
  if ((err = fs->files.vt->sync(fs->files.table)))
    return valkka_error_set(err, "fs %s: sync of blocktable: %s", fs->dir, valkka_last_error());
  if (fs->files.ranges && (err = fs->files.vt->sync(fs->files.ranges)))
    return valkka_error_set(err, "fs %s: sync of ranges: %s", fs->dir, valkka_last_error());
  return 0;
}

/* The header goes out with the block's first records, in their write. */
static int write_header(valkka_fs_t *fs) {
  uint8_t *header;
  int err = reserve(fs, FS_BLOCK_HEADER_SIZE, &header);
  if (!err) fs_block_header_encode(&fs->layout, fs->cur, fs->seq, header);
  return err;
}

/* Starts use `seq` of block `index`: its entry goes void (and to disk) before any byte of it. */
static int begin_block(valkka_fs_t *fs, uint32_t index, uint64_t seq) {
  fs_entry_t *e = &fs->table[index];
  fs_entry_t saved = *e;
  const fs_ranges_t saved_ranges = fs->ranges[index];
  pthread_mutex_lock(&fs->table_lock);
  fs_entry_set_void(e, seq);
  fs_ranges_set_void(&fs->ranges[index], seq);
  pthread_mutex_unlock(&fs->table_lock);
  int err = fs_entry_store(&fs->files, index, e);
  /* The index's entry goes void after the table's: until then it names the old use, which the
     table no longer does, so no reader takes it for the new one. */
  if (!err && fs_ranges_store(&fs->files, index, &fs->ranges[index]))
    LOG_WARN("fs", "%s: %s", fs->dir, valkka_last_error());
  pthread_mutex_lock(&fs->table_lock);
  if (err) {
    *e = saved;
    fs->ranges[index] = saved_ranges;
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
  if ((err = pending_room(fs, s))) return err;
  if (!fs->seq) {
    if ((err = begin_block(fs, 0, 1))) return err;
  } else if (!fs->pos && (err = write_header(fs))) {
    return err;
  }
  bool with_config = has_config && !s->config_in_block;
  uint32_t need = frame_bytes + (with_config ? config_bytes : 0);
  if (fs->pos + need > block_size || fs->restarted) {
    /* The finished block's records are written before its entry and its event claim them, and
       before `cur` moves on: the buffer holds bytes of block `cur` only. A block an earlier open
       was writing was finished by that open's end, which this one does not report again. */
    if ((err = fs_flush_locked(fs)) || (err = fs_store_current_locked(fs))) return err;
    if (!fs->restarted)
      events[(*n_events)++] = (fs_event_t){VALKKA_FS_BLOCK_FINISHED, fs->cur, fs->table[fs->cur]};
    if ((err = begin_block(fs, (fs->cur + 1) % fs->layout.n_blocks, fs->seq + 1))) return err;
    fs->restarted = false;
    with_config = has_config;
    need = frame_bytes + (with_config ? config_bytes : 0);
  }
  uint8_t *out;
  if ((err = reserve(fs, need, &out))) return err;
  fs_wbuf_t *b = fs->wbuf;
  uint32_t end = fs->pos - need;
  if (with_config) {
    fs_record_t config = {.stream_id = s->id,
                          .seq = fs->seq,
                          .mstime = frame->mstime,
                          .codec = s->config_codec,
                          .kind = VALKKA_FRAME_CONFIG,
                          .length = s->config_len};
    fs_record_encode(&fs->layout, &config, s->config, out);
    out += config_bytes;
    end += config_bytes;
    fs_entry_add(&b->entry, &config, end);
    fs_ranges_add(&b->ranges, &config, end);
  }
  fs_record_t record = {.stream_id = s->id,
                        .seq = fs->seq,
                        .mstime = frame->mstime,
                        .flags = frame->flags,
                        .codec = (uint16_t)frame->codec,
                        .kind = (uint16_t)frame->kind,
                        .length = frame->size,
                        .pts_offset = (uint32_t)frame->pts_offset};
  fs_record_encode(&fs->layout, &record, frame->data, out);
  fs_entry_add(&b->entry, &record, end + frame_bytes);
  fs_ranges_add(&b->ranges, &record, end + frame_bytes);
  b->claims = true;
  pending_add(b, s, frame->size);
  if (is_config) {
    if ((err = remember_config(s, frame)))
      LOG_WARN("fs", "%s", valkka_last_error()); /* the record is made; only re-writes miss it */
    s->config_in_block = true;
  } else if (keyframe && !valkka_codec_is_audio((valkka_codec_t)frame->codec)) {
    /* Video: the configuration again before the next keyframe. Every audio packet is a keyframe;
       its stream's configuration goes once into each block (begin_block clears the mark). */
    s->config_in_block = false;
  }
  return 0;
}

int fs_append_locked(valkka_fs_t *fs, fs_stream_t *s, const valkka_frame_t *frame,
                     fs_event_t *events, int *n_events) {
  *n_events = 0;
  /* Both inputs check already; this is the one place records are made, so the rule holds here. */
  int err = fs_frame_check(frame, "fs_append");
  if (!err) err = append(fs, s, frame, events, n_events);
  if (err) {
    count_refused(fs, s, err);
    return err;
  }
  const int64_t now = clock_mono_us();
  /* A flush that fails counts this frame among its errors and says why. */
  if (now >= fs_flush_due_locked(fs) && (err = fs_flush_locked(fs))) return err;
  if (fs->entry_dirty && now - fs->entry_stored_us >= (int64_t)fs->sync_interval_ms * 1000 &&
      fs_store_current_locked(fs) != 0)
    LOG_WARN("fs", "%s", valkka_last_error()); /* kept dirty: the next store tries again */
  return 0;
}
