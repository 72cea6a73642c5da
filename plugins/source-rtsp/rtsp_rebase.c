/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <math.h>
#include <stddef.h>

#include "rtsp_rebase.h"

/* A time more than this before the latest is a media clock that started over, not a jump. */
#define RESTART_MS 1000

void rtsp_rebase_init(rtsp_rebase_t *r, double interval_ms, int depth) {
  *r = (rtsp_rebase_t){.interval_ms = interval_ms >= RTSP_REBASE_MIN_INTERVAL_MS ? interval_ms : 0,
                       .depth = depth > 0 ? depth : 0};
}

/* Two times within this are the same slot (times in ms round off the grid). */
static double slack(const rtsp_rebase_t *r) { return r->interval_ms / 4; }

/* How far from its nearest grid slot a time is, in [-interval/2, interval/2). */
static double off_slot(const rtsp_rebase_t *r, double t) {
  double off = fmod(t - r->phase_ms, r->interval_ms);
  if (off < 0) off += r->interval_ms;
  return off >= r->interval_ms / 2 ? off - r->interval_ms : off;
}

/* The slot after `slot`, on the grid as it is now. */
static double next_slot(const rtsp_rebase_t *r, double slot) {
  double t = slot + r->interval_ms;
  return t - off_slot(r, t);
}

/* A slot a recent frame, or one of placed[0..n), has. */
static bool shown(const rtsp_rebase_t *r, const double *placed, unsigned n, double slot) {
  for (unsigned i = 0; i < r->n_recent; i++)
    if (fabs((double)r->recent[i] - slot) <= slack(r)) return true;
  for (unsigned i = 0; i < n; i++)
    if (fabs(placed[i] - slot) <= slack(r)) return true;
  return false;
}

/* How many of the recent frames and placed[0..n) are past the slot `due`. */
static unsigned shown_past(const rtsp_rebase_t *r, const double *placed, unsigned n, double due) {
  unsigned k = 0;
  for (unsigned i = 0; i < r->n_recent; i++) k += (double)r->recent[i] > due + slack(r);
  for (unsigned i = 0; i < n; i++) k += placed[i] > due + slack(r);
  return k;
}

/*
 * How often frames placed at slots[0..n), in decode order after those already given out, break
 * the stream's rules: a slot shown twice, a time off the grid, more than `depth` pictures shown
 * past a slot still due.
 */
static int faults(const rtsp_rebase_t *r, const double *slots, unsigned n) {
  double due = r->due_ms;
  int bad = 0;
  for (unsigned i = 0; i < n; i++) {
    bad += shown(r, slots, i, slots[i]);
    bad += fabs(off_slot(r, slots[i])) > slack(r);
    while (shown(r, slots, i + 1, due)) due = next_slot(r, due);
    if (shown_past(r, slots, i + 1, due) > (unsigned)r->depth) {
      /* Once, as take() gives the slot up then: a lost frame costs every placement the same. */
      bad++;
      do {
        due = next_slot(r, due);
        while (shown(r, slots, i + 1, due)) due = next_slot(r, due);
      } while (shown_past(r, slots, i + 1, due) > (unsigned)r->depth);
    }
  }
  return bad;
}

/* The frames seq[0..n) moved by `move` from seq[start] on, at slots[0..n): their faults. */
static int place(const rtsp_rebase_t *r, const int64_t *seq, unsigned n, unsigned start,
                 double move, double *slots) {
  for (unsigned i = 0; i < n; i++)
    slots[i] = (double)(seq[i] + r->shift_ms) + (i >= start ? move : 0);
  return faults(r, slots, n);
}

typedef struct placement {
  int faults;
  double move;    /* added to the frames from `start` on */
  unsigned start; /* 0: from this frame; later: this frame is where it is */
} placement_t;

static bool better(const placement_t *a, const placement_t *b) {
  if (b->faults < 0 || a->faults != b->faults) return b->faults < 0 || a->faults < b->faults;
  if (fabs(a->move) != fabs(b->move)) return fabs(a->move) < fabs(b->move);
  return a->start < b->start;
}

/*
 * The shift that keeps the stream's rules best for this frame and those after it (seq[0..n)),
 * the smallest, starting at the frame where the jump is; `ambiguous` when another as good would
 * place this frame on another slot.
 */
static placement_t search(const rtsp_rebase_t *r, const int64_t *seq, unsigned n, bool *ambiguous) {
  double slots[RTSP_REBASE_MAX_NEXT + 1];
  placement_t best = {.faults = -1};
  for (int pass = 0; pass < 2; pass++) {
    for (unsigned start = 0; start < n; start++) {
      double off = off_slot(r, (double)(seq[start] + r->shift_ms));
      for (int j = -RTSP_REBASE_RECENT / 2; j <= RTSP_REBASE_RECENT / 2; j++) {
        placement_t p = {.move = r->interval_ms * j - off, .start = start};
        p.faults = place(r, seq, n, start, p.move, slots);
        if (pass == 0 && better(&p, &best)) best = p;
        if (pass == 1 && p.faults == best.faults &&
            fabs((start ? 0 : p.move) - (best.start ? 0 : best.move)) > slack(r))
          *ambiguous = true;
      }
    }
  }
  return best;
}

