/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A pool of preallocated frames. Pipelines take frames from a pool and give them back, so the
 * steady state allocates nothing (a frame's buffer grows only when a larger payload first comes).
 */
#ifndef VALKKA_UTIL_POOL_H
#define VALKKA_UTIL_POOL_H

#include <stdint.h>

#include <valkka/frame.h>

typedef struct pool pool_t;

/** n_frames frames of `capacity` bytes each. NULL on failure (valkka_last_error set). */
pool_t *pool_create(uint32_t n_frames, uint32_t capacity);
/** Frees the pool and its frames; every frame must have been put back. NULL-safe. */
void pool_destroy(pool_t *pool);
/** A free frame (fields reset but for its buffer), or NULL when the pool is empty (counted). */
valkka_frame_t *pool_get(pool_t *pool);
/** Returns a frame to the pool it came from. NULL-safe. Any thread. */
void pool_put(valkka_frame_t *frame);
/** Frames currently free. */
uint32_t pool_available(pool_t *pool);
/** Number of pool_get calls that found the pool empty. */
uint64_t pool_exhausted(pool_t *pool);

#endif
