/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The limit on several threads: each seek's GOP prefixes decoded from memory as in
 * bench_decode_limit, on `threads` threads at once, the longest prefix first (as the manager's
 * decoder workers take them). What the machine gives that many decoding threads, measured: the
 * limit divided by the cores assumes they decode as fast together as one alone.
 */
#include <pthread.h>
#include <stdlib.h>

#include "bench.h"

typedef struct shared {
  const bench_material_t *m;
  const valkka_decoder_vtable_t *vt;
  void **dec;
  int64_t key[BENCH_MAX_CAMERAS], at[BENCH_MAX_CAMERAS];
  int order[BENCH_MAX_CAMERAS], n;
  pthread_mutex_t lock;
  int next;
} shared_t;

typedef struct runner {
  shared_t *sh;
  valkka_frame_t *picture;
  pthread_t thread;
} runner_t;

static void *run(void *arg) {
  runner_t *r = arg;
  shared_t *sh = r->sh;
  for (;;) {
    pthread_mutex_lock(&sh->lock);
    const int j = sh->next < sh->n ? sh->order[sh->next++] : -1;
    pthread_mutex_unlock(&sh->lock);
    if (j < 0) return NULL;
    bench_decode_range(sh->vt, sh->dec[j], &sh->m->clips[j], sh->key[j], sh->at[j], false,
                       r->picture);
  }
}

/* The cameras with a prefix at t, the longest first. */
static void plan(shared_t *sh, int cameras, int64_t t) {
  sh->n = sh->next = 0;
  for (int c = 0; c < cameras; c++) {
    int64_t key = -1, at = bench_frame_at(sh->m, c, t, &key);
    if (at < 0 || key < 0) continue;
    sh->key[c] = key;
    sh->at[c] = at;
    int k = sh->n++;
    for (; k > 0 && sh->at[sh->order[k - 1]] - sh->key[sh->order[k - 1]] < at - key; k--)
      sh->order[k] = sh->order[k - 1];
    sh->order[k] = c;
  }
}

int bench_decode_limit_threads(const bench_material_t *m, int cameras, int threads,
                               const int64_t *times, int n, double *out) {
  if (threads < 1 || threads > BENCH_MAX_CAMERAS) return VALKKA_EINVAL;
  shared_t sh = {.m = m, .lock = PTHREAD_MUTEX_INITIALIZER};
  void *dec[BENCH_MAX_CAMERAS] = {0};
  runner_t runners[BENCH_MAX_CAMERAS] = {{0}};
  sh.dec = dec;
  int err = bench_open_decoders(m, cameras, &sh.vt, dec);
  for (int k = 0; k < threads && !err; k++) {
    runners[k].sh = &sh;
    if (!(runners[k].picture = valkka_frame_new(0))) err = VALKKA_ENOMEM;
  }
  for (int i = 0; i < n && !err; i++) {
    plan(&sh, cameras, times[i]);
    const double start = bench_now();
    int started = 0;
    for (; started < threads; started++)
      if (pthread_create(&runners[started].thread, NULL, run, &runners[started]) != 0) break;
    if (!started) err = VALKKA_ENOMEM;
    for (int k = 0; k < started; k++) pthread_join(runners[k].thread, NULL);
    out[i] = bench_now() - start;
  }
  for (int k = 0; k < threads; k++) valkka_frame_free(runners[k].picture);
  if (sh.vt) bench_close_decoders(sh.vt, dec, cameras);
  return err;
}
