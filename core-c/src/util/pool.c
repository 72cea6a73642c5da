/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <pthread.h>
#include <stdlib.h>

#include <valkka/error.h>

#include "util/pool.h"

struct pool {
  pthread_mutex_t lock;
  valkka_frame_t *frames; /* one array: n_frames frames */
  valkka_frame_t **free_list;
  uint32_t n_frames;
  uint32_t n_free;
  uint64_t exhausted;
};

pool_t *pool_create(uint32_t n_frames, uint32_t capacity) {
  if (!n_frames) {
    valkka_error_set(VALKKA_EINVAL, "pool: zero frames");
    return NULL;
  }
  pool_t *pool = calloc(1, sizeof *pool);
  if (!pool) goto oom;
  pool->frames = calloc(n_frames, sizeof *pool->frames);
  pool->free_list = calloc(n_frames, sizeof *pool->free_list);
  if (!pool->frames || !pool->free_list) goto oom;
  pthread_mutex_init(&pool->lock, NULL);
  pool->n_frames = n_frames;
  for (uint32_t i = 0; i < n_frames; i++) {
    valkka_frame_t *f = &pool->frames[i];
    f->struct_size = sizeof *f;
    f->internal = pool;
    if (capacity && valkka_frame_reserve(f, capacity) != 0) {
      pool->n_free = i; /* so destroy frees what was reserved */
      for (uint32_t j = 0; j < i; j++) pool->free_list[j] = &pool->frames[j];
      pool_destroy(pool);
      return NULL;
    }
    pool->free_list[i] = f;
  }
  pool->n_free = n_frames;
  return pool;
oom:
  if (pool) {
    free(pool->frames);
    free(pool->free_list);
    free(pool);
  }
  valkka_error_set(VALKKA_ENOMEM, "pool: out of memory for %u frames", n_frames);
  return NULL;
}

void pool_destroy(pool_t *pool) {
  if (!pool) return;
  for (uint32_t i = 0; i < pool->n_frames; i++) free(pool->frames[i].data);
  pthread_mutex_destroy(&pool->lock);
  free(pool->frames);
  free(pool->free_list);
  free(pool);
}

valkka_frame_t *pool_get(pool_t *pool) {
  valkka_frame_t *frame = NULL;
  pthread_mutex_lock(&pool->lock);
  if (pool->n_free)
    frame = pool->free_list[--pool->n_free];
  else
    pool->exhausted++;
  pthread_mutex_unlock(&pool->lock);
  if (frame) {
    uint8_t *data = frame->data;
    uint32_t capacity = frame->capacity;
    *frame = (valkka_frame_t){
        .struct_size = sizeof *frame, .data = data, .capacity = capacity, .internal = pool};
  }
  return frame;
}

void pool_put(valkka_frame_t *frame) {
  if (!frame) return;
  pool_t *pool = frame->internal;
  if (!pool) return; /* not a pool frame: its owner frees it */
  pthread_mutex_lock(&pool->lock);
  pool->free_list[pool->n_free++] = frame;
  pthread_mutex_unlock(&pool->lock);
}

uint32_t pool_available(pool_t *pool) {
  pthread_mutex_lock(&pool->lock);
  uint32_t n = pool->n_free;
  pthread_mutex_unlock(&pool->lock);
  return n;
}

uint64_t pool_exhausted(pool_t *pool) {
  pthread_mutex_lock(&pool->lock);
  uint64_t n = pool->exhausted;
  pthread_mutex_unlock(&pool->lock);
  return n;
}
