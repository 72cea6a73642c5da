/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "live/stats.h"

#define WINDOW_US 1000000

void live_stats_init(live_stats_t *s, int64_t now_us) {
  *s = (live_stats_t){.window_start_us = now_us};
}

void live_stats_frame(live_stats_t *s, const valkka_frame_t *f, bool recorded, int64_t now_us) {
  s->frames++;
  s->bytes += f->size;
  if (!recorded) s->record_dropped++;
  s->last_frame_mstime = f->mstime;
  if (f->codec) s->codec = f->codec;
  /* Rates count pictures: a CONFIG frame is not one. */
  if (f->kind == VALKKA_FRAME_ENCODED) {
    s->window_frames++;
    s->window_bytes += f->size;
  }
  int64_t elapsed = now_us - s->window_start_us;
  if (elapsed >= WINDOW_US) {
    s->fps = (double)s->window_frames * 1e6 / (double)elapsed;
    s->bitrate = (double)s->window_bytes * 8e6 / (double)elapsed;
    s->window_start_us = now_us;
    s->window_frames = s->window_bytes = 0;
  }
}

void live_stats_rates(const live_stats_t *s, int64_t now_us, double *fps, double *bitrate) {
  int64_t elapsed = now_us - s->window_start_us;
  if (elapsed >= 2 * WINDOW_US) {
    /* No frame has closed the window for two of them: the stream slowed or stopped. */
    *fps = (double)s->window_frames * 1e6 / (double)elapsed;
    *bitrate = (double)s->window_bytes * 8e6 / (double)elapsed;
  } else {
    *fps = s->fps;
    *bitrate = s->bitrate;
  }
}
