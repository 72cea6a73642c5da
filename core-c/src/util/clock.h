/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Clocks used across the core. */
#ifndef VALKKA_UTIL_CLOCK_H
#define VALKKA_UTIL_CLOCK_H

#include <pthread.h>
#include <stdint.h>

/** Wall clock: ms since the Unix epoch. */
int64_t clock_wall_ms(void);
/** Monotonic clock in microseconds. */
int64_t clock_mono_us(void);
/** An absolute CLOCK_MONOTONIC deadline `timeout_ms` from now, for pthread_cond_timedwait. */
struct timespec clock_deadline(int timeout_ms);
/** Initialises a condition variable whose timed waits take clock_deadline()'s deadlines. */
void clock_cond_init(pthread_cond_t *cond);

#endif
