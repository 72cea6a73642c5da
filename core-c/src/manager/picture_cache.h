/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The decoded pictures a stream keeps for stepping back: the pictures of the GOP before the
 * playhead, decoded once, so that every further step back inside it is a copy, not a decode. A
 * cache belongs to its stream and is used under the stream's busy guard (filecache_stream.h):
 * by one thread at a time, no lock. Its bound is in bytes; over it, the oldest pictures go first
 * (the next step back needs the newest).
 */
#ifndef VALKKA_MANAGER_PICTURE_CACHE_H
#define VALKKA_MANAGER_PICTURE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <valkka/frame.h>

typedef struct picture_cache {
  valkka_frame_t **pictures; /* by presentation time (mstime), ascending */
  size_t n, cap;
  uint64_t bytes; /* the buffers' capacity, all pictures */
} picture_cache_t;

/** The picture shown at `pts`, or NULL. */
const valkka_frame_t *picture_cache_find(const picture_cache_t *c, int64_t pts);

/**
 * Takes `*picture` (a decoded picture, newer than every one held: pictures come out of a decoder
 * in presentation order) and leaves in `*picture` a spare frame to decode into next. Then drops
 * the oldest pictures while more than `budget` bytes are held (the newest always stays).
 * Errors: VALKKA_ENOMEM (nothing taken, `*picture` unchanged).
 */
int picture_cache_take(picture_cache_t *c, valkka_frame_t **picture, uint64_t budget);

/** Drops every picture (keeps the array). */
void picture_cache_clear(picture_cache_t *c);
/** Drops every picture and the array. */
void picture_cache_free(picture_cache_t *c);

#endif
