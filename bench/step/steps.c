/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Steps back through the manager: a seek into the middle of a GOP, then one step_by(-1) after
 * another, each timed from the call to the last picture of the step reaching the picture
 * callback (the step is over when its heartbeat comes: the pictures went out before it). Which
 * steps decode a GOP follows from the recording: a camera's first step into a GOP decodes it
 * (the seek leaves the picture cache empty, so the first step decodes too), the others copy.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "step.h"

#define PATIENCE_S 30.0 /* only a step that never ends waits this long */

typedef struct watch {
  pthread_mutex_t lock;
  int cameras;
  int got[BENCH_MAX_CAMERAS];       /* pictures since the last reset */
  int64_t shown[BENCH_MAX_CAMERAS]; /* the time of each camera's last picture */
  double last;                      /* when the last picture came */
  uint64_t beats;
} watch_t;

static int on_picture(void *user, const valkka_frame_t *frame) {
  watch_t *w = user;
  const double now = bench_now();
  pthread_mutex_lock(&w->lock);
  const uint32_t c = frame->stream_id - 1;
  if (c < (uint32_t)w->cameras) {
    w->got[c]++;
    w->shown[c] = frame->mstime;
  }
  w->last = now;
  pthread_mutex_unlock(&w->lock);
  return 0;
}

static void on_time(void *user, int64_t mstime) {
  (void)mstime;
  watch_t *w = user;
  pthread_mutex_lock(&w->lock);
  w->beats++;
  pthread_mutex_unlock(&w->lock);
}

static uint64_t beats(watch_t *w) {
  pthread_mutex_lock(&w->lock);
  const uint64_t b = w->beats;
  pthread_mutex_unlock(&w->lock);
  return b;
}

/* Waits (bounded) for the seek count or the heartbeats to pass `before`. */
static int wait_seek(valkka_manager_t *m, uint64_t before) {
  const double give_up = bench_now() + PATIENCE_S;
  while (bench_state(m).seeks == before)
    if (bench_now() > give_up)
      return VALKKA_ETIMEDOUT;
    else
      usleep(100);
  return 0;
}

static int wait_beat(watch_t *w, uint64_t before) {
  const double give_up = bench_now() + PATIENCE_S;
  while (beats(w) == before)
    if (bench_now() > give_up)
      return VALKKA_ETIMEDOUT;
    else
      usleep(100);
  return 0;
}

int step_back(const char *fs_dir, const bench_material_t *m, uint32_t workers, int64_t from, int n,
              step_times_t *out) {
  watch_t w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cameras = m->cameras};
  int err = 0;
  valkka_manager_t *mgr = bench_manager(fs_dir, m->cameras, workers, on_picture, &w, &err);
  if (!mgr) return err;
  if (!err) err = valkka_manager_set_time_callback(mgr, on_time, &w);
  const uint64_t seeks = bench_state(mgr).seeks;
  if (!err) err = valkka_manager_seek(mgr, from);
  if (!err) err = wait_seek(mgr, seeks);
  int64_t at[BENCH_MAX_CAMERAS], gop[BENCH_MAX_CAMERAS]; /* frame shown; GOP in the cache */
  for (int c = 0; c < m->cameras; c++) {
    int64_t key = -1;
    at[c] = bench_frame_at(m, c, from, &key);
    gop[c] = -1;
  }
  out->wrong = 0;
  for (int i = 0; i < n && !err; i++) {
    out->decoded[i] = 0;
    for (int c = 0; c < m->cameras; c++) {
      int64_t key = -1;
      if (--at[c] < 0 || bench_frame_at(m, c, bench_frame_time(&m->clips[c], at[c]), &key) < 0)
        continue;
      if (key != gop[c]) out->decoded[i]++;
      gop[c] = key;
    }
    pthread_mutex_lock(&w.lock);
    for (int c = 0; c < m->cameras; c++) w.got[c] = 0;
    pthread_mutex_unlock(&w.lock);
    const uint64_t before = beats(&w);
    const double start = bench_now();
    if ((err = valkka_manager_step_by(mgr, -1)) != 0 || (err = wait_beat(&w, before)) != 0) break;
    pthread_mutex_lock(&w.lock);
    out->s[i] = w.last - start;
    for (int c = 0; c < m->cameras; c++)
      if (w.got[c] != 1 || w.shown[c] != bench_frame_time(&m->clips[c], at[c])) out->wrong++;
    pthread_mutex_unlock(&w.lock);
  }
  valkka_manager_destroy(mgr);
  return err;
}
