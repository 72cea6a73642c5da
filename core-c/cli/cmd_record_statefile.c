/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`'s status.json: each camera's state written into the directory of the FS it
 * records into, for viewers in other processes (README.md, "status.json"). A thread of its own
 * rewrites the files at once when a camera's state changes and once a second otherwise (fps), each
 * through a temporary file, fsync and rename, so a reader sees the old file or the new one.
 * The file names no URL: only names, stream ids, states and redacted reasons.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli_time.h"
#include "cli_util.h"
#include "cmd_record_session.h"
#include "commands.h"

#define STATEFILE_NAME "status.json"
#define STATEFILE_TMP ".status.json.tmp"

struct record_statefile {
  record_session_t *s;
  pthread_t thread;
  pthread_cond_t wake;        /* with the session's lock */
  pthread_mutex_t write_lock; /* one writer of the files at a time; taken before the session's */
  bool dirty, halt, running, failed_once;
  int64_t started_ms, stopped_ms;
};

/* "2026-12-06T02:45:54.123Z" */
static json_t *iso_utc(int64_t ms) {
  char text[64];
  cli_iso_time(ms, text, sizeof text);
  return json_string(text);
}

static json_t *camera_json(const session_cam_t *c, uint32_t slot, bool stopped) {
  char fallback[32];
  const session_state_t *st = &c->state;
  json_t *cam = json_object();
  json_object_set_new(cam, "name",
                      json_string(session_camera_name(c->spec, slot, fallback, sizeof fallback)));
  json_object_set_new(cam, "stream_id", json_integer(c->spec->stream_id));
  if (c->spec->audio_id) json_object_set_new(cam, "audio_id", json_integer(c->spec->audio_id));
  json_object_set_new(cam, "state",
                      json_string(stopped ? "stopped" : valkka_stream_state_name(st->state)));
  if (!stopped && st->state != VALKKA_STREAM_STREAMING && *st->reason)
    json_object_set_new(cam, "reason", json_string(st->reason));
  if (!stopped && st->state == VALKKA_STREAM_RECONNECTING && st->retry_in_ms)
    json_object_set_new(cam, "retry_at", iso_utc(st->since_ms + st->retry_in_ms));
  json_object_set_new(cam, "fps", json_real(stopped ? 0.0 : st->fps));
  json_object_set_new(cam, "frames", json_integer((json_int_t)st->frames));
  json_object_set_new(cam, "since", iso_utc(stopped ? cli_wall_ms() : st->since_ms));
  return cam;
}

/* The file of FS `index` as text (to be freed), under the session's lock. */
static char *render(const record_statefile_t *f, size_t index, bool stopped) {
  const record_session_t *s = f->s;
  json_t *recorder = json_object(), *cameras = json_array();
  json_object_set_new(recorder, "pid", json_integer(getpid()));
  json_object_set_new(recorder, "started", iso_utc(f->started_ms));
  json_object_set_new(recorder, "updated", iso_utc(cli_wall_ms()));
  if (stopped) json_object_set_new(recorder, "stopped", iso_utc(f->stopped_ms));
  json_object_set_new(recorder, "version", json_string(valkka_version_string()));
  for (uint32_t slot = 0; slot < RECORD_MAX_CAMERAS; slot++)
    if (s->cams[slot].spec && s->cams[slot].fs == index)
      json_array_append_new(cameras, camera_json(&s->cams[slot], slot, stopped));
  json_t *root = json_object();
  json_object_set_new(root, "recorder", recorder);
  json_object_set_new(root, "cameras", cameras);
  char *text = json_dumps(root, JSON_INDENT(2));
  json_decref(root);
  return text;
}

/* `text` as DIR/status.json, atomically. Failures are reported once: a full disk would repeat. */
static void write_file(record_statefile_t *f, const char *dir, const char *text) {
  char tmp[4096], path[4096];
  snprintf(tmp, sizeof tmp, "%s/" STATEFILE_TMP, dir);
  snprintf(path, sizeof path, "%s/" STATEFILE_NAME, dir);
  const size_t len = strlen(text);
  const int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
            fsync(fd) == 0;
  if (fd >= 0) ok = close(fd) == 0 && ok;
  ok = ok && rename(tmp, path) == 0;
  if (!ok && !f->failed_once) {
    f->failed_once = true;
    fprintf(stderr, "valkka: record: warning: cannot write %s: %m (camera states not published)\n",
            path);
  }
}

typedef struct rendered {
  char *dir, *text;
} rendered_t;

/* Every open FS's file, rendered under the lock (held on entry) and written without it. */
static void publish(record_statefile_t *f, bool stopped) {
  record_session_t *s = f->s;
  const size_t n = s->n_fs;
  rendered_t *out = calloc(n + 1, sizeof *out);
  for (size_t i = 0; out && i < n; i++) {
    if (!s->fs[i].fs || s->fs[i].final) continue;
    out[i].dir = strdup(s->fs[i].dir);
    out[i].text = render(f, i, stopped);
  }
  pthread_mutex_unlock(&s->lock);
  for (size_t i = 0; out && i < n; i++) {
    pthread_mutex_lock(&f->write_lock);
    pthread_mutex_lock(&s->lock); /* a reload may have written its last version meanwhile */
    const bool final = s->fs[i].final;
    pthread_mutex_unlock(&s->lock);
    if (out[i].dir && out[i].text && !final) write_file(f, out[i].dir, out[i].text);
    pthread_mutex_unlock(&f->write_lock);
    free(out[i].dir);
    free(out[i].text);
  }
  free(out);
  pthread_mutex_lock(&s->lock);
}

/* The live counters into each camera's state, under the lock (the status callback runs without
 * the live pipeline's locks, so holding ours here cannot deadlock with it). */
static void refresh(record_session_t *s) {
  for (uint32_t slot = 0; slot < RECORD_MAX_CAMERAS; slot++) {
    if (!s->cams[slot].spec) continue;
    valkka_stream_stats_t st = {.struct_size = sizeof st};
    if (valkka_live_get_stats(s->live, slot, &st) != 0) continue;
    s->cams[slot].state.frames = st.frames;
    s->cams[slot].state.fps = st.fps;
  }
}

static void *statefile_thread(void *arg) {
  record_statefile_t *f = arg;
  record_session_t *s = f->s;
  pthread_mutex_lock(&s->lock);
  while (!f->halt) {
    if (!f->dirty) {
      /* The condition's clock is CLOCK_MONOTONIC, cli_mono_us's. */
      const int64_t us = cli_mono_us() + 1000000;
      const struct timespec until = {.tv_sec = us / 1000000,
                                     .tv_nsec = (long)(us % 1000000) * 1000};
      pthread_cond_timedwait(&f->wake, &s->lock, &until);
      if (f->halt) break;
    }
    f->dirty = false;
    refresh(s);
    publish(f, false);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

int record_statefile_start(record_session_t *s, record_statefile_t **out) {
  record_statefile_t *f = calloc(1, sizeof *f);
  if (!f) return cli_fail("record: out of memory");
  f->s = s;
  f->started_ms = cli_wall_ms();
  f->dirty = true;
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&f->wake, &attr);
  pthread_mutex_init(&f->write_lock, NULL);
  pthread_condattr_destroy(&attr);
  if (pthread_create(&f->thread, NULL, statefile_thread, f) != 0) {
    pthread_cond_destroy(&f->wake);
    pthread_mutex_destroy(&f->write_lock);
    free(f);
    return cli_fail("record: cannot start the status.json thread");
  }
  f->running = true;
  *out = f;
  return 0;
}

void record_statefile_poke(record_statefile_t *f) {
  if (!f) return;
  pthread_mutex_lock(&f->s->lock);
  f->dirty = true;
  pthread_cond_signal(&f->wake);
  pthread_mutex_unlock(&f->s->lock);
}

void record_statefile_halt(record_statefile_t *f) {
  if (!f || !f->running) return;
  pthread_mutex_lock(&f->s->lock);
  f->halt = true;
  pthread_cond_signal(&f->wake);
  pthread_mutex_unlock(&f->s->lock);
  pthread_join(f->thread, NULL);
  f->running = false;
}

void record_statefile_final(record_session_t *s, size_t index) {
  record_statefile_t *f = s->statefile;
  if (!f || !s->fs[index].fs) return;
  pthread_mutex_lock(&s->lock);
  f->stopped_ms = cli_wall_ms();
  s->fs[index].final = true; /* the thread leaves the file as it is from now on */
  char *text = render(f, index, true), *dir = strdup(s->fs[index].dir);
  pthread_mutex_unlock(&s->lock);
  pthread_mutex_lock(&f->write_lock);
  if (text && dir) write_file(f, dir, text);
  pthread_mutex_unlock(&f->write_lock);
  free(text);
  free(dir);
}

void record_statefile_stop(record_statefile_t *f) {
  if (!f) return;
  record_statefile_halt(f);
  for (size_t i = 0; i < f->s->n_fs; i++) record_statefile_final(f->s, i);
  f->s->statefile = NULL;
  pthread_cond_destroy(&f->wake);
  pthread_mutex_destroy(&f->write_lock);
  free(f);
}
