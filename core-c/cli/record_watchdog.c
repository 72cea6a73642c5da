/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The watchdog thread. A writer thread's loop turns at least every 100 ms (fs.h,
 * valkka_fs_info_t.writer_beats); a count that has not moved for a second, or for a whole period
 * when the period is longer, is a writer stuck in a write the storage holds up, or gone. Each
 * look goes over the FS the session has then, so an FS a reload opens is watched from its first
 * look and one a reload closes is not watched any more.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_log.h"
#include "cli_time.h"
#include "record_notify.h"
#include "record_watchdog.h"

#define SECOND_US 1000000

/* One FS of the session, by its number (record_session_writer_beats). */
typedef struct watched {
  bool seen;        /* looked at before */
  uint64_t beats;   /* the count last seen */
  int64_t moved_us; /* when it last moved (or was first seen) */
  bool stuck;       /* said once when it stops, once when it moves again */
} watched_t;

struct record_watchdog {
  record_session_t *session;
  int64_t period_us;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake; /* on CLOCK_MONOTONIC */
  bool stop;
  watched_t *fs; /* by the session's FS number; grows as reloads open FS */
  size_t n_fs;
  bool no_memory_said;
};

/* Room for FS number `index`; false when there is no memory for it. */
static bool make_room(record_watchdog_t *w, size_t index) {
  if (index < w->n_fs) return true;
  const size_t n = index < 4 ? 8 : 2 * index;
  watched_t *grown = realloc(w->fs, n * sizeof *grown);
  if (!grown) return false;
  memset(grown + w->n_fs, 0, (n - w->n_fs) * sizeof *grown);
  w->fs = grown;
  w->n_fs = n;
  return true;
}

/* FS `x` (directory `dir`) with `beats` at `now`: whether its writer is stuck; says once when it
 * stops and when it moves again. */
static bool writer_stuck(record_watchdog_t *w, watched_t *x, const char *dir, uint64_t beats,
                         int64_t now) {
  const int64_t window = w->period_us > SECOND_US ? w->period_us : SECOND_US;
  if (!x->seen || beats != x->beats) x->moved_us = now;
  x->seen = true;
  x->beats = beats;
  const bool stuck = now - x->moved_us >= window;
  if (stuck && !x->stuck)
    cli_say(VALKKA_LOG_ERROR,
            "record: FS %s: its writer thread has not moved for %.1f s: WATCHDOG=1 withheld, "
            "systemd will restart the recorder",
            dir, (double)(now - x->moved_us) / SECOND_US);
  else if (!stuck && x->stuck)
    cli_say(VALKKA_LOG_WARN, "record: FS %s: its writer thread moves again", dir);
  x->stuck = stuck;
  return stuck;
}

/* Every open FS's writer moving. */
static bool writers_moving(record_watchdog_t *w, int64_t now) {
  bool all = true;
  uint64_t beats = 0;
  const char *dir = NULL;
  int open;
  for (size_t f = 0; (open = record_session_writer_beats(w->session, f, &beats, &dir)) >= 0; f++) {
    if (!make_room(w, f)) {
      /* An FS it cannot keep track of is one it cannot vouch for. */
      if (!w->no_memory_said)
        cli_say(VALKKA_LOG_ERROR, "record: the watchdog is out of memory: WATCHDOG=1 withheld");
      w->no_memory_said = true;
      return false;
    }
    if (open)
      all = !writer_stuck(w, &w->fs[f], dir, beats, now) && all;
    else
      w->fs[f].stuck = false; /* closed by a reload: not watched */
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
  free(w->fs);
  free(w);
}

record_watchdog_t *record_watchdog_start(record_session_t *session) {
  const int64_t usec = watchdog_usec();
  if (!usec || !record_notify_open()) return NULL;
  record_watchdog_t *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  *w = (record_watchdog_t){.session = session, .period_us = usec / 2};
  pthread_mutex_init(&w->lock, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&w->wake, &attr);
  pthread_condattr_destroy(&attr);
  const int err = pthread_create(&w->thread, NULL, watchdog_main, w);
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
