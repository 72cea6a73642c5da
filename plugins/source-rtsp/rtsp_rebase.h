/*
 * Presentation times of a reordering stream kept on their frame grid across the jumps
 * libavformat makes in them. With more than one stream in a session (video and sound), RTP
 * timestamps count from each stream's first packet until the stream's first RTCP sender report;
 * from then on libavformat maps them through the latest sender report onto the session's common
 * (NTP) timeline, and the video's times jump by the difference, and again wherever a server's
 * reports disagree with its RTP times (VLC's server: 27, 40 or 187 ms back at 25 fps). Decode
 * times derived across a jump would squash frames 1 ms apart and show pictures out of order, so
 * the jump is taken out of the presentation times the decode times are derived from: the stream
 * keeps the grid it started on. (The camera's times of its frames keep the jump: the session's
 * sound jumps with them, and rtsp_clock.h keeps the frames in order through it.)
 */
#ifndef VALKKA_RTSP_REBASE_H
#define VALKKA_RTSP_REBASE_H

#include <stdbool.h>
#include <stdint.h>

/** Frames on the grid, in a row, before a jump off it is taken out. */
#define RTSP_REBASE_STEADY 8

/** Below this frame interval (or unknown, 0) a stream is not followed. */
#define RTSP_REBASE_MIN_INTERVAL_MS 8.0

/** Recent presentation times remembered to tell a taken grid slot from a free one. */
#define RTSP_REBASE_RECENT 64

typedef struct rtsp_rebase {
  int64_t shift_ms;  /* added to every presentation time */
  double phase_ms;   /* the grid: slots are phase_ms plus whole intervals */
  int64_t latest_ms; /* the latest time given out */
  bool phase_known;
  int steady; /* frames on the grid in a row */
  int64_t recent[RTSP_REBASE_RECENT];
  unsigned n_recent, next_recent;
} rtsp_rebase_t;

/** Starts a session's stream. */
void rtsp_rebase_init(rtsp_rebase_t *r);

/**
 * True when a frame of presentation time `pts_ms` is the jump off the grid: its slot is told by
 * the frames after it, so the caller gathers those it can (up to the reordering depth + 1) for
 * rtsp_rebase_pts.
 */
bool rtsp_rebase_jumps(const rtsp_rebase_t *r, int64_t pts_ms, double interval_ms);

/**
 * The presentation time to use for a frame libavformat gave `pts_ms`, with the stream's exact
 * frame interval `interval_ms` (below RTSP_REBASE_MIN_INTERVAL_MS: unknown, nothing changes). Frames in decode order; `next`
 * holds the presentation times (libavformat's) of the `n_next` frames after it already here, if
 * any: a jump goes to the slot before or after where they, too, find free slots.
 */
int64_t rtsp_rebase_pts(rtsp_rebase_t *r, int64_t pts_ms, double interval_ms, const int64_t *next,
                        unsigned n_next);

#endif
