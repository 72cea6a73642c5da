/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "rtsp_clock.h"

static void reset_windows(rtsp_clock_t *c, int64_t arrival_ms) {
  c->window_start_ms = arrival_ms;
  c->offset_min[0] = c->offset_min[1] = INT64_MAX;
}

void rtsp_clock_init(rtsp_clock_t *c, int64_t tolerance_ms) {
  *c = (rtsp_clock_t){.tolerance_ms = tolerance_ms,
                      .applied_ms = INT64_MIN,
                      .last_pts_ms = RTSP_CLOCK_UNKNOWN};
  reset_windows(c, 0);
}

void rtsp_clock_share(rtsp_clock_t *c, rtsp_clock_session_t *session, bool follows) {
  c->session = session;
  c->follows = follows;
}

/* arrival - pts, as the smallest of the recent samples: the one least delayed on the way. */
static int64_t anchor(rtsp_clock_t *c, int64_t arrival_ms, int64_t pts_ms) {
  if (arrival_ms - c->window_start_ms >= RTSP_CLOCK_WINDOW_MS || arrival_ms < c->window_start_ms) {
    c->offset_min[1] = c->offset_min[0];
    c->offset_min[0] = INT64_MAX;
    c->window_start_ms = arrival_ms;
  }
  int64_t sample = arrival_ms - pts_ms;
  if (sample < c->offset_min[0]) c->offset_min[0] = sample;
  return c->offset_min[0] < c->offset_min[1] ? c->offset_min[0] : c->offset_min[1];
}

void rtsp_clock_sample(rtsp_clock_t *c, int64_t arrival_ms, int64_t pts_ms) {
  /* Into the current window only: the windows move with the frames timed, not with those read
     ahead (a later arrival here would close the window early, and the next frame's earlier one
     would close it again, losing the minimum of the window before). */
  if (pts_ms == RTSP_CLOCK_UNKNOWN) return;
  int64_t sample = arrival_ms - pts_ms;
  if (sample < c->offset_min[0]) c->offset_min[0] = sample;
}

static bool camera_agrees(const rtsp_clock_t *c, int64_t arrival_ms, int64_t camera_ms) {
  if (camera_ms == RTSP_CLOCK_UNKNOWN || c->camera_distrusted) return false;
  int64_t diff = camera_ms - arrival_ms;
  return diff <= c->tolerance_ms && -diff <= c->tolerance_ms;
}

/*
 * The anchor in force. A plain clock takes the minimum as it is. A clock of a reordering stream
 * moves towards it at keyframes only, once it is more than RTSP_CLOCK_GOP_DEADBAND_MS away (so a
 * steady stream keeps its exact media spacing through the jitter), and by RTSP_CLOCK_GOP_STEP_MS
 * at most, so no step between two pictures shrinks or grows by more than that; a minimum more
 * than RTSP_CLOCK_HOLD_MAX_MS lower (another way through the network) is taken at once.
 */
static int64_t applied_anchor(rtsp_clock_t *c, int64_t minimum, bool gop, bool keyframe) {
  if (!gop || c->applied_ms == INT64_MIN || c->applied_ms - minimum > RTSP_CLOCK_HOLD_MAX_MS) {
    c->applied_ms = minimum;
  } else if (keyframe && llabs(minimum - c->applied_ms) > RTSP_CLOCK_GOP_DEADBAND_MS) {
    int64_t move = minimum - c->applied_ms;
    if (move > RTSP_CLOCK_GOP_STEP_MS) move = RTSP_CLOCK_GOP_STEP_MS;
    if (move < -RTSP_CLOCK_GOP_STEP_MS) move = -RTSP_CLOCK_GOP_STEP_MS;
    c->applied_ms += move;
  }
  return c->applied_ms;
}

/* Media time since the previous frame, RTSP_CLOCK_UNKNOWN unless both are known. */
static int64_t media_step(const rtsp_clock_t *c, int64_t pts_ms) {
  if (pts_ms == RTSP_CLOCK_UNKNOWN || c->last_pts_ms == RTSP_CLOCK_UNKNOWN)
    return RTSP_CLOCK_UNKNOWN;
  return pts_ms - c->last_pts_ms;
}