/* Followed: a grid known, and frames kept to it long enough to tell a jump off it. */
static bool following(const rtsp_rebase_t *r) {
  return r->interval_ms > 0 && r->phase_known && r->steady >= RTSP_REBASE_STEADY;
}

static bool restarted(const rtsp_rebase_t *r, int64_t pts) {
  return r->phase_known && pts < r->latest_ms - RESTART_MS;
}

/* This frame then those after it, at most RTSP_REBASE_MAX_NEXT of them: the count in seq. */
static unsigned sequence(int64_t pts_ms, const int64_t *next, unsigned n_next, int64_t *seq) {
  if (n_next > RTSP_REBASE_MAX_NEXT) n_next = RTSP_REBASE_MAX_NEXT;
  seq[0] = pts_ms;
  for (unsigned i = 0; i < n_next; i++) seq[i + 1] = next[i];
  return n_next + 1;
}

unsigned rtsp_rebase_wants(const rtsp_rebase_t *r, int64_t pts_ms, const int64_t *next,
                           unsigned n_next) {
  if (!following(r) || restarted(r, pts_ms + r->shift_ms)) return 0;
  int64_t seq[RTSP_REBASE_MAX_NEXT + 1];
  double slots[RTSP_REBASE_MAX_NEXT + 1];
  unsigned n = sequence(pts_ms, next, n_next, seq);
  double off = off_slot(r, (double)(pts_ms + r->shift_ms));
  /* Nothing here tells of a jump: the frame goes as it is, without waiting for more, unless
     the stream jumps at later reports too (a jump onto free slots tells only in those after). */
  bool clean = place(r, seq, n, 0, 0, slots) == 0 && fabs(off) <= RTSP_REBASE_SNAP_MS;
  if (clean && r->jumps < RTSP_REBASE_JUMPY) return n - 1;
  unsigned need = (unsigned)r->depth + 1;
  if (need > RTSP_REBASE_MAX_NEXT) need = RTSP_REBASE_MAX_NEXT;
  if (n_next < need) return need;
  if (clean) return n - 1;
  bool ambiguous = false;
  search(r, seq, n, &ambiguous);
  return ambiguous && n - 1 < RTSP_REBASE_MAX_NEXT ? n : n - 1;
}

/* Gives out `pts`: remembered as a taken slot, the slot due moved past those shown. */
static int64_t take(rtsp_rebase_t *r, int64_t pts) {
  if (pts > r->latest_ms) r->latest_ms = pts;
  r->recent[r->next_recent] = pts;
  r->next_recent = (r->next_recent + 1) % RTSP_REBASE_RECENT;
  if (r->n_recent < RTSP_REBASE_RECENT) r->n_recent++;
  while (shown(r, NULL, 0, r->due_ms)) r->due_ms = next_slot(r, r->due_ms);
  /* A slot no picture came for (a frame lost on the way) is given up once it holds too many. */
  while (shown_past(r, NULL, 0, r->due_ms) > (unsigned)r->depth) {
    r->due_ms = next_slot(r, r->due_ms);
    while (shown(r, NULL, 0, r->due_ms)) r->due_ms = next_slot(r, r->due_ms);
  }
  return pts;
}

/* A new grid from this frame: a session's first, one off the grid before it was followed. */
static int64_t start_grid(rtsp_rebase_t *r, int64_t pts) {
  r->n_recent = r->next_recent = 0;
  r->phase_ms = r->due_ms = (double)pts;
  r->latest_ms = pts;
  r->phase_known = true;
  r->steady = 1;
  return take(r, pts);
}

int64_t rtsp_rebase_pts(rtsp_rebase_t *r, int64_t pts_ms, const int64_t *next, unsigned n_next) {
  int64_t pts = pts_ms + r->shift_ms;
  if (r->interval_ms <= 0) return pts;
  if (!r->phase_known || restarted(r, pts)) return start_grid(r, pts);
  double off = off_slot(r, (double)pts);
  if (r->steady < RTSP_REBASE_STEADY) {
    if (fabs(off) > slack(r)) return start_grid(r, pts);
    r->phase_ms += off / 8;
    r->steady++;
    return take(r, pts);
  }
  int64_t seq[RTSP_REBASE_MAX_NEXT + 1];
  double slots[RTSP_REBASE_MAX_NEXT + 1];
  unsigned n = sequence(pts_ms, next, n_next, seq);
  int base = place(r, seq, n, 0, 0, slots);
  if (base > 0 || fabs(off) > RTSP_REBASE_SNAP_MS) {
    bool ambiguous = false;
    placement_t p = search(r, seq, n, &ambiguous);
    int64_t move = p.start == 0 ? (int64_t)llround(p.move) : 0;
    if (move != 0 && (p.faults < base || (p.faults == base && fabs(off) > RTSP_REBASE_SNAP_MS))) {
      /* Jitter, or a rate a little off its nominal one: the grid follows it as below. */
      if (fabs(off) <= slack(r)) r->phase_ms += off / 8;
      r->shift_ms += move;
      if (r->jumps < RTSP_REBASE_JUMPY) r->jumps++;
      return take(r, pts_ms + r->shift_ms);
    }
  }
  /* On its slot, or no better one: the grid follows rounding and a slow drift of the rate. */
  r->phase_ms += off / 8;
  return take(r, pts);
}
