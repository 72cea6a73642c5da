/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include <valkka/registry.h>

#include "live/source_thread.h"
#include "live/stream_time.h"
#include "util/clock.h"
#include "base/log.h"

/* Reads wait at most this long, so a stop is seen even if a plugin's interrupt were slow. */
#define READ_TIMEOUT_MS 200

typedef struct source_run {
  live_camera_t *cam;
  thread_t *self;
  const valkka_live_config_t *config;
  valkka_frame_t *frame;      /* lent to the plugin for every read */
  uint32_t attempts;          /* consecutive failures */
  uint32_t settings_failures; /* of them, consecutive ones only new settings mend */
  uint32_t backoff_ms;
  stream_time_t time; /* across sessions: a reconnect never sends the stream's time back */
  stream_time_t audio_time;
  int error;
  char reason[512];   /* credentials removed */
  char transport[16]; /* of the session open now, as its source says; "" when it does not */
} source_run_t;

static bool stopping(source_run_t *run) { return thread_should_stop(run->self); }

static void emit(source_run_t *run, uint32_t state, int error, uint32_t retry_in_ms) {
  live_camera_t *cam = run->cam;
  pthread_mutex_lock(&cam->state_lock);
  cam->stats.state = state;
  if (error) cam->stats.last_error = error;
  pthread_mutex_unlock(&cam->state_lock);
  pthread_mutex_lock(&cam->live->cameras_lock);
  valkka_live_status_fn cb = cam->live->status_cb;
  void *user = cam->live->status_user;
  pthread_mutex_unlock(&cam->live->cameras_lock);
  const char *reason = error ? run->reason : "";
  LOG_DEBUG("live", "%s (%s): %s%s%s", cam->name, cam->url_shown, valkka_stream_state_name(state),
            *reason ? ": " : "", reason);
  if (!cb) return;
  valkka_stream_status_t status = {
      .struct_size = sizeof status,
      .slot = cam->slot,
      .state = state,
      .error = error,
      .attempt = run->attempts,
      .retry_in_ms = retry_in_ms,
      .name = cam->name,
      .reason = reason,
      .transport = state == VALKKA_STREAM_STREAMING ? run->transport : "",
  };
  cb(user, &status);
}

/* Keeps what went wrong, from the plugin's detailed error, without credentials. */
static void set_reason(source_run_t *run, int error, const char *what) {
  const char *detail = valkka_last_error();
  char text[sizeof run->reason];
  snprintf(text, sizeof text, "%s: %s", what, *detail ? detail : valkka_strerror(error));
  valkka_url_redact(text, 0, run->reason, sizeof run->reason);
  run->error = error;
}

static int open_source(source_run_t *run) {
  live_camera_t *cam = run->cam;
  void *instance = NULL;
  valkka_error_clear();
  int err = cam->vt->open(valkka_host(), cam->url, cam->options, cam->n_options, &instance);
  if (!err && !instance)
    err = valkka_error_set(VALKKA_EPLUGIN, "plugin %s: open succeeded without an instance",
                           cam->source_name);
  if (err) {
    set_reason(run, err, "open");
    return err;
  }
  valkka_source_info_t info = {.struct_size = sizeof info};
  bool have_info = cam->vt->info && cam->vt->info(instance, &info) == 0;
  snprintf(run->transport, sizeof run->transport, "%s",
           have_info && info.transport ? info.transport : "");
  pthread_mutex_lock(&cam->state_lock);
  bool stop = stopping(run);
  if (!stop) cam->instance = instance;
  if (have_info) {
    cam->stats.codec = info.codec;
    cam->stats.width = info.width;
    cam->stats.height = info.height;
  }
  pthread_mutex_unlock(&cam->state_lock);
  if (stop) {
    cam->vt->close(instance);
    return VALKKA_EINTR;
  }
  return 0;
}

