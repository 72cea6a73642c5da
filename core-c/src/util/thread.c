/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

#include <valkka/error.h>

#include "util/thread.h"

static void *trampoline(void *raw) {
  thread_t *thread = raw;
  pthread_setname_np(pthread_self(), thread->name);
  thread->fn(thread, thread->arg);
  return NULL;
}

int thread_start(thread_t *thread, const char *name, thread_fn fn, void *arg) {
  if (!thread || !fn) return valkka_error_set(VALKKA_EINVAL, "thread: NULL argument");
  if (thread->running) return valkka_error_set(VALKKA_ESTATE, "thread %s: already running", name);
  snprintf(thread->name, sizeof thread->name, "%s", name ? name : "valkka");
  __atomic_store_n(&thread->stop_requested, 0, __ATOMIC_RELEASE);
  thread->fn = fn;
  thread->arg = arg;
  int err = pthread_create(&thread->tid, NULL, trampoline, thread);
  if (err)
    return valkka_error_set(VALKKA_ENOMEM, "thread %s: pthread_create failed (%d)", name, err);
  thread->running = true;
  return 0;
}

void thread_request_stop(thread_t *thread) {
  __atomic_store_n(&thread->stop_requested, 1, __ATOMIC_RELEASE);
}

bool thread_should_stop(thread_t *thread) {
  return __atomic_load_n(&thread->stop_requested, __ATOMIC_ACQUIRE) != 0;
}

void thread_stop(thread_t *thread) {
  if (!thread || !thread->running) return;
  thread_request_stop(thread);
  pthread_join(thread->tid, NULL);
  thread->running = false;
}
