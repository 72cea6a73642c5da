/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A camera's source thread: opens the source plugin, reads frames, stamps the slot, hands each to
 * the record sink and the decoder branch, reports state changes, and reconnects with capped
 * exponential backoff when the source fails or stalls.
 */
#ifndef VALKKA_LIVE_SOURCE_THREAD_H
#define VALKKA_LIVE_SOURCE_THREAD_H

#include "live/live_internal.h"

/** Starts the thread of `cam`; it runs until live_camera_request_stop() or a final state. */
int source_thread_start(live_camera_t *cam);

#endif
