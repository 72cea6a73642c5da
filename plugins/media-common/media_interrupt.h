/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bounding libavformat's blocking calls: an AVIOInterruptCB that aborts the current call (it then
 * returns AVERROR_EXIT) when another thread interrupts, or when the deadline armed for the call
 * passes. libavformat polls it at least every 100 ms while it waits on a socket.
 */
#ifndef VALKKA_MEDIA_INTERRUPT_H
#define VALKKA_MEDIA_INTERRUPT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <libavformat/avio.h>

typedef struct valkka_media_interrupt {
  atomic_bool interrupted;     /* set once by another thread; never cleared */
  _Atomic int64_t deadline_us; /* CLOCK_MONOTONIC; 0: none */
} valkka_media_interrupt_t;

void valkka_media_interrupt_init(valkka_media_interrupt_t *irq);

/** The callback to store in AVFormatContext.interrupt_callback; `irq` must outlive the context. */
AVIOInterruptCB valkka_media_interrupt_cb(valkka_media_interrupt_t *irq);

/** Arms a deadline `timeout_ms` from now for the next blocking call; < 0 disarms it. */
void valkka_media_interrupt_arm(valkka_media_interrupt_t *irq, int timeout_ms);

/** Aborts the current and every later blocking call. Any thread. */
void valkka_media_interrupt_fire(valkka_media_interrupt_t *irq);

/** True after valkka_media_interrupt_fire. */
bool valkka_media_interrupt_fired(valkka_media_interrupt_t *irq);

/** True when a deadline is armed and has passed. */
bool valkka_media_interrupt_expired(valkka_media_interrupt_t *irq);

#endif
