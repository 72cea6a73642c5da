/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Playing backwards (valkka_manager_play with a negative speed), on the file-cache thread: the
 * clock runs down and every video stream shows its newest picture at or before it, as forward
 * (a picture is on screen from its time until the next one's, whichever way the clock runs).
 * The pictures come from the streams' picture caches: when the clock enters the GOP before, it
 * is decoded once, on the decoder workers, and its pictures are copied out one by one as the
 * clock passes them (filecache_step.c does both). The clock waits for the blocks before it, and
 * never passes a picture unshown: when decoding falls behind it waits (a tick moves each stream
 * by one picture at most). At the start of the recording it waits there, at_end set.
 */
#include <math.h>

#include "manager/filecache_internal.h"
#include "util/clock.h"

#define HEARTBEAT_MAX_US 50000 /* as forward: >= 20 heartbeats a second of wall and of playback */
#define WIRING_US 20000        /* blocks around the playhead */

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

static int64_t period_us(double speed) {
  const double rate = fabs(speed);
  if (rate <= 1.0) return HEARTBEAT_MAX_US;
  const int64_t p = (int64_t)(HEARTBEAT_MAX_US / rate);
  return p < 1000 ? 1000 : p;
}

/* The clock time at which the next picture changes going down: just below the latest picture
   shown that has one before it; INT64_MIN when none will. */
static int64_t next_change(const filecache_t *fc) {
  int64_t at = INT64_MIN;
  for (size_t i = 0; i < fc->n_streams; i++) {
    const fc_stream_t *s = fc->streams[i];
    if (!s->shown || fc_stream_is_audio(s) || !s->track.n) continue;
    if (s->track.frames[0].mstime + s->track.frames[0].pts_offset >= s->shown_ms) continue;
    if (s->shown_ms <= fc->current) at = max64(at, s->shown_ms - 1);
  }
  return at;
}

static void anchor(filecache_t *fc, int64_t t, int64_t now_us) {
  fc->anchor_ms = t;
  fc->anchor_us = now_us;
}

int64_t fc_reverse_tick(filecache_t *fc, int64_t now_us) {
  const int64_t period = period_us(fc->speed);
  int64_t first = 0, last = 0;
  fc_windows_range(fc, &first, &last);
  int64_t target = fc->anchor_ms + (int64_t)((double)(now_us - fc->anchor_us) * fc->speed / 1000.0);
  fc->at_end = first && target <= first;
  if (fc->at_end) {
    target = first; /* the clock waits at the start and goes on when older data comes */
    anchor(fc, target, now_us);
  }
  target = min64(target, fc->current);
  if (now_us - fc->wiring_us >= WIRING_US || target < fc->current) {
    fc->wiring_us = now_us;
    fc_windows_refresh(fc, false);
    fc_windows_request(fc, target); /* every stream's GOP at the clock, and the blocks after */
  }
  if (!fc_windows_ready(fc, INT64_MAX)) {
    /* The clock waits for the blocks before it. */
    anchor(fc, fc->current, now_us);
    if (now_us - fc->hb_us >= period) fc_heartbeat(fc, now_us, fc->current);
    return now_us + WIRING_US;
  }
  /* No picture is passed unshown: at most one picture back of each stream a tick, the clock
     waiting for the decoding that falls behind. */
  const int64_t floor = fc_step_back_target(fc);
  if (floor != INT64_MIN && target < floor) {
    target = floor;
    anchor(fc, target, now_us);
  }
  bool decoded = false;
  const size_t moved = target < fc->current ? fc_step_move(fc, target, true, &decoded) : 0;
  fc->current = target;
  fc->presented_ms = target;
  if (decoded) anchor(fc, target, clock_mono_us()); /* a GOP's decoding is not playback time */
  if (moved || now_us - fc->hb_us >= period) fc_heartbeat(fc, now_us, target);
  int64_t wake = fc->hb_us + period;
  const int64_t change = next_change(fc);
  if (change != INT64_MIN && !fc->at_end)
    wake = min64(wake, fc->anchor_us +
                           (int64_t)((double)(change - fc->anchor_ms) * 1000.0 / fc->speed) + 1);
  /* A picture it could not show (its blocks gone meanwhile) is not waited for in a spin. */
  return max64(min64(wake, fc->wiring_us + WIRING_US), now_us + 1000);
}
