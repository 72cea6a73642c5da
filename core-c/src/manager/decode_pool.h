/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file cache's decoder workers: a fork-join pool that runs the jobs of one round (a stream's
 * advance each) on threads `vk-decode-N` and returns when all of them are done. Each job runs
 * once, on one worker: a stream given as one job is never in two workers at once. A pool of one
 * worker has no thread: its rounds run on the caller's thread, as they did before the pool.
 * Lock: the pool's `lock` is a leaf (no job runs with it held).
 */
#ifndef VALKKA_MANAGER_DECODE_POOL_H
#define VALKKA_MANAGER_DECODE_POOL_H

#include <stddef.h>
#include <stdint.h>

/* More workers than this are not started, whatever the machine or the caller says. */
#define DECODE_POOL_MAX 16

typedef struct decode_pool decode_pool_t;

/* Job `i` of a round; runs on a worker, never with a lock of the pool held. */
typedef void (*decode_pool_fn)(void *ctx, size_t i);

/** `workers` 0: as many as the machine has online cores (at most DECODE_POOL_MAX). */
uint32_t decode_pool_default_workers(uint32_t workers);

/** Starts `workers` threads (1: none). NULL on failure (valkka_last_error set). */
decode_pool_t *decode_pool_start(uint32_t workers);
/** Stops and joins the threads and frees the pool. NULL does nothing. Not during a round. */
void decode_pool_stop(decode_pool_t *pool);
uint32_t decode_pool_workers(const decode_pool_t *pool);

/**
 * Runs fn(ctx, 0) .. fn(ctx, n - 1), each once, spread over the workers, and returns when all have
 * returned (what they wrote is then visible to the caller). One round at a time: one caller.
 */
void decode_pool_run(decode_pool_t *pool, size_t n, decode_pool_fn fn, void *ctx);

#endif
