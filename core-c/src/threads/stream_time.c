#include "threads/stream_time.h"

int64_t stream_time_next(stream_time_t *st, int64_t in_ms, bool encoded) {
  if (!st->last_ms) {
    *st = (stream_time_t){.last_ms = in_ms, .last_in_ms = in_ms, .last_encoded = encoded};
    return in_ms;
  }
  /* A configuration and its keyframe share a time; two encoded frames never do. */
  if (in_ms == st->last_in_ms && !(encoded && st->last_encoded)) {
    st->last_encoded = encoded;
    return st->last_ms;
  }
  /* Once the times in pass the last one out by themselves, no lead is needed any more. */
  if (st->lead_ms > 0 && in_ms > st->last_ms) st->lead_ms = 0;
  int64_t t = in_ms + st->lead_ms;
  if (t <= st->last_ms) {
    st->lead_ms = st->last_ms + 1 - in_ms;
    t = st->last_ms + 1;
  } else if (st->lead_ms > 0) {
    int64_t take = (t - st->last_ms) / STREAM_TIME_SLEW_DIVISOR;
    if (take > st->lead_ms) take = st->lead_ms;
    st->lead_ms -= take;
    t -= take;
  }
  st->last_ms = t;
  st->last_in_ms = in_ms;
  st->last_encoded = encoded;
  return t;
}
