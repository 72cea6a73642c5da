/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A camera's counters and rates. Not thread-safe by itself: the camera's lock guards it. */
#ifndef VALKKA_LIVE_STATS_H
#define VALKKA_LIVE_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/frame.h>

typedef struct live_stats {
  uint32_t state;
  uint32_t reconnects;
  int32_t last_error;
  uint32_t codec, width, height;
  uint64_t frames, bytes, record_dropped;
  uint64_t decode_dropped_before, decoded_before; /* from decoder branches since stopped */
  int64_t last_frame_mstime;
  /* rates: counted over a window of at least a second, then published */
  int64_t window_start_us;
  uint64_t window_frames, window_bytes;
  double fps, bitrate;
} live_stats_t;

void live_stats_init(live_stats_t *stats, int64_t now_us);
/** Counts one frame read; `recorded` false when the record sink refused it. */
void live_stats_frame(live_stats_t *stats, const valkka_frame_t *frame, bool recorded,
                      int64_t now_us);
/** The current rates; a window with no frame for a while decays towards zero. */
void live_stats_rates(const live_stats_t *stats, int64_t now_us, double *fps, double *bitrate);

#endif
