/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The writer thread of an FS (DESIGN 6): producers hand frames to valkka_fs_sink, which copies
 * them into pool frames and queues them without waiting; this thread appends them (write.c
 * gathers them into one write per segment or per FS_FLUSH_MS), writes what waits when it is due,
 * syncs at the sync interval, and reports finished blocks and progress through the new-block
 * callback.
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>
#include <valkka/fs.h>

#include "fs/fs_internal.h"
#include "util/clock.h"
#include "base/log.h"
#include "util/pool.h"
#include "util/queue.h"
#include "util/thread.h"

#define DEFAULT_QUEUE_LENGTH 256u
#define DEFAULT_FRAME_CAPACITY 65536u
#define IDLE_WAKE_MS 100

struct fs_writer {
  thread_t thread;
  pool_t *pool;
  queue_t *queue;
  valkka_fs_writer_params_t params;
  /* under fs->streams_lock: sinks in the middle of a copy hold the pool and queue alive */
  bool accepting;
  uint32_t inflight;
  pthread_cond_t idle;
  /* writer thread only */
  uint32_t progress_block;
  uint64_t progress_seq;
  uint32_t progress_frames;
  int64_t progress_last_us;
};

static void fire(fs_writer_t *w, uint32_t reason, uint32_t block, const fs_entry_t *e) {
  if (!w->params.on_block) return;
  valkka_fs_block_event_t ev = {
      .struct_size = sizeof ev,
      .reason = reason,
      .block = block,
      .frames = e->frames,
      .seq = e->seq,
      .min_ms = e->min_ms,
      .max_ms = e->max_ms,
  };
  w->params.on_block(w->params.user, &ev);
}

/* Whether a PROGRESS of block `block` (use `seq`) is due; `added`: a frame went into it. */
static bool progress_due(fs_writer_t *w, uint32_t block, uint64_t seq, bool added) {
  const int64_t now = clock_mono_us();
  if (block != w->progress_block || seq != w->progress_seq) {
    w->progress_block = block;
    w->progress_seq = seq;
    w->progress_frames = 0;
    w->progress_last_us = now;
  }
  if (added) w->progress_frames++;
  if (!w->progress_frames) return false;
  const bool by_count = w->params.progress_frames &&
                        w->progress_frames >= w->params.progress_frames;
  const bool by_time = w->params.progress_ms &&
                       now - w->progress_last_us >= (int64_t)w->params.progress_ms * 1000;
  if (!by_count && !by_time) return false;
  w->progress_frames = 0;
  w->progress_last_us = now;
  return true;
}

/*
 * Under write_lock: true when a PROGRESS of the block being written is due, with its entry in
 * `out`. The records are written first: a reader the event sends to the block finds them there.
 */
static bool progress_locked(valkka_fs_t *fs, fs_writer_t *w, bool added, uint32_t *block,
                            fs_entry_t *out) {
  *block = fs->cur;
  if (!progress_due(w, fs->cur, fs->seq, added)) return false;
  if (fs_flush_locked(fs) != 0) LOG_WARN("fs", "writer: %s", valkka_last_error());
  *out = fs->table[fs->cur];
  return true;
}

/* Appends `frame`; returns when the buffered records are due to be written (fs_flush_due). */
static int64_t write_frame(valkka_fs_t *fs, fs_writer_t *w, valkka_frame_t *frame) {
  fs_event_t events[2];
  int n_events = 0, err;
  pthread_mutex_lock(&fs->write_lock);
  pthread_mutex_lock(&fs->streams_lock);
  fs_stream_t *stream = fs_stream_find(fs, frame->stream_id);
  pthread_mutex_unlock(&fs->streams_lock);
  err = stream ? fs_single_check_locked(fs, frame->stream_id) : VALKKA_ENOENT;
  if (!err) err = fs_append_locked(fs, stream, frame, events, &n_events);
  if (err && err != VALKKA_ETOOBIG)
    LOG_WARN("fs", "writer: stream %u: %s", frame->stream_id, valkka_last_error());
  uint32_t block;
  fs_entry_t current;
  const bool progress = progress_locked(fs, w, err == 0, &block, &current);
  const int64_t due = fs_flush_due_locked(fs);
  pthread_mutex_unlock(&fs->write_lock);
  for (int i = 0; i < n_events; i++) fire(w, events[i].reason, events[i].block, &events[i].entry);
  if (progress) fire(w, VALKKA_FS_BLOCK_PROGRESS, block, &current);
  return due;
}

