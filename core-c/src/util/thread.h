/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A thread with a name, a cooperative stop flag and an idempotent join.
 */
#ifndef VALKKA_UTIL_THREAD_H
#define VALKKA_UTIL_THREAD_H

#include <pthread.h>
#include <stdbool.h>

typedef struct thread thread_t;
typedef void (*thread_fn)(thread_t *self, void *arg);

struct thread {
  pthread_t tid;
  int stop_requested; /* read and written with __atomic builtins: C and C++ tests share this header */
  bool running;       /* started and not joined yet */
  thread_fn fn;
  void *arg;
  char name[16]; /* Linux thread names hold 15 characters */
};

/** Starts `fn(self, arg)` on a new thread named `name`. Errors: VALKKA_ESTATE, VALKKA_ENOMEM. */
int thread_start(thread_t *thread, const char *name, thread_fn fn, void *arg);
/** Asks the thread to stop; `fn` polls thread_should_stop(). Any thread, idempotent. */
void thread_request_stop(thread_t *thread);
/** True once a stop was requested. */
bool thread_should_stop(thread_t *thread);
/** Requests a stop and waits for the thread to end. Idempotent; a never-started thread is fine. */
void thread_stop(thread_t *thread);

#endif
