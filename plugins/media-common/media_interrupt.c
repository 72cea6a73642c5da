/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <time.h>

#include "media_interrupt.h"

static int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void valkka_media_interrupt_init(valkka_media_interrupt_t *irq) {
  atomic_init(&irq->interrupted, false);
  atomic_init(&irq->deadline_us, 0);
}

bool valkka_media_interrupt_fired(valkka_media_interrupt_t *irq) {
  return atomic_load(&irq->interrupted);
}

bool valkka_media_interrupt_expired(valkka_media_interrupt_t *irq) {
  int64_t deadline = atomic_load(&irq->deadline_us);
  return deadline != 0 && mono_us() >= deadline;
}

/* libavformat's side: non-zero aborts the blocking call with AVERROR_EXIT. */
static int check(void *opaque) {
  valkka_media_interrupt_t *irq = opaque;
  return valkka_media_interrupt_fired(irq) || valkka_media_interrupt_expired(irq);
}

AVIOInterruptCB valkka_media_interrupt_cb(valkka_media_interrupt_t *irq) {
  return (AVIOInterruptCB){check, irq};
}

void valkka_media_interrupt_arm(valkka_media_interrupt_t *irq, int timeout_ms) {
  /* A zero timeout still means "now": 1 us past, never the "none" value 0. */
  atomic_store(&irq->deadline_us, timeout_ms < 0 ? 0 : mono_us() + (int64_t)timeout_ms * 1000 + 1);
}

void valkka_media_interrupt_fire(valkka_media_interrupt_t *irq) {
  atomic_store(&irq->interrupted, true);
}
