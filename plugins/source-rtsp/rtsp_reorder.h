/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decode times for a stream that RTP times in presentation order only. An RTP timestamp is a
 * frame's presentation time; with B-frames the frames come in decode order and their presentation
 * times go back and forth. The decode time of each frame is taken as libavformat does for such
 * streams: with a reordering depth of D frames, it is the smallest of the presentation times of
 * this frame and the D before it not yet used, so decode times never go back, never pass a
 * frame's own presentation time, and a decoder that holds D pictures gives each picture out when
 * the clock reaches its presentation time.
 *  - The depth comes from the stream's parameter sets (the decoder's reorder buffer).
 *  - The first D frames of a session have no D predecessors: they are timed one frame interval
 *    apart before the first presentation time.
 *  - A frame shown before a decode time already given out means the stream reorders deeper than
 *    it said: the depth grows by one and the frame gets that decode time (offset 0).
 *  - A frame shown more than RTSP_REORDER_RESTART_MS before it is no reordering but a media
 *    clock that went back (a camera restarted its timestamps): the timing starts afresh from it,
 *    so that the clock after it (rtsp_clock.h) sees the jump and re-anchors.
 * Pure arithmetic on the caller's numbers, like rtsp_clock.
 */
#ifndef VALKKA_RTSP_REORDER_H
#define VALKKA_RTSP_REORDER_H

#include <stdbool.h>
#include <stdint.h>

/** The deepest reordering followed (H.264 and H.265 allow 16). */
#define RTSP_REORDER_MAX 16

/** A step back larger than this is a media clock that went back, not reordering. */
#define RTSP_REORDER_RESTART_MS 1000

typedef struct rtsp_reorder {
  int depth;
  int seen;                          /* frames of the session so far, up to depth */
  int64_t buf[RTSP_REORDER_MAX + 1]; /* presentation times not yet used as decode times, sorted */
  int n;
  int64_t last_dts;
  bool started;
} rtsp_reorder_t;

/** Starts a session's decode timing with reordering `depth` (clamped to 0..RTSP_REORDER_MAX). */
void rtsp_reorder_init(rtsp_reorder_t *r, int depth);

/**
 * The decode time of the next frame in decode order, whose presentation time is `pts_ms`, in
 * the same units; `step_ms` is the nominal frame interval (> 0). Never greater than pts_ms
 * unless the frame came too late to be timed otherwise, and never less than the previous one.
 */
int64_t rtsp_reorder_dts(rtsp_reorder_t *r, int64_t pts_ms, int64_t step_ms);

#endif
