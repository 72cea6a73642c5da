/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A camera frame's mstime (DESIGN.md section 4): the recorder's wall clock at arrival, corrected by
 * the camera's own clock where it has one, and monotonic per stream.
 *
 *  - With a camera clock (an RTCP sender report tied the RTP timestamps to the camera's NTP time)
 *    that agrees with the arrival clock within the tolerance, the camera's clock times the frame,
 *    moved by the session's offset (rtsp_clock_session_t): a camera clock behind where arrival
 *    timing had the first frame it times (the network's delay) is moved up to it (no further
 *    than the frame's arrival, or than a reordering stream's anchor may hold a frame after it),
 *    so the switch makes no step back, and every stream of the session takes the same offset,
 *    so the sound keeps the camera's sync with the pictures. A camera clock that times a session
 *    from its first frame, behind its arrival, is taken as it is. A camera clock ahead of the frame's arrival is moved
 *    back to it: no frame is captured after it arrived, and a server's sender reports may say so
 *    (VLC's, 1.1 s ahead; GStreamer's, which map the RTP time to the time a packet is sent, once
 *    its packets went out late). Once a frame comes more than RTSP_CLOCK_AHEAD_MAX_MS ahead of
 *    its arrival, the session's offset comes back to it again. A reordering stream
 *    keeps its media spacing between keyframes and takes the camera's clock again at a keyframe
 *    once it is more than RTSP_CLOCK_GOP_DEADBAND_MS ahead or RTSP_CLOCK_GOP_BEHIND_MAX_MS
 *    behind, or behind while the pictures run more than RTSP_CLOCK_AHEAD_MAX_MS ahead of their
 *    arrival: a sender report that moves the camera's times by a millisecond would put a picture
 *    off its grid, and a step back is worked off by squeezing the pictures.
 *  - Otherwise the media timestamps are anchored to arrival: time = pts + min(arrival - pts) over
 *    the last few seconds, so network jitter and bursts do not move frames later, while a drift
 *    between the two clocks is followed. Frames that have arrived but are not timed yet count
 *    too (rtsp_clock_sample): a burst sent ahead of real time (a server's preroll at the start of
 *    a session) is timed as its frames were spaced, not squashed at the burst's arrival. For
 *    video (rtsp_clock_time_gop) the anchor moves towards the minimum at keyframes only, when it
 *    is more than RTSP_CLOCK_GOP_DEADBAND_MS away and by RTSP_CLOCK_GOP_STEP_MS at most, so every
 *    frame keeps its media spacing through network jitter, B-frames their presentation order,
 *    and no step between pictures changes by more than that: a frame that came with less delay
 *    than the anchor is then timed up to RTSP_CLOCK_HOLD_MAX_MS after its arrival for a while; a
 *    minimum lower than that is taken at once.
 *  - A clock that jumps back by more than RTSP_CLOCK_REANCHOR_MS between two frames (the
 *    camera's clock was set back, its RTP timestamps restarted) re-anchors: the camera's clock is
 *    no longer trusted in this session and the timestamps are anchored to arrival afresh. The
 *    one step back that is no jump is a stream's switch to the camera's clock (the sound's, whose
 *    arrival timing may differ from the pictures' that set the offset).
 *  - Times never go back. Where the time would step back anyway (jitter, the sound's switch to the
 *    camera's clock, a camera's sender reports that map its timestamps a little back), the frame
 *    comes after the previous one and the difference is worked off by running a tenth slower
 *    until the times meet again: a frame timed by the camera's clock keeps its media spacing
 *    (so B-frames keep their presentation order, a tenth slower being less than the spacing of
 *    two pictures, and sound its packet spacing), one timed by arrival comes 1 ms after (a
 *    larger step could carry it ahead of its arrival). A camera clock's step forward past the
 *    media spacing works off such a lead first; in a reordering stream the rest of it waits for
 *    the next keyframe, so no picture decoded before it is shown after one decoded behind it.
 * Pure arithmetic on the caller's numbers, so tests drive it with made-up clocks.
 */
#ifndef VALKKA_RTSP_CLOCK_H
#define VALKKA_RTSP_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/** "Unknown" for rtsp_clock_time's pts and camera time. */
#define RTSP_CLOCK_UNKNOWN INT64_MIN

/** A jump back larger than this, in one way of timing, re-anchors. */
#define RTSP_CLOCK_REANCHOR_MS 1000

/** The minimum of arrival - pts is taken over two windows of this length. */
#define RTSP_CLOCK_WINDOW_MS 5000

/** The most by which a reordering stream's anchor is kept above a newer, lower minimum. */
#define RTSP_CLOCK_HOLD_MAX_MS 50

/** How far a reordering stream's anchor moves at one keyframe... */
#define RTSP_CLOCK_GOP_STEP_MS 10

/** ...once it is this far from the minimum: nearer is jitter, and exact spacing is kept. */
#define RTSP_CLOCK_GOP_DEADBAND_MS 20

/** How far ahead of a frame's arrival a camera's clock may time it before it is brought back. */
#define RTSP_CLOCK_AHEAD_MAX_MS 250

/** How far behind a camera's clock a reordering stream may run before it follows it back. */
#define RTSP_CLOCK_GOP_BEHIND_MAX_MS 500

/** Each frame works off this fraction (1/N) of the time since the previous one from the lead. */
#define RTSP_CLOCK_SLEW_DIVISOR 10

/**
 * How a session's camera clock is put on ours: the offset added to every camera time, set by the
 * first frame the camera's clock times (the video's: a camera clock behind its arrival timing is
 * moved up to it, never past its arrival). Shared by the clocks of a session's streams; a new
 * session starts it afresh.
 */
typedef struct rtsp_clock_session {
  bool known;
  int64_t offset_ms;
} rtsp_clock_session_t;

typedef struct rtsp_clock {
  int64_t tolerance_ms;
  int64_t last_ms;         /* the previous frame's time; 0 before the first */
  int64_t last_raw_ms;     /* its time before the monotonic correction */
  int64_t last_pts_ms;     /* its media time; RTSP_CLOCK_UNKNOWN before the first or unknown */
  int64_t applied_ms;      /* the anchor in force; INT64_MIN before the first frame */
  int64_t lead_ms;         /* how far times run ahead of the raw ones, being worked off; below
                              0, behind a camera clock's jump held to the next keyframe */
  int64_t window_start_ms; /* arrival time the current window opened */
  int64_t offset_min[2];   /* min of arrival - pts in the current and the previous window */
  bool camera_distrusted;  /* the camera's clock jumped back: arrival anchoring only */
  bool camera_used;        /* the frame being timed is timed by the camera's clock */
  bool last_camera_used;   /* ...and the previous one was */
  rtsp_clock_session_t own_session;
  rtsp_clock_session_t *session; /* the session's offset; NULL: own_session */
  bool follows;                  /* takes the session's offset, never sets it */
  bool reorders; /* the stream's frames reorder (B-frames), set by the caller: its pictures
                    keep their media spacing on the camera's clock, so that they stay in order */
} rtsp_clock_t;

/** Starts a stream's clock; `tolerance_ms` is how far a camera clock may be from arrival. */
void rtsp_clock_init(rtsp_clock_t *clock, int64_t tolerance_ms);

/**
 * Puts a started clock on a session's camera offset, shared with the session's other clocks
 * (`session` outlives them). A clock that `follows` (the sound's) uses the camera's clock only
 * once another (the video's) has set the offset.
 */
void rtsp_clock_share(rtsp_clock_t *clock, rtsp_clock_session_t *session, bool follows);

/**
 * The mstime of a frame that arrived at `arrival_ms` (wall clock) with media time `pts_ms` and
 * camera wall time `camera_ms` (each RTSP_CLOCK_UNKNOWN when unknown). Strictly increasing from
 * one call to the next.
 */
int64_t rtsp_clock_time(rtsp_clock_t *clock, int64_t arrival_ms, int64_t pts_ms, int64_t camera_ms);

/**
 * rtsp_clock_time for a stream whose frames reorder: the anchor moves at keyframes (`keyframe`)
 * only and by RTSP_CLOCK_GOP_STEP_MS at most, or at once to a minimum more than
 * RTSP_CLOCK_HOLD_MAX_MS lower.
 */
int64_t rtsp_clock_time_gop(rtsp_clock_t *clock, int64_t arrival_ms, int64_t pts_ms,
                            int64_t camera_ms, bool keyframe);

/**
 * Adds the arrival sample of a frame that has arrived but is not timed yet to the anchor, so the
 * frames timed before it are timed as if it had arrived one by one with them. Only anchoring
 * (not the camera's clock, nor the monotonic correction) takes it.
 */
void rtsp_clock_sample(rtsp_clock_t *clock, int64_t arrival_ms, int64_t pts_ms);

#endif
