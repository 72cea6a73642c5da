/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The decoder workers' fork-join pool (decode_pool.h): a round's jobs are taken one by one under
 * the lock, so a slow stream does not hold back the others' worker.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <valkka/error.h>

#include "manager/decode_pool.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/thread.h"

struct decode_pool {
  pthread_mutex_t lock; /* a leaf: the round below, stopping */
  pthread_cond_t work;  /* a round began, or stop */
  pthread_cond_t idle;  /* the round's last job returned */
  decode_pool_fn fn;
  void *ctx;
  size_t n, next, done; /* the round's jobs, the next to take, those returned */
  bool stopping;
  uint32_t workers;
  thread_t *threads; /* workers of them when more than one */
};

uint32_t decode_pool_default_workers(uint32_t workers) {
  if (!workers) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    workers = online > 0 ? (uint32_t)(online < DECODE_POOL_MAX ? online : DECODE_POOL_MAX) : 1;
  }
  return workers < DECODE_POOL_MAX ? workers : DECODE_POOL_MAX;
}

static void worker_main(thread_t *self, void *arg) {
  (void)self;
  decode_pool_t *p = arg;
  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (!p->stopping && p->next >= p->n) pthread_cond_wait(&p->work, &p->lock);
    if (p->stopping) break;
    const size_t i = p->next++;
    decode_pool_fn fn = p->fn;
    void *ctx = p->ctx;
    pthread_mutex_unlock(&p->lock);
    fn(ctx, i);
    pthread_mutex_lock(&p->lock);
    if (++p->done == p->n) pthread_cond_signal(&p->idle);
  }
  pthread_mutex_unlock(&p->lock);
}

decode_pool_t *decode_pool_start(uint32_t workers) {
  decode_pool_t *p = alloc_zeroed(sizeof *p, "decode pool: out of memory");
  if (!p) return NULL;
  p->workers = workers ? workers : 1;
  pthread_mutex_init(&p->lock, NULL);
  clock_cond_init(&p->work);
  clock_cond_init(&p->idle);
  if (p->workers == 1) return p;
  p->threads = calloc(p->workers, sizeof *p->threads);
  if (!p->threads) {
    valkka_error_set(VALKKA_ENOMEM, "decode pool: out of memory");
    decode_pool_stop(p);
    return NULL;
  }
  for (uint32_t i = 0; i < p->workers; i++) {
    char name[16];
    snprintf(name, sizeof name, "vk-decode-%u", i % 100); /* i < DECODE_POOL_MAX */
    if (thread_start(&p->threads[i], name, worker_main, p) != 0) {
      decode_pool_stop(p);
      return NULL;
    }
  }
  return p;
}

void decode_pool_stop(decode_pool_t *p) {
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  p->stopping = true;
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->lock);
  for (uint32_t i = 0; p->threads && i < p->workers; i++) thread_stop(&p->threads[i]);
  free(p->threads);
  pthread_cond_destroy(&p->work);
  pthread_cond_destroy(&p->idle);
  pthread_mutex_destroy(&p->lock);
  free(p);
}

uint32_t decode_pool_workers(const decode_pool_t *p) { return p->workers; }

void decode_pool_run(decode_pool_t *p, size_t n, decode_pool_fn fn, void *ctx) {
  /* One job, or no thread: the caller is the worker (no hand-over to pay for). */
  if (!p->threads || n <= 1) {
    for (size_t i = 0; i < n; i++) fn(ctx, i);
    return;
  }
  pthread_mutex_lock(&p->lock);
  p->fn = fn;
  p->ctx = ctx;
  p->next = p->done = 0;
  p->n = n;
  pthread_cond_broadcast(&p->work);
  while (p->done < n) pthread_cond_wait(&p->idle, &p->lock);
  p->n = p->next = p->done = 0;
  pthread_mutex_unlock(&p->lock);
}
