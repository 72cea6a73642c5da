/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include <valkka/error.h>

#include "util/clock.h"
#include "util/pool.h"
#include "util/queue.h"

struct queue {
  pthread_mutex_t lock;
  pthread_cond_t not_empty;
  pthread_cond_t not_full;
  valkka_frame_t **ring;
  uint32_t capacity;
  uint32_t head; /* next to pop */
  uint32_t length;
  bool closed;
  uint64_t pushed, dropped, popped;
};

queue_t *queue_create(uint32_t capacity) {
  if (!capacity) {
    valkka_error_set(VALKKA_EINVAL, "queue: zero capacity");
    return NULL;
  }
  queue_t *q = calloc(1, sizeof *q);
  if (q) q->ring = calloc(capacity, sizeof *q->ring);
  if (!q || !q->ring) {
    free(q);
    valkka_error_set(VALKKA_ENOMEM, "queue: out of memory for %u entries", capacity);
    return NULL;
  }
  pthread_mutex_init(&q->lock, NULL);
  clock_cond_init(&q->not_empty);
  clock_cond_init(&q->not_full);
  q->capacity = capacity;
  return q;
}

void queue_destroy(queue_t *q) {
  if (!q) return;
  for (uint32_t i = 0; i < q->length; i++) pool_put(q->ring[(q->head + i) % q->capacity]);
  pthread_cond_destroy(&q->not_empty);
  pthread_cond_destroy(&q->not_full);
  pthread_mutex_destroy(&q->lock);
  free(q->ring);
  free(q);
}

/* Waits on `cond` until `ready` or the deadline; false on timeout. */
static bool wait_until(queue_t *q, pthread_cond_t *cond, int timeout_ms, bool for_room) {
  struct timespec deadline = clock_deadline(timeout_ms);
  for (;;) {
    bool ready = q->closed || (for_room ? q->length < q->capacity : q->length > 0);
    if (ready) return true;
    if (timeout_ms == 0) return false;
    if (timeout_ms < 0) {
      pthread_cond_wait(cond, &q->lock);
    } else if (pthread_cond_timedwait(cond, &q->lock, &deadline) == ETIMEDOUT) {
      return q->closed || (for_room ? q->length < q->capacity : q->length > 0);
    }
  }
}

int queue_push(queue_t *q, valkka_frame_t *frame, int timeout_ms) {
  pthread_mutex_lock(&q->lock);
  bool room = wait_until(q, &q->not_full, timeout_ms, true);
  int result = 0;
  if (q->closed) {
    result = VALKKA_ESTATE;
  } else if (!room) {
    q->dropped++;
    result = VALKKA_EFULL;
  } else {
    q->ring[(q->head + q->length) % q->capacity] = frame;
    q->length++;
    q->pushed++;
    pthread_cond_signal(&q->not_empty);
  }
  pthread_mutex_unlock(&q->lock);
  /* Dropping is normal operation, not a failure worth a detailed message: no valkka_error_set. */
  return result;
}

int queue_pop(queue_t *q, valkka_frame_t **frame, int timeout_ms) {
  pthread_mutex_lock(&q->lock);
  wait_until(q, &q->not_empty, timeout_ms, false);
  int result = 0;
  if (q->length) {
    *frame = q->ring[q->head];
    q->head = (q->head + 1) % q->capacity;
    q->length--;
    q->popped++;
    pthread_cond_signal(&q->not_full);
  } else {
    result = q->closed ? VALKKA_EOS : VALKKA_ETIMEDOUT;
  }
  pthread_mutex_unlock(&q->lock);
  return result;
}

void queue_close(queue_t *q) {
  pthread_mutex_lock(&q->lock);
  q->closed = true;
  pthread_cond_broadcast(&q->not_empty);
  pthread_cond_broadcast(&q->not_full);
  pthread_mutex_unlock(&q->lock);
}

void queue_get_stats(queue_t *q, queue_stats_t *stats) {
  pthread_mutex_lock(&q->lock);
  *stats = (queue_stats_t){q->pushed, q->dropped, q->popped, q->length, q->capacity};
  pthread_mutex_unlock(&q->lock);
}
