/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Presentation times of a reordering stream kept on their frame grid across the jumps
 * libavformat makes in them. With more than one stream in a session (video and sound), RTP
 * timestamps count from each stream's first packet until the stream's first RTCP sender report;
 * from then on libavformat maps them through the latest sender report onto the session's common
 * (NTP) timeline, and the video's times jump by the difference at every report where a server's
 * reports disagree with its RTP times (VLC's server, at 25 fps: 27, 40, 153 or 187 ms back,
 * 40, 113 or 153 ms forward, one report every 5 s). Decode times derived across a jump would
 * squash frames 1 ms apart, show pictures out of order or leave slots no picture fills, so the
 * jump is taken out of the presentation times the decode times are derived from: the stream
 * keeps the grid it started on. (The camera's times of its frames keep the jump: the session's
 * sound jumps with them, and rtsp_clock.h keeps the frames in order through it.)
 *
 * What tells a jump: a stream in decode order with reordering depth d places every frame on a
 * slot of its own, and never shows more than d pictures past a slot still due (those d precede
 * the due one in decode order and follow it in presentation order). A frame, with the frames
 * after it already here, that breaks either rule or comes off its slot, is the jump or shows
 * one coming; the shift taken out is the one (a whole number of intervals plus the fraction off
 * the grid) with which it and those frames keep both rules, the smallest, starting at the frame
 * where it starts. Such a frame asks for the reordering depth and one more frames after it, and
 * more where they would tell two such shifts apart (rtsp_rebase_wants); a frame on its slot with
 * nothing here against it goes as it is, until the stream has jumped RTSP_REBASE_JUMPY times: a
 * jump of whole intervals onto free slots is told only by the frames after it that break a rule,
 * and a server that jumps at later reports too (VLC's: 40 ms forward) would have the first one
 * or two of its pictures shown out of place. From then on every frame asks for the reordering
 * depth and one more (a live picture that much later), and a stop loses those held.
 */
#ifndef VALKKA_RTSP_REBASE_H
#define VALKKA_RTSP_REBASE_H

#include <stdbool.h>
#include <stdint.h>

/** Frames on the grid, in a row, before a stream is followed. */
#define RTSP_REBASE_STEADY 8

/** Below this frame interval (or unknown, 0) a stream is not followed. */
#define RTSP_REBASE_MIN_INTERVAL_MS 8.0

/** Recent presentation times remembered to tell a taken grid slot from a free one. */
#define RTSP_REBASE_RECENT 64

/** The most frames after one that are asked for to place it. */
#define RTSP_REBASE_MAX_NEXT 12

/** Jumps taken out after which every frame waits for the frames after it (the first sender
 * report's is every session's with sound; one more is a server that jumps at later reports). */
#define RTSP_REBASE_JUMPY 2

/** Off its slot by more than this (ms rounding is less) is a jump, however small. */
#define RTSP_REBASE_SNAP_MS 2.0

typedef struct rtsp_rebase {
  double interval_ms; /* the stream's exact frame interval; 0: not followed */
  int depth;          /* its reordering depth */
  int64_t shift_ms;   /* added to every presentation time */
  double phase_ms;    /* the grid: slots are phase_ms plus whole intervals */
  double due_ms;      /* the earliest slot no picture has had yet */
  int64_t latest_ms;  /* the latest time given out */
  bool phase_known;
  int steady; /* frames on the grid in a row, up to RTSP_REBASE_STEADY */
  int jumps;  /* jumps taken out, up to RTSP_REBASE_JUMPY */
  int64_t recent[RTSP_REBASE_RECENT];
  unsigned n_recent, next_recent;
} rtsp_rebase_t;

/**
 * Starts a session's stream of frame interval `interval_ms` (below RTSP_REBASE_MIN_INTERVAL_MS,
 * or unknown as 0: times pass as they are) and reordering depth `depth`. A zeroed struct is a
 * stream not followed.
 */
void rtsp_rebase_init(rtsp_rebase_t *r, double interval_ms, int depth);

/**
 * How many of the frames after a frame of presentation time `pts_ms` rtsp_rebase_pts needs to
 * place it, given that `n_next` of them (presentation times `next`, libavformat's) are here:
 * 0 for a stream not followed, `n_next` when nothing here tells of a jump, else up to
 * RTSP_REBASE_MAX_NEXT. The caller waits, bounded, for more when it is more than `n_next`.
 */
unsigned rtsp_rebase_wants(const rtsp_rebase_t *r, int64_t pts_ms, const int64_t *next,
                           unsigned n_next);

/**
 * The presentation time to use for a frame libavformat gave `pts_ms`. Frames in decode order;
 * `next` holds the presentation times (libavformat's) of the `n_next` frames after it already
 * here, if any.
 */
int64_t rtsp_rebase_pts(rtsp_rebase_t *r, int64_t pts_ms, const int64_t *next, unsigned n_next);

#endif
