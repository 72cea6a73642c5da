/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Playing at 1x, forward or back, for a number of seconds of wall time: the pictures that reach
 * the outputs against the frames recorded in as much time from the start, so a clock that waits
 * for decoding (reverse never passes a picture unshown) counts as much as one that skips.
 */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "step.h"

#define PATIENCE_S 30.0

typedef struct count {
  pthread_mutex_t lock;
  int cameras;
  double sign; /* +1 forward, -1 back: each camera's pictures must go that way */
  int64_t shown[BENCH_MAX_CAMERAS];
  int64_t presented, wrong_way;
} count_t;

static int on_picture(void *user, const valkka_frame_t *frame) {
  count_t *n = user;
  pthread_mutex_lock(&n->lock);
  const uint32_t c = frame->stream_id - 1;
  if (c < (uint32_t)n->cameras) {
    if (n->shown[c] && (double)(frame->mstime - n->shown[c]) * n->sign <= 0) n->wrong_way++;
    n->shown[c] = frame->mstime;
  }
  n->presented++;
  pthread_mutex_unlock(&n->lock);
  return 0;
}

int64_t step_frames_between(const bench_material_t *m, int64_t lo, int64_t hi) {
  int64_t n = 0;
  for (int c = 0; c < m->cameras; c++)
    for (int64_t k = 0; k < m->frames; k++) {
      const int64_t t = bench_frame_time(&m->clips[c], k);
      n += t >= lo && t < hi;
    }
  return n;
}

/* Waits (bounded) until the state satisfies `done`. */
static int wait_for(valkka_manager_t *m, int (*done)(const valkka_manager_state_t *, uint64_t),
                    uint64_t arg) {
  const double give_up = bench_now() + PATIENCE_S;
  for (;;) {
    const valkka_manager_state_t st = bench_state(m);
    if (done(&st, arg)) return 0;
    if (bench_now() > give_up) return VALKKA_ETIMEDOUT;
    usleep(1000);
  }
}

static int seeked(const valkka_manager_state_t *st, uint64_t before) { return st->seeks > before; }

static int paused(const valkka_manager_state_t *st, uint64_t unused) {
  (void)unused;
  return st->state == VALKKA_PLAYBACK_PAUSED;
}

int play_for(const char *fs_dir, const bench_material_t *m, double speed, int64_t from,
             double seconds, play_count_t *out) {
  count_t n = {.lock = PTHREAD_MUTEX_INITIALIZER, .cameras = m->cameras, .sign = speed};
  int err = 0;
  valkka_manager_t *mgr = bench_manager(fs_dir, m->cameras, 0, on_picture, &n, &err);
  if (!mgr) return err;
  if (!err) err = valkka_manager_seek(mgr, from);
  if (!err) err = wait_for(mgr, seeked, 0);
  pthread_mutex_lock(&n.lock);
  n.presented = n.wrong_way = 0;
  pthread_mutex_unlock(&n.lock);
  const double start = bench_now();
  if (!err) err = valkka_manager_play(mgr, speed);
  const struct timespec wait = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  if (!err) nanosleep(&wait, NULL);
  const double stop = bench_now();
  if (!err) err = valkka_manager_pause(mgr);
  if (!err) err = wait_for(mgr, paused, 0);
  const int64_t now_ms = bench_state(mgr).current_ms;
  pthread_mutex_lock(&n.lock);
  out->presented = n.presented;
  out->wrong_way = n.wrong_way;
  pthread_mutex_unlock(&n.lock);
  valkka_manager_destroy(mgr);
  out->wall_s = stop - start;
  const int64_t wall_ms = (int64_t)(out->wall_s * 1000);
  out->clock_ms = speed > 0 ? now_ms - from : from - now_ms;
  /* The picture at `from` was the seek's: forward shows those after it, back those before. */
  out->recorded = speed > 0 ? step_frames_between(m, from + 1, from + 1 + wall_ms)
                            : step_frames_between(m, from - wall_ms, from);
  out->travelled = speed > 0 ? step_frames_between(m, from + 1, now_ms + 1)
                             : step_frames_between(m, now_ms, from);
  return err;
}
