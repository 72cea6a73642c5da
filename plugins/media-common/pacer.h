/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Real-time pacing of a replayed stream, with interrupts: turns a frame's media offset into its
 * wall-clock mstime and, in real-time mode, waits until the frame is due, never past a read's
 * timeout and never after an interrupt.
 */
#ifndef VALKKA_MEDIA_PACER_H
#define VALKKA_MEDIA_PACER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <valkka/plugin.h>

typedef struct valkka_pacer {
  const valkka_host_t *host;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  atomic_bool interrupted;
  bool realtime;
  bool started;
  int64_t base_mono_us; /* when offset 0 was (or counts as) due */
  int64_t base_wall_ms; /* mstime of offset 0 */
  int64_t last_mstime;
} valkka_pacer_t;

/** Errors: VALKKA_ENOMEM (with host->error_set). */
int valkka_pacer_init(valkka_pacer_t *pacer, const valkka_host_t *host, bool realtime);
void valkka_pacer_destroy(valkka_pacer_t *pacer);

/** Wakes a waiting valkka_pacer_wait; it and every later one return VALKKA_EINTR. Any thread. */
void valkka_pacer_interrupt(valkka_pacer_t *pacer);
bool valkka_pacer_interrupted(valkka_pacer_t *pacer);

/**
 * For the frame `offset_us` after the first one (offsets never decrease): returns 0 with its
 * `*mstime` (strictly increasing) once it is due (at once when not real-time),
 * VALKKA_ETIMEDOUT when it is not due within `timeout_ms` (< 0: no limit), VALKKA_EINTR after an
 * interrupt. The first call starts the clock. A consumer more than a second late moves the
 * timeline forward instead of receiving a burst of stale frames.
 */
int valkka_pacer_wait(valkka_pacer_t *pacer, int64_t offset_us, int timeout_ms, int64_t *mstime);

#endif
