/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A camera's frame times across its sessions. Each session's source times its frames
 * monotonically, but every reconnect opens a new source whose clock starts afresh: its first
 * frames may be timed before the last ones of the session before (a camera clock ahead of ours
 * within the tolerance, then a first frame timed by its arrival). Times never go back within a
 * stream (DESIGN.md section 4), whatever the source: a frame that would comes 1 ms after the
 * previous one, and from there the times run a tenth slower than our clock until the source's
 * own times pass them. Slower than our clock, not than the source's: a source clock that jumps
 * ahead meanwhile (but not past them) does not carry the times further ahead of ours.
 * Pure arithmetic, so a test drives it with made-up times.
 */
#ifndef VALKKA_LIVE_STREAM_TIME_H
#define VALKKA_LIVE_STREAM_TIME_H

#include <stdbool.h>
#include <stdint.h>

/** Behind the last time out, times run 1/N slower than our clock. */
#define STREAM_TIME_SLEW_DIVISOR 10

typedef struct stream_time {
  int64_t last_ms;     /* the previous frame's time out; 0 before the first */
  int64_t last_in_ms;  /* ...and as it came in */
  int64_t last_now_ms; /* ...and our (monotonic) clock then */
  bool last_encoded;   /* the previous frame was an encoded one (not a configuration) */
} stream_time_t;

/**
 * The time a frame of the stream goes out with, for the time `in_ms` its source gave it, handed
 * on at `now_ms` of a monotonic clock. Encoded frames get strictly rising times; a configuration
 * frame and the frame it comes with (the same time in) get the same time out.
 */
int64_t stream_time_next(stream_time_t *st, int64_t in_ms, bool encoded, int64_t now_ms);

#endif