static void close_source(source_run_t *run) {
  live_camera_t *cam = run->cam;
  pthread_mutex_lock(&cam->state_lock);
  void *instance = cam->instance;
  cam->instance = NULL;
  pthread_mutex_unlock(&cam->state_lock);
  if (instance) cam->vt->close(instance);
}

/* A camera's sound: recorded as its own stream when asked for, never decoded here. */
static void hand_on_audio(source_run_t *run, valkka_frame_t *frame) {
  live_camera_t *cam = run->cam;
  if (!cam->audio || !cam->record_sink) return;
  frame->slot = cam->audio_slot;
  frame->pts_offset = 0;
  frame->mstime = stream_time_next(&run->audio_time, frame->mstime,
                                   frame->kind == VALKKA_FRAME_ENCODED, clock_mono_us() / 1000);
  if (cam->record_sink(cam->record_user, frame) != 0) {
    pthread_mutex_lock(&cam->state_lock);
    cam->stats.record_dropped++;
    pthread_mutex_unlock(&cam->state_lock);
  }
}

/* The tee: recording first, then bookkeeping and the decoder branch, which never block. */
static void hand_on(source_run_t *run, valkka_frame_t *frame) {
  live_camera_t *cam = run->cam;
  if (valkka_codec_is_audio((valkka_codec_t)frame->codec)) {
    hand_on_audio(run, frame);
    return;
  }
  frame->slot = cam->slot;
  if (frame->kind != VALKKA_FRAME_ENCODED || frame->pts_offset < 0)
    frame->pts_offset = 0;
  else if (frame->pts_offset > VALKKA_PTS_OFFSET_MAX)
    frame->pts_offset = VALKKA_PTS_OFFSET_MAX;
  int64_t now = clock_mono_us();
  frame->mstime =
      stream_time_next(&run->time, frame->mstime, frame->kind == VALKKA_FRAME_ENCODED, now / 1000);
  int refused = cam->record_sink ? cam->record_sink(cam->record_user, frame) : 0;
  pthread_mutex_lock(&cam->state_lock);
  live_stats_frame(&cam->stats, frame, refused == 0, now);
  if (frame->kind == VALKKA_FRAME_CONFIG)
    cam->has_config = valkka_frame_copy(cam->last_config, frame) == 0;
  if (cam->decode) live_decode_offer(cam->decode, frame);
  pthread_mutex_unlock(&cam->state_lock);
}

/* Reads until the source fails, ends, stalls for good or the thread is stopped; counts frames. */
static int stream(source_run_t *run, uint64_t *frames) {
  live_camera_t *cam = run->cam;
  int64_t last_frame_us = clock_mono_us();
  bool flowing = false, stalled = false;
  for (;;) {
    if (stopping(run)) return VALKKA_EINTR;
    /* A source built before presentation offsets never sets one: it must read as 0. */
    run->frame->pts_offset = 0;
    int err = cam->vt->read(cam->instance, run->frame, READ_TIMEOUT_MS);
    if (err == 0) {
      last_frame_us = clock_mono_us();
      if (!flowing || stalled) emit(run, VALKKA_STREAM_STREAMING, 0, 0);
      flowing = true;
      stalled = false;
      (*frames)++;
      hand_on(run, run->frame);
      continue;
    }
    if (err == VALKKA_ETIMEDOUT) {
      int64_t idle_ms = (clock_mono_us() - last_frame_us) / 1000;
      if (idle_ms >= run->config->stall_reconnect_ms) {
        snprintf(run->reason, sizeof run->reason, "no frame for %lld ms", (long long)idle_ms);
        run->error = VALKKA_ETIMEDOUT;
        return VALKKA_ETIMEDOUT;
      }
      if (!stalled && idle_ms >= run->config->stall_ms) {
        stalled = true;
        snprintf(run->reason, sizeof run->reason, "no frame for %lld ms", (long long)idle_ms);
        emit(run, VALKKA_STREAM_STALLED, VALKKA_ETIMEDOUT, 0);
      }
      continue;
    }
    /* The core interrupts only to stop; an unasked EINTR is a failure like any other. */
    if (err == VALKKA_EOS || (err == VALKKA_EINTR && stopping(run))) return err;
    set_reason(run, err, "read");
    return err;
  }
}

