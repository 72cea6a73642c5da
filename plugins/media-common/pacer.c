/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <time.h>

#include "pacer.h"

/* How late a real-time consumer may fall before the timeline is moved instead of caught up. */
#define MAX_LAG_US 1000000

static int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int valkka_pacer_init(valkka_pacer_t *p, const valkka_host_t *host, bool realtime) {
  *p = (valkka_pacer_t){.host = host, .realtime = realtime};
  atomic_init(&p->interrupted, false);
  pthread_condattr_t attr;
  if (pthread_condattr_init(&attr) != 0)
    return host->error_set(VALKKA_ENOMEM, "pacer: cannot create a condition variable");
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  int err = pthread_cond_init(&p->wake, &attr);
  pthread_condattr_destroy(&attr);
  if (err) return host->error_set(VALKKA_ENOMEM, "pacer: cannot create a condition variable");
  if (pthread_mutex_init(&p->lock, NULL) != 0) {
    pthread_cond_destroy(&p->wake);
    return host->error_set(VALKKA_ENOMEM, "pacer: cannot create a mutex");
  }
  return 0;
}

void valkka_pacer_destroy(valkka_pacer_t *p) {
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->lock);
}

void valkka_pacer_interrupt(valkka_pacer_t *p) {
  pthread_mutex_lock(&p->lock);
  atomic_store(&p->interrupted, true);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->lock);
}

bool valkka_pacer_interrupted(valkka_pacer_t *p) { return atomic_load(&p->interrupted); }

/* Sleeps until `until_us` (monotonic) or an interrupt. */
static void sleep_until(valkka_pacer_t *p, int64_t until_us) {
  struct timespec deadline = {.tv_sec = until_us / 1000000, .tv_nsec = (until_us % 1000000) * 1000};
  pthread_mutex_lock(&p->lock);
  while (!atomic_load(&p->interrupted) && mono_us() < until_us)
    if (pthread_cond_timedwait(&p->wake, &p->lock, &deadline) == ETIMEDOUT) break;
  pthread_mutex_unlock(&p->lock);
}

int valkka_pacer_wait(valkka_pacer_t *p, int64_t offset_us, int timeout_ms, int64_t *mstime) {
  if (atomic_load(&p->interrupted)) return VALKKA_EINTR;
  int64_t now = mono_us();
  if (!p->started) {
    p->started = true;
    p->base_mono_us = now;
    p->base_wall_ms = p->host->clock_wall_ms();
    p->last_mstime = p->base_wall_ms - 1;
  }
  if (p->realtime) {
    int64_t due = p->base_mono_us + offset_us;
    if (now - due > MAX_LAG_US) {
      int64_t lag = now - due;
      p->base_mono_us += lag;
      p->base_wall_ms += lag / 1000;
      due = now;
    }
    if (now < due) {
      int64_t until = due;
      if (timeout_ms >= 0 && now + (int64_t)timeout_ms * 1000 < due)
        until = now + (int64_t)timeout_ms * 1000;
      sleep_until(p, until);
      if (atomic_load(&p->interrupted)) return VALKKA_EINTR;
      if (mono_us() < due) return VALKKA_ETIMEDOUT;
    }
  }
  int64_t ms = p->base_wall_ms + offset_us / 1000;
  if (ms <= p->last_mstime) ms = p->last_mstime + 1;
  p->last_mstime = ms;
  *mstime = ms;
  return 0;
}
