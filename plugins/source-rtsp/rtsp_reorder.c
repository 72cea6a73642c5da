/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rtsp_reorder.h"

void rtsp_reorder_init(rtsp_reorder_t *r, int depth) {
  *r = (rtsp_reorder_t){.depth = depth < 0                  ? 0
                                 : depth > RTSP_REORDER_MAX ? RTSP_REORDER_MAX
                                                            : depth};
}

static void insert(rtsp_reorder_t *r, int64_t pts) {
  int i = r->n++;
  while (i > 0 && r->buf[i - 1] > pts) {
    r->buf[i] = r->buf[i - 1];
    i--;
  }
  r->buf[i] = pts;
}

static int64_t take_smallest(rtsp_reorder_t *r) {
  int64_t v = r->buf[0];
  for (int i = 1; i < r->n; i++) r->buf[i - 1] = r->buf[i];
  r->n--;
  return v;
}

int64_t rtsp_reorder_dts(rtsp_reorder_t *r, int64_t pts_ms, int64_t step_ms) {
  if (step_ms < 1) step_ms = 1;
  if (r->started && pts_ms < r->last_dts - RTSP_REORDER_RESTART_MS) rtsp_reorder_init(r, r->depth);
  if (r->started && pts_ms < r->last_dts) {
    /* Shown before a decode time given out already: deeper reordering than announced. */
    if (r->depth < RTSP_REORDER_MAX) r->depth++;
    return r->last_dts;
  }
  insert(r, pts_ms);
  int64_t dts;
  if (r->seen < r->depth) {
    /* No predecessors yet: one interval apart, ending an interval before the first one used. */
    dts = r->buf[0] - (int64_t)(r->depth - r->seen) * step_ms;
    r->seen++;
  } else {
    dts = take_smallest(r);
  }
  while (r->n > r->depth) take_smallest(r); /* the depth shrank: only after a re-init */
  if (r->started && dts < r->last_dts) dts = r->last_dts;
  r->last_dts = dts;
  r->started = true;
  return dts;
}
