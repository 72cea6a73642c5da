/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file-cache thread: its life, its inbox (commands from API threads, frames and markers from
 * block loaders, writers' table events) and the published state. The engine is
 * filecache_play.c, the windows filecache_windows.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "manager/filecache_internal.h"
#include "util/array.h"
#include "util/clock.h"
#include "base/log.h"
#include "util/alloc.h"

/* Loaders wait while the intake holds more than this: it bounds memory when decoding lags. */
#define INTAKE_BOUND_BYTES (64u << 20)
#define INTAKE_POLL_MS 20

/* Empties the inbox's lists (the caller keeps or frees what they held). */
static void clear_inbox(filecache_t *fc) {
  fc->cmd_head = NULL;
  fc->cmd_tail = &fc->cmd_head;
  fc->item_head = NULL;
  fc->item_tail = &fc->item_head;
}

static void cache_main(thread_t *self, void *arg) {
  (void)self;
  filecache_t *fc = arg;
  for (;;) {
    pthread_mutex_lock(&fc->inbox_lock);
    if (fc->stopping) {
      pthread_mutex_unlock(&fc->inbox_lock);
      break;
    }
    fc_cmd_t *cmds = fc->cmd_head;
    fc_item_t *items = fc->item_head;
    clear_inbox(fc);
    fc->seek_queued = false;
    if (items) {
      fc->intake_bytes = 0;
      pthread_cond_broadcast(&fc->room);
    }
    for (size_t i = 0; i < fc->n_changed; i++) {
      window_t *w = fc_window_of(fc, fc->changed[i]);
      if (w) w->dirty = true;
    }
    fc->n_changed = 0;
    pthread_mutex_unlock(&fc->inbox_lock);

    int64_t now = clock_mono_us();
    fc_cmd_t *synced = NULL;
    while (cmds) {
      fc_cmd_t *next = cmds->next;
      fc_apply(fc, cmds, now);
      if (cmds->sync) {
        cmds->next = synced;
        synced = cmds;
      } else {
        free(cmds);
      }
      cmds = next;
    }
    if (synced) {
      /* Published first: a caller back from map or unmap sees the new stream count. */
      fc_publish(fc);
      pthread_mutex_lock(&fc->inbox_lock);
      for (fc_cmd_t *c = synced, *next; c; c = next) {
        next = c->next; /* the caller may free c once done is set */
        c->done = true;
      }
      pthread_cond_broadcast(&fc->done);
      pthread_mutex_unlock(&fc->inbox_lock);
    }
    while (items) {
      fc_item_t *next = items->next;
      fc_merge(fc, items); /* takes or frees the payload */
      free(items);
      items = next;
    }
    int64_t wake_us = fc_run(fc, clock_mono_us());
    fc_publish(fc);

    pthread_mutex_lock(&fc->inbox_lock);
    if (!fc->stopping && !fc->cmd_head && !fc->item_head) {
      int64_t wait_us = wake_us - clock_mono_us();
      if (wait_us > 0) {
        struct timespec deadline = clock_deadline((int)((wait_us + 999) / 1000));
        pthread_cond_timedwait(&fc->wake, &fc->inbox_lock, &deadline);
      }
    }
    pthread_mutex_unlock(&fc->inbox_lock);
  }
  fc_free_streams(fc);
}

static void free_inbox(filecache_t *fc) {
  for (fc_cmd_t *c = fc->cmd_head, *next; c; c = next) {
    next = c->next;
    if (c->kind == FC_CMD_ADD_STREAM) fc_stream_destroy(c->stream);
    if (!c->sync) free(c);
  }
  for (fc_item_t *i = fc->item_head, *next; i; i = next) {
    next = i->next;
    free(i->frame.data);
    free(i);
  }
  clear_inbox(fc);
}

static void destroy(filecache_t *fc) {
  free_inbox(fc);
  /* The loaders stop here, after the thread: one waiting for room in the intake sees `stopping`. */
  for (size_t i = 0; i < fc->n_windows; i++) window_destroy(fc->windows[i]);
  fc_scrub_free(fc->scrub);
  decode_pool_stop(fc->pool); /* idle: its rounds ran on the thread, which has ended */
  free(fc->windows);
  free(fc->changed);
  free(fc->ids);
  free(fc->streams);
  free(fc->batch);
  free(fc->got);
  free(fc->step_jobs);
  pthread_cond_destroy(&fc->wake);
  pthread_cond_destroy(&fc->done);
  pthread_cond_destroy(&fc->room);
  pthread_mutex_destroy(&fc->inbox_lock);
  free(fc);
}

filecache_t *filecache_start(const filecache_params_t *params) {
  filecache_t *fc = alloc_zeroed(sizeof *fc, "filecache: out of memory");
  if (!fc) return NULL;
  fc->params = *params;
  clear_inbox(fc);
  pthread_mutex_init(&fc->inbox_lock, NULL);
  clock_cond_init(&fc->wake);
  clock_cond_init(&fc->done);
  clock_cond_init(&fc->room);
  fc->mode = VALKKA_PLAYBACK_STOPPED;
  fc->speed = 1.0;
  fc->pub.struct_size = sizeof fc->pub;
  fc->pub.state = VALKKA_PLAYBACK_STOPPED;
  fc->pub.speed = 1.0;
  if (!(fc->pool = decode_pool_start(params->decoder_workers)) ||
      thread_start(&fc->thread, "vk-filecache", cache_main, fc) != 0) {
    destroy(fc);
    return NULL;
  }
  return fc;
}

void filecache_stop(filecache_t *fc) {
  if (!fc) return;
  pthread_mutex_lock(&fc->inbox_lock);
  fc->stopping = true;
  pthread_cond_broadcast(&fc->wake);
  pthread_cond_broadcast(&fc->room);
  pthread_mutex_unlock(&fc->inbox_lock);
  thread_stop(&fc->thread);
  destroy(fc);
}

bool filecache_is_own_thread(const filecache_t *fc) {
  return fc->thread.running && pthread_equal(pthread_self(), fc->thread.tid);
}

/* Appends `cmd` to the inbox (the lock held) and wakes the thread. */
static void enqueue_locked(filecache_t *fc, fc_cmd_t *cmd) {
  cmd->next = NULL;
  *fc->cmd_tail = cmd;
  fc->cmd_tail = &cmd->next;
  pthread_cond_signal(&fc->wake);
}

static void post(filecache_t *fc, fc_cmd_kind_t kind, int64_t t, double speed) {
  fc_cmd_t *cmd = calloc(1, sizeof *cmd);
  if (!cmd) {
    LOG_ERROR("manager", "filecache: out of memory: a playback command was lost");
    return;
  }
  cmd->kind = kind;
  cmd->t = t;
  cmd->speed = speed;
  pthread_mutex_lock(&fc->inbox_lock);
  if (kind == FC_CMD_SCRUB || kind == FC_CMD_SEEK) {
    /* The playhead moves at once for readers, before the thread gets to the command. */
    fc->seek_queued = true;
    fc->seek_queued_t = t;
    fc->pub.current_ms = t;
  }
  if (fc->stopping)
    free(cmd);
  else
    enqueue_locked(fc, cmd);
  pthread_mutex_unlock(&fc->inbox_lock);
}

void filecache_seek(filecache_t *fc, int64_t t) { post(fc, FC_CMD_SEEK, t, 0); }
void filecache_play(filecache_t *fc, double speed) { post(fc, FC_CMD_PLAY, 0, speed); }
void filecache_pause(filecache_t *fc) { post(fc, FC_CMD_PAUSE, 0, 0); }
void filecache_stop_playback(filecache_t *fc) { post(fc, FC_CMD_STOP, 0, 0); }
void filecache_step_by(filecache_t *fc, int frames) { post(fc, FC_CMD_STEP, frames, 0); }
void filecache_scrub(filecache_t *fc, int64_t t) { post(fc, FC_CMD_SCRUB, t, 0); }
void filecache_request(filecache_t *fc, int64_t t) { post(fc, FC_CMD_REQUEST, t, 0); }
void filecache_refresh(filecache_t *fc) { post(fc, FC_CMD_REFRESH, 0, 0); }

static int run_sync(filecache_t *fc, fc_cmd_t *cmd) {
  if (filecache_is_own_thread(fc))
    return valkka_error_set(VALKKA_ESTATE, "manager: called from a callback of the manager");
  cmd->sync = true;
  pthread_mutex_lock(&fc->inbox_lock);
  enqueue_locked(fc, cmd);
  while (!cmd->done) pthread_cond_wait(&fc->done, &fc->inbox_lock);
  pthread_mutex_unlock(&fc->inbox_lock);
  return cmd->result;
}

int filecache_add_stream(filecache_t *fc, fc_stream_t *stream) {
  fc_cmd_t cmd = {.kind = FC_CMD_ADD_STREAM, .stream = stream, .group = stream->group};
  return run_sync(fc, &cmd);
}

int filecache_remove_stream(filecache_t *fc, uint32_t group, uint32_t id) {
  fc_cmd_t cmd = {.kind = FC_CMD_REMOVE_STREAM, .group = group, .id = id};
  return run_sync(fc, &cmd);
}

int filecache_add_fs(filecache_t *fc, valkka_fs_t *fs, uint32_t group) {
  if (filecache_is_own_thread(fc))
    return valkka_error_set(VALKKA_ESTATE, "manager: called from a callback of the manager");
  fc_cmd_t cmd = {.kind = FC_CMD_ADD_FS, .group = group};
  int err = window_create(fs, group, fc, &cmd.window);
  if (err) return err;
  err = run_sync(fc, &cmd);
  if (err) window_destroy(cmd.window);
  return err;
}

int filecache_remove_fs(filecache_t *fc, uint32_t group) {
  fc_cmd_t cmd = {.kind = FC_CMD_REMOVE_FS, .group = group};
  int err = run_sync(fc, &cmd);
  /* Destroyed here, not on the thread: stopping a loader waits for its read to end. */
  window_destroy(cmd.window);
  return err;
}

void filecache_table_changed(filecache_t *fc, uint32_t group) {
  pthread_mutex_lock(&fc->inbox_lock);
  bool known = false;
  for (size_t i = 0; i < fc->n_changed && !known; i++) known = fc->changed[i] == group;
  /* Out of memory: the copy is read at the next table interval instead. */
  if (!known && array_reserve((void **)&fc->changed, &fc->cap_changed, fc->n_changed + 1,
                              sizeof *fc->changed, 4) == 0)
    fc->changed[fc->n_changed++] = group;
  pthread_mutex_unlock(&fc->inbox_lock);
}

/* The thread is woken for a block's marker, or when the intake fills up: a block's frames count
   for nothing before its marker (window.h, rule 3), and waking it for each of them (800 frames
   in a block of 16 cameras) passed the thread and the loader back and forth at every frame. */
static void push_item_locked(filecache_t *fc, fc_item_t *item) {
  item->next = NULL;
  *fc->item_tail = item;
  fc->item_tail = &item->next;
  fc->intake_bytes += item->frame.size + sizeof *item;
  if (item->marker || fc->intake_bytes >= INTAKE_BOUND_BYTES / 2) pthread_cond_signal(&fc->wake);
}

int filecache_intake_frame(filecache_t *fc, uint32_t group, uint32_t block, uint64_t seq,
                           const valkka_frame_t *frame, bool (*cancelled)(void *user), void *user) {
  fc_item_t *item = calloc(1, sizeof *item);
  uint8_t *data = frame->size ? malloc(frame->size) : NULL;
  if (!item || (frame->size && !data)) {
    free(item);
    free(data);
    return valkka_error_set(VALKKA_ENOMEM, "filecache: out of memory for a frame");
  }
  if (frame->size) memcpy(data, frame->data, frame->size);
  item->group = group;
  item->stream_id = frame->stream_id;
  item->frame = (fc_frame_t){.mstime = frame->mstime,
                             .pts_offset = frame->pts_offset,
                             .kind = frame->kind,
                             .flags = frame->flags,
                             .codec = frame->codec,
                             .size = frame->size,
                             .data = data,
                             .block = block,
                             .seq = seq};
  pthread_mutex_lock(&fc->inbox_lock);
  while (!fc->stopping && fc->intake_bytes >= INTAKE_BOUND_BYTES && !cancelled(user)) {
    struct timespec deadline = clock_deadline(INTAKE_POLL_MS);
    pthread_cond_timedwait(&fc->room, &fc->inbox_lock, &deadline);
  }
  bool refused = fc->stopping || fc->intake_bytes >= INTAKE_BOUND_BYTES;
  if (!refused) push_item_locked(fc, item);
  pthread_mutex_unlock(&fc->inbox_lock);
  if (refused) {
    free(data);
    free(item);
    return VALKKA_EINTR;
  }
  return 0;
}

void filecache_intake_block_done(filecache_t *fc, uint32_t group, const loader_marker_t *marker) {
  fc_item_t *item = calloc(1, sizeof *item);
  if (!item) {
    /* Without the marker the block counts as loading until the seek timeout: slower, not wrong. */
    LOG_ERROR("manager", "filecache: out of memory: block %u marker lost", marker->pull.index);
    return;
  }
  *item = (fc_item_t){.marker = true, .group = group, .end = *marker};
  pthread_mutex_lock(&fc->inbox_lock);
  if (fc->stopping)
    free(item);
  else
    push_item_locked(fc, item);
  pthread_mutex_unlock(&fc->inbox_lock);
}

void filecache_set_time_callback(filecache_t *fc, valkka_manager_time_fn cb, void *user) {
  pthread_mutex_lock(&fc->inbox_lock);
  fc->time_cb = cb;
  fc->time_user = user;
  pthread_mutex_unlock(&fc->inbox_lock);
}

void filecache_set_time_limits_callback(filecache_t *fc, valkka_manager_time_limits_fn cb,
                                        void *user) {
  pthread_mutex_lock(&fc->inbox_lock);
  fc->limits_cb = cb;
  fc->limits_user = user;
  pthread_mutex_unlock(&fc->inbox_lock);
}

int64_t filecache_current(filecache_t *fc) {
  pthread_mutex_lock(&fc->inbox_lock);
  int64_t t = fc->pub.current_ms;
  pthread_mutex_unlock(&fc->inbox_lock);
  return t;
}

void filecache_get_state(filecache_t *fc, valkka_manager_state_t *state) {
  pthread_mutex_lock(&fc->inbox_lock);
  valkka_manager_state_t copy = fc->pub;
  pthread_mutex_unlock(&fc->inbox_lock);
  uint32_t n = state->struct_size < sizeof copy ? state->struct_size : (uint32_t)sizeof copy;
  copy.struct_size = state->struct_size;
  memcpy(state, &copy, n);
}
