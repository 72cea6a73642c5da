/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka play --live`: following the newest frames of an FS another process records, and how
 * far behind their record time each was presented (its "lag").
 */
#ifndef VALKKA_CLI_PLAY_LIVE_H
#define VALKKA_CLI_PLAY_LIVE_H

#include <stdint.h>

#include <valkka/valkka.h>

/* Lags in whole milliseconds, 0 .. PLAY_LAG_MAX_MS (larger ones counted in the last bucket). */
#define PLAY_LAG_MAX_MS 60000

typedef struct play_lags {
  uint64_t count;
  int64_t max_ms;
  uint32_t buckets[PLAY_LAG_MAX_MS + 1];
} play_lags_t;

/* Counts one lag (on the manager's thread: the caller serialises). */
void play_lags_add(play_lags_t *lags, int64_t lag_ms);
/* The lag at or below which `fraction` of the counted ones are (0 when none). */
int64_t play_lags_quantile(const play_lags_t *lags, double fraction);

/* Blocks SIGINT and SIGTERM in the calling thread, before the manager makes its threads (which
   inherit the mask): they end the run through play_live_run's wait, not by default action. */
void play_live_block_signals(void);

/* Waits until the FS in `m` hold a frame: 1 then, 0 on a signal or when `until_mono_ms` passed. */
int play_live_wait_recorded(valkka_manager_t *m, int64_t until_mono_ms);

/*
 * Seeks to the newest recorded time, plays at real time and follows the FS until SIGINT or
 * SIGTERM, or until the monotonic `until_mono_ms` (INT64_MAX: none), calling `map_new(ctx)` every
 * PLAY_LIVE_MAP_MS to map streams that began since (a non-zero return ends the run with it).
 * A playhead more than PLAY_LIVE_BEHIND_MS behind the newest frame (after a gap in the recording)
 * goes to the newest frame. Returns the exit status (0, or 1 after a failure printed through
 * cli_fail).
 */
#define PLAY_LIVE_BEHIND_MS 1000
/* Read slots whose newest printed time `play --live` keeps (a slot beyond is printed as it comes:
   64 FS of 64 streams fit). */
#define PLAY_LIVE_SLOTS 4096
#define PLAY_LIVE_MAP_MS 500
int play_live_run(valkka_manager_t *m, int64_t until_mono_ms, int (*map_new)(void *ctx), void *ctx);

#endif