static int64_t raw_time(rtsp_clock_t *c, int64_t arrival_ms, int64_t pts_ms, int64_t camera_ms,
                        bool gop, bool keyframe) {
  c->camera_used = false;
  if (pts_ms == RTSP_CLOCK_UNKNOWN) return arrival_ms;
  int64_t anchored = pts_ms + applied_anchor(c, anchor(c, arrival_ms, pts_ms), gop, keyframe);
  if (!camera_agrees(c, arrival_ms, camera_ms)) return anchored;
  rtsp_clock_session_t *session = c->session ? c->session : &c->own_session;
  if (!session->known) {
    if (c->follows) return anchored;
    /*
     * A camera clock behind where arrival timing has this frame (its media spacing after the
     * previous one, never past its arrival, or past what a reordering stream's anchor may hold
     * it after: a millisecond short of the spacing would put a picture off its grid) is moved up
     * to it. A session's first frame behind its arrival is taken as it is: timed by a camera it
     * is timed as captured, where arrival timing (a burst held for the first sender report) would be late.
     */
    int64_t offset = 0;
    int64_t step = media_step(c, pts_ms);
    int64_t latest = arrival_ms + (gop ? RTSP_CLOCK_HOLD_MAX_MS : 0);
    if (c->last_ms && step != RTSP_CLOCK_UNKNOWN) {
      int64_t here = c->last_ms + (step > 1 ? step : 1);
      if (here > latest) here = latest;
      if (here > camera_ms) offset = here - camera_ms;
    }
    /*
     * A frame is not captured after it arrived: a camera clock ahead of ours comes back to the
     * arrival (a reordering stream's, to where its anchor may hold a frame).
     */
    int64_t arrived = c->reorders ? latest : arrival_ms;
    if (camera_ms + offset > arrived) offset = arrived - camera_ms;
    session->offset_ms = offset;
    session->known = true;
  } else if (camera_ms + session->offset_ms > arrival_ms + RTSP_CLOCK_AHEAD_MAX_MS) {
    /*
     * The camera's clock moved ahead of the frames' arrival since the offset was set (a sender
     * report mapped anew, or the first frames came late so that the clock looked behind): the
     * session's offset comes back to where this frame arrived, for every stream of the session.
     */
    session->offset_ms = arrival_ms - camera_ms;
  }
  c->camera_used = true;
  return camera_ms + session->offset_ms;
}

/*
 * A reordering stream on the camera's clock keeps its media spacing between keyframes: a camera's
 * sender reports map its timestamps a millisecond or two off each time (GStreamer's server), and
 * a picture moved by one would be shown a millisecond off its grid, two of them rounded onto one
 * frame by a player. At a keyframe the camera's clock is taken again once it is more than
 * RTSP_CLOCK_GOP_DEADBAND_MS ahead (a gap between two groups of pictures), but only once it is
 * more than RTSP_CLOCK_GOP_BEHIND_MAX_MS behind: a step back is worked off by running slower,
 * which squeezes the pictures off their grid (VLC's server maps its video back and forth by up
 * to 190 ms at every report; its sound stays where it is). A camera's clock that came back
 * while the pictures run more than RTSP_CLOCK_AHEAD_MAX_MS ahead of their arrival is taken at
 * once where the frames do not reorder (the lead left is worked off 1 ms apart, with nothing
 * to put out of order), and at the next keyframe where they do.
 */
static int64_t camera_gop_raw(const rtsp_clock_t *c, int64_t raw, int64_t step, bool keyframe,
                              int64_t arrival_ms) {
  int64_t spaced = c->last_raw_ms + step;
  bool far_ahead = raw < spaced && spaced > arrival_ms + RTSP_CLOCK_AHEAD_MAX_MS;
  if (far_ahead && (keyframe || !c->reorders)) return raw;
  bool take = raw - spaced > RTSP_CLOCK_GOP_DEADBAND_MS ||
              spaced - raw > RTSP_CLOCK_GOP_BEHIND_MAX_MS;
  return keyframe && take ? raw : spaced;
}

