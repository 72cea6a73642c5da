/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka play --live` (play_live.h). */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "cli_log.h"
#include "cli_time.h"
#include "commands.h"
#include "play_live.h"

#define LOOK_MS 50

void play_lags_add(play_lags_t *lags, int64_t lag_ms) {
  if (lag_ms < 0) lag_ms = 0; /* a camera clock a little ahead of ours */
  lags->buckets[lag_ms > PLAY_LAG_MAX_MS ? PLAY_LAG_MAX_MS : lag_ms]++;
  if (lag_ms > lags->max_ms) lags->max_ms = lag_ms;
  lags->count++;
}

int64_t play_lags_quantile(const play_lags_t *lags, double fraction) {
  if (!lags->count) return 0;
  const double want = fraction * (double)lags->count;
  uint64_t seen = 0;
  for (int64_t ms = 0; ms <= PLAY_LAG_MAX_MS; ms++) {
    seen += lags->buckets[ms];
    if ((double)seen >= want) return ms;
  }
  return PLAY_LAG_MAX_MS;
}

static void stop_signals(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGTERM);
}

void play_live_block_signals(void) {
  sigset_t set;
  stop_signals(&set);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* Waits up to `ms` (>= 0) for SIGINT or SIGTERM; non-zero when one came. */
static int wait_signal(int64_t ms) {
  sigset_t set;
  stop_signals(&set);
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  int sig = sigtimedwait(&set, NULL, &ts);
  return sig > 0 ? sig : 0;
}

static int64_t left_ms(int64_t until) {
  const int64_t now = cli_mono_us() / 1000;
  if (now >= until) return 0;
  return until - now < LOOK_MS ? until - now : LOOK_MS;
}

int play_live_wait_recorded(valkka_manager_t *m, int64_t until_mono_ms) {
  for (;;) {
    int64_t first = 0, last = 0;
    valkka_manager_get_time_range(m, &first, &last);
    if (last) return 1;
    const int64_t ms = left_ms(until_mono_ms);
    if (!ms || wait_signal(ms)) return 0;
  }
}

/* To the newest recorded frame, playing at real time from there. */
static int to_edge(valkka_manager_t *m) {
  int64_t first = 0, edge = 0;
  valkka_manager_get_time_range(m, &first, &edge);
  int err = valkka_manager_seek(m, edge);
  if (!err) err = valkka_manager_play(m, 1.0);
  return err ? cli_fail_code(err, "play --live") : 0;
}

/* The clock waits at the end of the recording while nothing new comes, so after a gap in it (the
 * recorder stopped and started again) it would stay behind by the gap for good: it goes to the
 * newest frame instead, skipping the gap's far side. */
static int catch_up(valkka_manager_t *m) {
  int64_t first = 0, edge = 0, now = 0;
  valkka_manager_get_time_range(m, &first, &edge);
  if (valkka_manager_get_current_time(m, &now) || !now || edge - now <= PLAY_LIVE_BEHIND_MS)
    return 0;
  cli_say(VALKKA_LOG_INFO, "play --live: %" PRId64 " ms behind the recording: to its newest frame",
          edge - now);
  return to_edge(m);
}

int play_live_run(valkka_manager_t *m, int64_t until_mono_ms, int (*map_new)(void *ctx),
                  void *ctx) {
  int status = to_edge(m);
  if (status) return status;
  int64_t next_map = cli_mono_us() / 1000 + PLAY_LIVE_MAP_MS;
  for (;;) {
    const int64_t ms = left_ms(until_mono_ms);
    if (!ms || wait_signal(ms)) return 0;
    if ((status = catch_up(m))) return status;
    if (cli_mono_us() / 1000 < next_map) continue;
    next_map += PLAY_LIVE_MAP_MS;
    if ((status = map_new(ctx))) return status;
  }
}
