/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The watchdog thread. A writer thread's loop turns at least every 100 ms (fs.h,
 * valkka_fs_info_t.writer_beats); a count that has not moved for a second, or for a whole period
 * when the period is longer, is a writer stuck in a write the storage holds up, or gone.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli_log.h"
#include "cli_time.h"
#include "record_notify.h"
#include "record_watchdog.h"

#define SECOND_US 1000000

struct record_watchdog {
  const record_plan_t *plan;
  record_session_t *session;
  int64_t period_us;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake; /* on CLOCK_MONOTONIC */
  bool stop;
  uint64_t *beats;   /* per FS, the count last seen */
  int64_t *moved_us; /* when it last moved */
  bool *stuck;       /* said once when it stops, once when it moves again */
};

/* Every FS's writer moving; says once, per FS, when one stops and when it moves again. */
static bool writers_moving(record_watchdog_t *w, int64_t now) {
  const int64_t window = w->period_us > SECOND_US ? w->period_us : SECOND_US;
  bool all = true;
  for (size_t f = 0; f < w->plan->n_fs; f++) {
    uint64_t beats = 0;
    const bool open = record_session_writer_beats(w->session, f, &beats) == 0;
    if (open && beats != w->beats[f]) w->moved_us[f] = now;
    w->beats[f] = beats;
    const bool stuck = !open || now - w->moved_us[f] >= window;
    if (stuck && !w->stuck[f])
      cli_say(VALKKA_LOG_ERROR,
              "record: FS %s: its writer thread has not moved for %.1f s: WATCHDOG=1 withheld, "
              "systemd will restart the recorder",
              w->plan->fs[f].dir, (double)(now - w->moved_us[f]) / SECOND_US);
    else if (!stuck && w->stuck[f])
      cli_say(VALKKA_LOG_WARN, "record: FS %s: its writer thread moves again", w->plan->fs[f].dir);
    w->stuck[f] = stuck;
    all = all && !stuck;
  }
  return all;
}

static void *watchdog_main(void *arg) {
  record_watchdog_t *w = arg;
  pthread_mutex_lock(&w->lock);
  int64_t next = cli_mono_us();
  while (!w->stop) {
    const int64_t now = cli_mono_us();
    if (now >= next) {
      if (writers_moving(w, now)) record_notify("WATCHDOG=1");
      next += w->period_us;
      if (next <= now) next = now + w->period_us;
    }
    /* cli_mono_us is CLOCK_MONOTONIC's, the clock of `wake`. */
    const struct timespec ts = {.tv_sec = next / SECOND_US,
                                .tv_nsec = (long)(next % SECOND_US) * 1000};
    pthread_cond_timedwait(&w->wake, &w->lock, &ts);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

/* $WATCHDOG_USEC for this process (sd_watchdog_enabled(3)'s rule), or 0. */
static int64_t watchdog_usec(void) {
  const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
  char *end = NULL;
  if (!usec || !*usec) return 0;
  if (pid && *pid && strtol(pid, &end, 10) != (long)getpid()) return 0;
  const long long value = strtoll(usec, &end, 10);
  return *end || value <= 0 ? 0 : (int64_t)value;
}

static void watchdog_free(record_watchdog_t *w) {
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->lock);
  free(w->beats);
  free(w->moved_us);
  free(w->stuck);
  free(w);
}

record_watchdog_t *record_watchdog_start(const record_plan_t *plan, record_session_t *session) {
  const int64_t usec = watchdog_usec();
  if (!usec || !record_notify_open()) return NULL;
  record_watchdog_t *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  *w = (record_watchdog_t){.plan = plan, .session = session, .period_us = usec / 2};
  pthread_mutex_init(&w->lock, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&w->wake, &attr);
  pthread_condattr_destroy(&attr);
  w->beats = calloc(plan->n_fs + 1, sizeof *w->beats);
  w->moved_us = calloc(plan->n_fs + 1, sizeof *w->moved_us);
  w->stuck = calloc(plan->n_fs + 1, sizeof *w->stuck);
  const int64_t now = cli_mono_us();
  for (size_t f = 0; w->moved_us && f < plan->n_fs; f++) w->moved_us[f] = now;
  int err = !w->beats || !w->moved_us || !w->stuck
                ? ENOMEM
                : pthread_create(&w->thread, NULL, watchdog_main, w);
  if (err) {
    cli_say(VALKKA_LOG_ERROR, "record: the watchdog thread did not start (error %d)", err);
    watchdog_free(w);
    return NULL;
  }
  return w;
}

void record_watchdog_stop(record_watchdog_t *w) {
  if (!w) return;
  pthread_mutex_lock(&w->lock);
  w->stop = true;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, NULL);
  watchdog_free(w);
}