static int64_t clock_time(rtsp_clock_t *c, int64_t arrival_ms, int64_t pts_ms, int64_t camera_ms,
                          bool gop, bool keyframe) {
  int64_t raw = raw_time(c, arrival_ms, pts_ms, camera_ms, gop, keyframe);
  int64_t media = media_step(c, pts_ms);
  if (gop && c->camera_used && c->last_camera_used && media != RTSP_CLOCK_UNKNOWN)
    raw = camera_gop_raw(c, raw, media, keyframe, arrival_ms);
  /*
   * A step back is a jump unless it is the switch to a camera clock that runs behind ours (the
   * lead below absorbs that). The switch the other way counts: when the timestamps jump back
   * past the tolerance the camera's clock no longer agrees, and the anchor, still the minimum
   * of the samples before the jump, would time the frames as far back as they jumped, a lead
   * that would then carry the times ahead of ours once the minimum moved on.
   */
  bool to_camera = c->camera_used && !c->last_camera_used;
  if (c->last_ms && !to_camera && c->last_raw_ms - raw > RTSP_CLOCK_REANCHOR_MS) {
    /* A jump back: the timestamps start over from this frame's arrival. */
    if (c->camera_used) c->camera_distrusted = true;
    reset_windows(c, arrival_ms);
    c->applied_ms = INT64_MIN;
    raw = raw_time(c, arrival_ms, pts_ms, camera_ms, gop, keyframe);
    c->lead_ms = 0;
  }
  /*
   * A lead never carries a frame timed by arrival past its arrival: an anchor that dropped (a
   * burst read in pieces, whose later part showed its older frames were timed too late) is met
   * at once, the frames after it 1 ms apart until the arrivals pass them, not by running ahead
   * of our clock. Nor one timed by the camera's clock more than RTSP_CLOCK_AHEAD_MAX_MS past it
   * (frames that come faster than real time after the camera's offset came back), unless the
   * stream reorders: its pictures keep their media spacing, so that they stay in order.
   */
  int64_t latest = !c->camera_used ? arrival_ms
                   : c->reorders   ? INT64_MAX
                                   : arrival_ms + RTSP_CLOCK_AHEAD_MAX_MS;
  if (c->lead_ms > 0 && raw + c->lead_ms > latest) c->lead_ms = raw < latest ? latest - raw : 0;
  /*
   * A camera's clock that moves on past the media spacing (the switch to a clock ahead of ours,
   * a sender report mapping the timestamps forward) first meets a lead there. In a reordering
   * stream the rest waits for the next keyframe: a frame decoded before the jump may be shown
   * after frames decoded behind it, which the jump would put before it.
   */
  if (c->camera_used && c->last_ms && media != RTSP_CLOCK_UNKNOWN) {
    int64_t ahead = (raw - c->last_raw_ms) - media;
    if (ahead > 0 && gop && !keyframe)
      c->lead_ms -= ahead;
    else if (ahead > 0 && c->lead_ms > 0)
      c->lead_ms -= ahead < c->lead_ms ? ahead : c->lead_ms;
  }
  if (gop && keyframe && c->lead_ms < 0) c->lead_ms = 0;
  int64_t t = raw + c->lead_ms;
  if (c->last_ms && t <= c->last_ms) {
    /*
     * A camera's clock keeps the media spacing through its step back (the switch to it, or its
     * sender reports mapping the timestamps a little back), so a B-frame stream keeps its
     * presentation order and no two frames share a time; arrival timing steps 1 ms, which
     * never carries a frame far past its arrival, and so does a camera's clock at its limit.
     */
    int64_t step = c->camera_used && media != RTSP_CLOCK_UNKNOWN && media > 1 ? media : 1;
    if (c->last_ms + step > latest) step = 1;
    c->lead_ms = c->last_ms + step - raw;
    t = c->last_ms + step;
  } else if (c->last_ms && c->lead_ms > 0) {
    int64_t step = t - c->last_ms, take = step / RTSP_CLOCK_SLEW_DIVISOR;
    if (take > c->lead_ms) take = c->lead_ms;
    c->lead_ms -= take;
    t -= take;
  }
  c->last_ms = t;
  c->last_raw_ms = raw;
  c->last_pts_ms = pts_ms;
  c->last_camera_used = c->camera_used;
  return t;
}

int64_t rtsp_clock_time(rtsp_clock_t *c, int64_t arrival_ms, int64_t pts_ms, int64_t camera_ms) {
  return clock_time(c, arrival_ms, pts_ms, camera_ms, false, true);
}

int64_t rtsp_clock_time_gop(rtsp_clock_t *c, int64_t arrival_ms, int64_t pts_ms, int64_t camera_ms,
                            bool keyframe) {
  return clock_time(c, arrival_ms, pts_ms, camera_ms, true, keyframe);
}