/* While no frame comes: PROGRESS by time, and the buffer written when due. */
static int64_t idle_turn(valkka_fs_t *fs, fs_writer_t *w) {
  uint32_t block = 0;
  fs_entry_t current = {0};
  pthread_mutex_lock(&fs->write_lock);
  const bool progress = w->params.progress_ms && w->progress_frames &&
                        progress_locked(fs, w, false, &block, &current);
  if (clock_mono_us() >= fs_flush_due_locked(fs) && fs_flush_locked(fs) != 0)
    LOG_WARN("fs", "writer: %s", valkka_last_error());
  const int64_t due = fs_flush_due_locked(fs);
  pthread_mutex_unlock(&fs->write_lock);
  if (progress) fire(w, VALKKA_FS_BLOCK_PROGRESS, block, &current);
  return due;
}

static void writer_main(thread_t *self, void *arg) {
  (void)self;
  valkka_fs_t *fs = arg;
  fs_writer_t *w = fs->writer;
  const int64_t interval_us = (int64_t)fs->sync_interval_ms * 1000;
  int64_t next_sync = clock_mono_us() + interval_us;
  int64_t flush_due = INT64_MAX;
  for (;;) {
    atomic_fetch_add(&fs->writer_beats, 1);
    const int64_t until = flush_due < next_sync ? flush_due : next_sync;
    int64_t wait_us = until - clock_mono_us();
    int timeout = wait_us <= 0 ? 0 : (int)(wait_us / 1000) + 1;
    if (timeout > IDLE_WAKE_MS) timeout = IDLE_WAKE_MS;
    valkka_frame_t *frame = NULL;
    int err = queue_pop(w->queue, &frame, timeout);
    if (err == VALKKA_EOS) break;
    if (!err) {
      flush_due = write_frame(fs, w, frame);
      pool_put(frame);
    }
    /* A busy queue still gets its records written within FS_FLUSH_MS: append checks the time. */
    if (err || clock_mono_us() >= flush_due) flush_due = idle_turn(fs, w);
    if (clock_mono_us() >= next_sync) {
      if (valkka_fs_sync(fs) != 0) LOG_WARN("fs", "writer: %s", valkka_last_error());
      flush_due = INT64_MAX; /* the sync wrote the buffer */
      next_sync = clock_mono_us() + interval_us;
    }
  }
  /* The buffer and the entry, then fdatasync: everything queued is on disk when stop returns. */
  if (valkka_fs_sync(fs) != 0) LOG_WARN("fs", "writer: %s", valkka_last_error());
}

static void writer_free(fs_writer_t *w) {
  if (!w) return;
  queue_destroy(w->queue);
  pool_destroy(w->pool);
  pthread_cond_destroy(&w->idle);
  free(w);
}

