/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "live/stream_time.h"

int64_t stream_time_next(stream_time_t *st, int64_t in_ms, bool encoded, int64_t now_ms) {
  if (!st->last_ms) {
    *st = (stream_time_t){
        .last_ms = in_ms, .last_in_ms = in_ms, .last_now_ms = now_ms, .last_encoded = encoded};
    return in_ms;
  }
  /* A configuration and its keyframe share a time (so do configurations in a row); a frame after
     an encoded frame never shares its time, whatever its source said: a new session's first
     configuration given the time the last session ended with would hand that time on to its
     keyframe, a second encoded frame at one time. */
  if (in_ms == st->last_in_ms && !st->last_encoded) {
    st->last_encoded = encoded;
    return st->last_ms;
  }
  int64_t t = in_ms;
  if (in_ms <= st->last_ms) {
    /* Behind the last time out: on from it, as far as our clock moved and its source's did,
       less a tenth, and at least 1 ms. */
    int64_t moved = now_ms - st->last_now_ms, moved_in = in_ms - st->last_in_ms;
    if (moved_in < moved) moved = moved_in;
    int64_t step = moved - moved / STREAM_TIME_SLEW_DIVISOR;
    t = st->last_ms + (step > 1 ? step : 1);
  }
  st->last_ms = t;
  st->last_in_ms = in_ms;
  st->last_now_ms = now_ms;
  st->last_encoded = encoded;
  return t;
}
