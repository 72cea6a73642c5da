/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The block loader of one FS's window (loader.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "manager/filecache.h"
#include "manager/loader.h"
#include "base/log.h"
#include "util/thread.h"
#include "util/alloc.h"

struct loader {
  valkka_fs_t *fs;
  uint32_t group;
  filecache_t *fc;
  thread_t thread;
  pthread_mutex_t lock; /* guards pending and ids; the thread's stop is requested under it */
  pthread_cond_t wake;
  loader_pull_t *pending;
  size_t n_pending;
  uint32_t *ids; /* the wanted stream ids */
  size_t n_ids;
  atomic_uint_fast64_t generation; /* bumped by every request: older reads see they are stale */
  bool failing; /* the loader thread's: the last read failed (said once, and its end) */
};

typedef struct read_ctx {
  loader_t *l;
  uint64_t generation;
  const loader_pull_t *pull;
  uint32_t *ids;
  size_t n_ids;
  int64_t max_ms;
} read_ctx_t;

static bool cancelled(void *user) {
  read_ctx_t *ctx = user;
  return atomic_load(&ctx->l->generation) != ctx->generation || thread_should_stop(&ctx->l->thread);
}

static int deliver(void *user, const valkka_frame_t *frame) {
  read_ctx_t *ctx = user;
  bool mapped = false;
  for (size_t i = 0; i < ctx->n_ids && !mapped; i++) mapped = ctx->ids[i] == frame->stream_id;
  if (!mapped) return 0;
  int err = filecache_intake_frame(ctx->l->fc, ctx->l->group, ctx->pull->index, ctx->pull->seq,
                                   frame, cancelled, ctx);
  if (err == VALKKA_EINTR) return VALKKA_EINTR;
  if (err) LOG_WARN("manager", "loader: %s", valkka_last_error());
  if (frame->mstime > ctx->max_ms) ctx->max_ms = frame->mstime;
  return 0;
}

/* The wanted ids, read afresh per block: a stream mapped meanwhile is delivered from then on. */
static size_t snapshot_ids(loader_t *l, uint32_t **ids, size_t *cap) {
  pthread_mutex_lock(&l->lock);
  size_t n = l->n_ids;
  if (n > *cap) {
    uint32_t *grown = realloc(*ids, n * 2 * sizeof *grown);
    if (grown) {
      *ids = grown;
      *cap = n * 2;
    } else {
      n = *cap; /* the first `cap` ids: the others wait for memory */
    }
  }
  if (n) memcpy(*ids, l->ids, n * sizeof **ids);
  pthread_mutex_unlock(&l->lock);
  return n;
}

/* Reads one block; false when the request became stale or the loader stops. */
static bool load_block(loader_t *l, uint64_t generation, const loader_pull_t *pull, uint32_t **ids,
                       size_t *cap_ids) {
  read_ctx_t ctx = {l, generation, pull, NULL, 0, 0};
  ctx.n_ids = snapshot_ids(l, ids, cap_ids);
  ctx.ids = *ids;
  /* The use the window asked for: a block reused since the table copy was read holds other
     frames, which must not pass for this use's (VALKKA_ENOENT: overwritten). */
  uint32_t end = pull->from;
  int result =
      ctx.n_ids ? valkka_fs_read_block_from(l->fs, pull->index, pull->seq, &end, deliver, &ctx) : 0;
  if (result == VALKKA_EINTR) return false;
  /* A server down fails every read alike (window.h rule 8): a line when reads start failing,
     and one when they succeed again. Overwritten blocks are normal. */
  if (result < 0 && result != VALKKA_ENOENT && !l->failing)
    LOG_WARN("manager", "loader: block %u: %s", pull->index, valkka_last_error());
  else if (result < 0)
    LOG_DEBUG("manager", "loader: block %u: %s", pull->index, valkka_last_error());
  else if (l->failing)
    LOG_INFO("manager", "loader: blocks read again");
  if (result != VALKKA_ENOENT) l->failing = result < 0;
  /* Complete (or failed for good): the marker is true even when the request went stale. */
  const loader_marker_t marker = {*pull, generation, result < 0 ? result : 0, ctx.max_ms,
                                  result < 0 ? pull->from : end};
  filecache_intake_block_done(l->fc, l->group, &marker);
  return !cancelled(&ctx);
}