/* Retrying cannot fix these: the stream or the camera's settings must change. */
static bool permanent(int err) {
  return err == VALKKA_ECODEC || err == VALKKA_EINVAL || err == VALKKA_ENOSYS;
}

/* Nor these, once they repeat (settings_attempts): a camera booting may answer 404 or 401 before
   its streams and users are up, but a path or password that stays wrong needs an operator. */
static bool settings_error(int err) { return err == VALKKA_ENOENT || err == VALKKA_EACCES; }

static void wait_backoff(source_run_t *run, uint32_t ms) {
  live_camera_t *cam = run->cam;
  struct timespec deadline = clock_deadline((int)ms);
  pthread_mutex_lock(&cam->state_lock);
  while (!stopping(run))
    if (pthread_cond_timedwait(&cam->wake, &cam->state_lock, &deadline) != 0) break;
  pthread_mutex_unlock(&cam->state_lock);
}

static void source_main(thread_t *self, void *arg) {
  source_run_t run = {.cam = arg, .self = self, .config = &((live_camera_t *)arg)->live->config};
  live_camera_t *cam = run.cam;
  run.backoff_ms = run.config->backoff_initial_ms;
  emit(&run, VALKKA_STREAM_CONNECTING, 0, 0);
  if (!(run.frame = valkka_frame_new(0))) {
    set_reason(&run, VALKKA_ENOMEM, "start");
    emit(&run, VALKKA_STREAM_FAILED, VALKKA_ENOMEM, 0);
    return;
  }
  for (bool first = true; !stopping(&run); first = false) {
    if (!first) {
      pthread_mutex_lock(&cam->state_lock);
      cam->stats.reconnects++;
      pthread_mutex_unlock(&cam->state_lock);
    }
    uint64_t frames = 0;
    int err = open_source(&run);
    if (!err) {
      err = stream(&run, &frames);
      close_source(&run);
    }
    if (stopping(&run)) break;
    if (err == VALKKA_EOS) {
      emit(&run, VALKKA_STREAM_ENDED, 0, 0);
      break;
    }
    if (frames) run.backoff_ms = run.config->backoff_initial_ms;
    run.attempts = frames ? 1 : run.attempts + 1;
    run.settings_failures = !settings_error(err) ? 0 : frames ? 1 : run.settings_failures + 1;
    uint32_t max = run.config->max_attempts;
    if (permanent(err) || (max && run.attempts >= max) ||
        run.settings_failures >= run.config->settings_attempts) {
      LOG_WARN("live", "%s (%s): giving up: %s", cam->name, cam->url_shown, run.reason);
      emit(&run, VALKKA_STREAM_FAILED, err, 0);
      break;
    }
    LOG_INFO("live", "%s (%s): %s; reconnecting in %u ms", cam->name, cam->url_shown, run.reason,
             run.backoff_ms);
    emit(&run, VALKKA_STREAM_RECONNECTING, err, run.backoff_ms);
    wait_backoff(&run, run.backoff_ms);
    uint32_t doubled = run.backoff_ms * 2;
    run.backoff_ms = doubled < run.config->backoff_max_ms ? doubled : run.config->backoff_max_ms;
  }
  valkka_frame_free(run.frame);
}

int source_thread_start(live_camera_t *cam) {
  char name[16];
  snprintf(name, sizeof name, "vk-src-%u", cam->slot);
  /* Under the lock: live_camera_is_own_thread reads the thread's id under it. */
  pthread_mutex_lock(&cam->state_lock);
  int err = thread_start(&cam->thread, name, source_main, cam);
  pthread_mutex_unlock(&cam->state_lock);
  return err;
}