int valkka_fs_writer_start(valkka_fs_t *fs, const valkka_fs_writer_params_t *params) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_writer_start: NULL fs");
  if (fs->readonly) return valkka_error_set(VALKKA_EACCES, "fs %s: opened read-only", fs->dir);
  fs_writer_t *w = calloc(1, sizeof *w);
  if (!w) return valkka_error_set(VALKKA_ENOMEM, "fs writer: out of memory");
  pthread_cond_init(&w->idle, NULL);
  w->params.struct_size = sizeof w->params;
  if (params) {
    uint32_t n = params->struct_size < sizeof w->params ? params->struct_size : sizeof w->params;
    memcpy(&w->params, params, n);
    w->params.struct_size = sizeof w->params;
  }
  if (!w->params.queue_length) w->params.queue_length = DEFAULT_QUEUE_LENGTH;
  if (!w->params.frame_capacity) w->params.frame_capacity = DEFAULT_FRAME_CAPACITY;
  pthread_mutex_lock(&fs->writer_lock);
  int err = 0;
  if (fs->writer) {
    err = valkka_error_set(VALKKA_ESTATE, "fs %s: writer already running", fs->dir);
  } else if (!(w->pool = pool_create(w->params.queue_length, w->params.frame_capacity)) ||
             !(w->queue = queue_create(w->params.queue_length))) {
    err = VALKKA_ENOMEM;
  } else {
    fs->writer = w;
    if ((err = thread_start(&w->thread, "fs-writer", writer_main, fs))) {
      fs->writer = NULL;
    } else {
      pthread_mutex_lock(&fs->streams_lock);
      w->accepting = true;
      pthread_mutex_unlock(&fs->streams_lock);
    }
  }
  pthread_mutex_unlock(&fs->writer_lock);
  if (err) writer_free(w);
  return err;
}

void fs_writer_stop(valkka_fs_t *fs) {
  pthread_mutex_lock(&fs->writer_lock);
  fs_writer_t *w = fs->writer;
  if (w) {
    pthread_mutex_lock(&fs->streams_lock);
    w->accepting = false;
    while (w->inflight) pthread_cond_wait(&w->idle, &fs->streams_lock);
    pthread_mutex_unlock(&fs->streams_lock);
    queue_close(w->queue); /* the thread writes what is queued, then sees the end */
    thread_stop(&w->thread);
    fs->writer = NULL;
  }
  pthread_mutex_unlock(&fs->writer_lock);
  writer_free(w);
}

int valkka_fs_writer_stop(valkka_fs_t *fs) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_writer_stop: NULL fs");
  fs_writer_stop(fs);
  return 0;
}

int valkka_fs_sink(void *raw, const valkka_frame_t *frame) {
  valkka_fs_t *fs = raw;
  if (!fs || !frame) return valkka_error_set(VALKKA_EINVAL, "fs_sink: NULL argument");
  /* Checked here, on the producer's thread, so the caller learns of it (the writer thread could
     only log it) and a refused frame takes no pool frame. */
  int check = fs_frame_check(frame, "fs_sink");
  if (check) return check;
  pthread_mutex_lock(&fs->streams_lock);
  fs_stream_t *stream = NULL;
  for (uint32_t i = 0; i < fs->n_write_map && !stream; i++)
    if (fs->write_map[i].slot == frame->slot) stream = fs->write_map[i].stream;
  if (!stream) {
    pthread_mutex_unlock(&fs->streams_lock);
    return valkka_error_set(VALKKA_ENOENT, "fs %s: slot %u is not mapped", fs->dir, frame->slot);
  }
  fs_writer_t *w = fs->writer;
  valkka_frame_t *copy = NULL;
  if (!w || !w->accepting) {
    stream->stats.dropped++;
    pthread_mutex_unlock(&fs->streams_lock);
    return VALKKA_ESTATE;
  }
  if (!(copy = pool_get(w->pool))) {
    stream->stats.dropped++;
    pthread_mutex_unlock(&fs->streams_lock);
    return VALKKA_EFULL;
  }
  w->inflight++;
  const uint32_t id = stream->id;
  pthread_mutex_unlock(&fs->streams_lock);

  int err = valkka_frame_copy(copy, frame);
  if (!err) {
    copy->stream_id = id;
    err = queue_push(w->queue, copy, 0);
  }
  if (err) pool_put(copy);

  pthread_mutex_lock(&fs->streams_lock);
  if (err) stream->stats.dropped++;
  if (--w->inflight == 0) pthread_cond_broadcast(&w->idle);
  pthread_mutex_unlock(&fs->streams_lock);
  return err;
}