static void loader_main(thread_t *self, void *arg) {
  loader_t *l = arg;
  size_t cap_ids = 64;
  uint32_t *ids = malloc(cap_ids * sizeof *ids);
  if (!ids) cap_ids = 0;
  for (;;) {
    pthread_mutex_lock(&l->lock);
    while (!thread_should_stop(self) && !l->n_pending) pthread_cond_wait(&l->wake, &l->lock);
    if (thread_should_stop(self)) {
      pthread_mutex_unlock(&l->lock);
      free(ids);
      return;
    }
    loader_pull_t *pulls = l->pending;
    size_t n = l->n_pending;
    uint64_t generation = atomic_load(&l->generation);
    l->pending = NULL;
    l->n_pending = 0;
    pthread_mutex_unlock(&l->lock);
    for (size_t i = 0; i < n; i++)
      if (!load_block(l, generation, &pulls[i], &ids, &cap_ids)) break;
    free(pulls);
  }
}

static void free_loader(loader_t *l) {
  free(l->pending);
  free(l->ids);
  pthread_cond_destroy(&l->wake);
  pthread_mutex_destroy(&l->lock);
  free(l);
}

/* Everything but the thread; free_loader() undoes it. */
static loader_t *new_loader(valkka_fs_t *fs, uint32_t group, filecache_t *fc) {
  loader_t *l = alloc_zeroed(sizeof *l, "manager: out of memory for a loader");
  if (!l) return NULL;
  l->fs = fs;
  l->group = group;
  l->fc = fc;
  pthread_mutex_init(&l->lock, NULL);
  pthread_cond_init(&l->wake, NULL);
  atomic_init(&l->generation, 0);
  return l;
}

loader_t *loader_start(valkka_fs_t *fs, uint32_t group, filecache_t *fc) {
  loader_t *l = new_loader(fs, group, fc);
  if (l && thread_start(&l->thread, "vk-fsloader", loader_main, l) != 0) {
    free_loader(l);
    l = NULL;
  }
  return l;
}

void loader_stop(loader_t *l) {
  if (!l) return;
  pthread_mutex_lock(&l->lock);
  thread_request_stop(&l->thread);
  pthread_cond_signal(&l->wake);
  pthread_mutex_unlock(&l->lock);
  thread_stop(&l->thread);
  free_loader(l);
}

/* The caller's `n` items of `size` bytes copied for the loader to keep (NULL for none), made before
   taking the lock; false when memory runs out. */
static bool copy_list(const void *items, size_t n, size_t size, void **copy) {
  *copy = NULL;
  if (n && !(*copy = malloc(n * size))) return false;
  if (n) memcpy(*copy, items, n * size);
  return true;
}

/* Puts `copy` (`n` items) in place of the list `*list` (`*n_list` items); l->lock held. */
static void replace_list_locked(void **list, size_t *n_list, void *copy, size_t n) {
  free(*list);
  *list = copy;
  *n_list = n;
}

int loader_request(loader_t *l, const loader_pull_t *pulls, size_t n, uint64_t *generation) {
  void *copy;
  if (!copy_list(pulls, n, sizeof *pulls, &copy))
    return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for a block request");
  pthread_mutex_lock(&l->lock);
  replace_list_locked((void **)&l->pending, &l->n_pending, copy, n);
  uint64_t assigned = atomic_fetch_add(&l->generation, 1) + 1;
  if (generation) *generation = assigned;
  pthread_cond_signal(&l->wake);
  pthread_mutex_unlock(&l->lock);
  return 0;
}

int loader_set_ids(loader_t *l, const uint32_t *ids, size_t n) {
  void *copy;
  if (!copy_list(ids, n, sizeof *ids, &copy))
    return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for a loader's streams");
  pthread_mutex_lock(&l->lock);
  replace_list_locked((void **)&l->ids, &l->n_ids, copy, n);
  pthread_mutex_unlock(&l->lock);
  return 0;
}
