/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A bounded FIFO of frame pointers between threads. A full queue never blocks a producer unless
 * the producer asks to wait: push with timeout 0 drops (the caller keeps the frame and returns it
 * to its pool) and counts the drop.
 */
#ifndef VALKKA_UTIL_QUEUE_H
#define VALKKA_UTIL_QUEUE_H

#include <stdint.h>

#include <valkka/frame.h>

typedef struct queue queue_t;

typedef struct queue_stats {
  uint64_t pushed;  /**< frames accepted */
  uint64_t dropped; /**< pushes refused because the queue was full */
  uint64_t popped;  /**< frames taken */
  uint32_t length;  /**< frames in the queue now */
  uint32_t capacity;
} queue_stats_t;

/** A queue of at most `capacity` frames. NULL on failure (valkka_last_error set). */
queue_t *queue_create(uint32_t capacity);
/** Frees the queue; frames still in it go back to their pools. NULL-safe. */
void queue_destroy(queue_t *queue);
/**
 * Appends `frame`. timeout_ms 0: never waits; < 0: waits until there is room or the queue closes.
 * Errors: VALKKA_EFULL (full: dropped and counted; the caller still owns the frame),
 * VALKKA_ESTATE (closed; the caller still owns the frame).
 */
int queue_push(queue_t *queue, valkka_frame_t *frame, int timeout_ms);
/**
 * Takes the oldest frame into `*frame` (the caller then owns it). timeout_ms 0: never waits;
 * < 0: waits forever. Errors: VALKKA_ETIMEDOUT (empty), VALKKA_EOS (closed and empty).
 */
int queue_pop(queue_t *queue, valkka_frame_t **frame, int timeout_ms);
/** Wakes every waiter; later pushes fail, pops drain what is left. Idempotent. */
void queue_close(queue_t *queue);
/** Counters and length, read atomically together. */
void queue_get_stats(queue_t *queue, queue_stats_t *stats);

#endif
