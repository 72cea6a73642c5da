#include <math.h>

#include "rtsp_rebase.h"

void rtsp_rebase_init(rtsp_rebase_t *r) { *r = (rtsp_rebase_t){0}; }

/* A slot some recent frame has, within `slack` (times in ms round off the grid). */
static bool taken(const rtsp_rebase_t *r, double slot, double slack) {
  for (unsigned i = 0; i < r->n_recent; i++)
    if (fabs((double)r->recent[i] - slot) <= slack) return true;
  return false;
}

/* How far from its nearest grid slot a time is, in [-interval/2, interval/2). */
static double off_slot(const rtsp_rebase_t *r, int64_t pts, double interval_ms) {
  double off = fmod((double)pts - r->phase_ms, interval_ms);
  if (off < 0) off += interval_ms;
  return off >= interval_ms / 2 ? off - interval_ms : off;
}

/* Off its slot by more than a quarter interval, or on a slot a recent frame has. */
static bool jumped(const rtsp_rebase_t *r, int64_t pts, double interval_ms) {
  double off = off_slot(r, pts, interval_ms);
  return fabs(off) > interval_ms / 4 || taken(r, (double)pts - off, interval_ms / 4);
}

/* A time more than this before the latest is a media clock that started over, not a jump. */
#define RESTART_MS 1000

static bool restarted(const rtsp_rebase_t *r, int64_t pts) {
  return r->phase_known && pts < r->latest_ms - RESTART_MS;
}

bool rtsp_rebase_jumps(const rtsp_rebase_t *r, int64_t pts_ms, double interval_ms) {
  int64_t pts = pts_ms + r->shift_ms;
  return interval_ms >= RTSP_REBASE_MIN_INTERVAL_MS && r->phase_known &&
         r->steady >= RTSP_REBASE_STEADY && !restarted(r, pts) && jumped(r, pts, interval_ms);
}

/* How many of this frame and those after it would land on a taken slot, moved by `move`. */
static int collisions(const rtsp_rebase_t *r, int64_t pts, const int64_t *next, unsigned n_next,
                      double move, double slack) {
  double here = (double)pts + move;
  int n = taken(r, here, slack);
  for (unsigned i = 0; i < n_next; i++) {
    double slot = (double)(next[i] + r->shift_ms) + move;
    n += taken(r, slot, slack) || fabs(slot - here) <= slack;
  }
  return n;
}

/* Gives out `pts`: remembered as a taken slot, and as the latest when it is. */
static int64_t take(rtsp_rebase_t *r, int64_t pts) {
  if (!r->phase_known || pts > r->latest_ms) r->latest_ms = pts;
  r->recent[r->next_recent] = pts;
  r->next_recent = (r->next_recent + 1) % RTSP_REBASE_RECENT;
  if (r->n_recent < RTSP_REBASE_RECENT) r->n_recent++;
  return pts;
}

int64_t rtsp_rebase_pts(rtsp_rebase_t *r, int64_t pts_ms, double interval_ms, const int64_t *next,
                        unsigned n_next) {
  int64_t pts = pts_ms + r->shift_ms;
  if (interval_ms < RTSP_REBASE_MIN_INTERVAL_MS) return pts;
  if (restarted(r, pts)) {
    /* A new timeline: the slots of the old one say nothing about it. */
    r->n_recent = r->next_recent = 0;
    r->phase_known = false;
    r->steady = 0;
  }
  if (!r->phase_known) {
    r->latest_ms = pts;
    r->phase_ms = (double)pts;
    r->phase_known = true;
    return take(r, pts);
  }
  double off = off_slot(r, pts, interval_ms), slack = interval_ms / 4;
  if (!jumped(r, pts, interval_ms)) {
    /* The grid follows rounding and a slow drift of the camera's rate. */
    r->phase_ms += off / 8;
    if (r->steady < RTSP_REBASE_STEADY) r->steady++;
    return take(r, pts);
  }
  if (r->steady < RTSP_REBASE_STEADY) {
    /* Not on a grid now: a stream of another kind, or the one after a jump already taken. */
    r->steady = 0;
    return take(r, pts);
  }
  /*
   * Onto a slot: the nearest where it and the frames after it find free slots (the jump is the
   * difference between two timelines, any number of intervals and a fraction).
   */
  double move = 0;
  int best = -1;
  for (int j = -RTSP_REBASE_RECENT / 2; j <= RTSP_REBASE_RECENT / 2; j++) {
    double m = interval_ms * j - off;
    int n = collisions(r, pts, next, n_next, m, slack);
    if (best < 0 || n < best || (n == best && fabs(m) < fabs(move))) {
      best = n;
      move = m;
    }
  }
  r->shift_ms += (int64_t)llround(move);
  r->steady = 0;
  return take(r, pts_ms + r->shift_ms);
}
