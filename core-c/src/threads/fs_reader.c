/*
 * The reader thread of an FS (DESIGN 6): pullBlocks requests are served in order; every frame of
 * a mapped stream goes to the sink with its read slot set.
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>
#include <valkka/fs.h>

#include "fs/fs_internal.h"
#include "util/log_internal.h"
#include "util/thread.h"

#define MAX_PENDING 64u

typedef struct request {
  uint32_t *blocks;
  uint32_t n;
} request_t;

struct fs_reader {
  valkka_thread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  request_t pending[MAX_PENDING];
  uint32_t head, count;
  bool stop;
  valkka_frame_sink_fn sink;
  void *user;
  uint8_t *buf;
  valkka_fs_t *fs;
};

static int deliver(void *user, valkka_frame_t *frame) {
  fs_reader_t *r = user;
  valkka_fs_t *fs = r->fs;
  bool mapped = false;
  pthread_mutex_lock(&fs->stats_lock);
  for (uint32_t i = 0; i < fs->n_read_map && !mapped; i++) {
    if (fs->read_map[i].id == frame->stream_id) {
      frame->slot = fs->read_map[i].slot;
      mapped = true;
    }
  }
  pthread_mutex_unlock(&fs->stats_lock);
  if (!mapped) return 1; /* skipped: not counted as delivered */
  r->sink(r->user, frame);
  return 0;
}

static void reader_main(valkka_thread_t *self, void *arg) {
  (void)self;
  fs_reader_t *r = arg;
  for (;;) {
    pthread_mutex_lock(&r->lock);
    while (!r->stop && !r->count) pthread_cond_wait(&r->wake, &r->lock);
    if (r->stop) {
      pthread_mutex_unlock(&r->lock);
      return;
    }
    request_t req = r->pending[r->head];
    r->head = (r->head + 1) % MAX_PENDING;
    r->count--;
    pthread_mutex_unlock(&r->lock);
    for (uint32_t i = 0; i < req.n && !valkka_thread_should_stop(&r->thread); i++) {
      int n = fs_read_block_into(r->fs, req.blocks[i], 0, r->buf, deliver, r);
      if (n < 0) LOG_DEBUG("fs", "reader: %s", valkka_last_error());
    }
    free(req.blocks);
  }
}

static void reader_free(fs_reader_t *r) {
  if (!r) return;
  for (uint32_t i = 0; i < r->count; i++) free(r->pending[(r->head + i) % MAX_PENDING].blocks);
  pthread_cond_destroy(&r->wake);
  pthread_mutex_destroy(&r->lock);
  free(r->buf);
  free(r);
}

int valkka_fs_reader_start(valkka_fs_t *fs, valkka_frame_sink_fn sink, void *user) {
  if (!fs || !sink) return valkka_error_set(VALKKA_EINVAL, "fs_reader_start: NULL argument");
  fs_reader_t *r = calloc(1, sizeof *r);
  if (!r) return valkka_error_set(VALKKA_ENOMEM, "fs reader: out of memory");
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->wake, NULL);
  r->sink = sink;
  r->user = user;
  r->fs = fs;
  int err = 0;
  pthread_mutex_lock(&fs->thread_lock);
  if (fs->reader)
    err = valkka_error_set(VALKKA_ESTATE, "fs %s: reader already running", fs->dir);
  else if (!(r->buf = malloc(fs->layout.block_size)))
    err = valkka_error_set(VALKKA_ENOMEM, "fs reader: out of memory for a block");
  else if (!(err = valkka_thread_start(&r->thread, "fs-reader", reader_main, r)))
    fs->reader = r;
  pthread_mutex_unlock(&fs->thread_lock);
  if (err) reader_free(r);
  return err;
}

void fs_reader_shutdown(valkka_fs_t *fs) {
  pthread_mutex_lock(&fs->thread_lock);
  fs_reader_t *r = fs->reader;
  if (r) {
    pthread_mutex_lock(&r->lock);
    r->stop = true;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->lock);
    valkka_thread_stop_join(&r->thread);
    fs->reader = NULL;
  }
  pthread_mutex_unlock(&fs->thread_lock);
  reader_free(r);
}

int valkka_fs_reader_stop(valkka_fs_t *fs) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_reader_stop: NULL fs");
  fs_reader_shutdown(fs);
  return 0;
}

int valkka_fs_pull_blocks(valkka_fs_t *fs, const uint32_t *blocks, uint32_t n) {
  if (!fs || !blocks || !n)
    return valkka_error_set(VALKKA_EINVAL, "fs_pull_blocks: NULL argument or no blocks");
  for (uint32_t i = 0; i < n; i++)
    if (blocks[i] >= fs->layout.n_blocks)
      return valkka_error_set(VALKKA_EINVAL, "fs %s: block %u out of range (%u blocks)", fs->dir,
                              blocks[i], fs->layout.n_blocks);
  uint32_t *copy = malloc((size_t)n * sizeof *copy);
  if (!copy) return valkka_error_set(VALKKA_ENOMEM, "fs_pull_blocks: out of memory");
  memcpy(copy, blocks, (size_t)n * sizeof *copy);
  int err = 0;
  pthread_mutex_lock(&fs->thread_lock);
  fs_reader_t *r = fs->reader;
  if (!r) {
    err = valkka_error_set(VALKKA_ESTATE, "fs %s: reader not running", fs->dir);
  } else {
    pthread_mutex_lock(&r->lock);
    if (r->count == MAX_PENDING) {
      err = valkka_error_set(VALKKA_EFULL, "fs %s: %u read requests pending", fs->dir, MAX_PENDING);
    } else {
      r->pending[(r->head + r->count) % MAX_PENDING] = (request_t){copy, n};
      r->count++;
      pthread_cond_signal(&r->wake);
    }
    pthread_mutex_unlock(&r->lock);
  }
  pthread_mutex_unlock(&fs->thread_lock);
  if (err) free(copy);
  return err;
}
