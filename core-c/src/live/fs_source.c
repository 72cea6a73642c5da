/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A camera read from an FS another process records (fs_source.h). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <valkka/error.h>
#include <valkka/fs.h>
#include <valkka/log.h>
#include <valkka/registry.h>

#include "live/fs_source.h"
#include "plugin/find.h"

/* Frames between the follow thread and the camera's source thread: a second and more of a busy
   camera. When the reader falls that far behind, what is queued goes and it waits for the next
   keyframe (with its configuration before it), as a live decoder that lags does. */
#define QUEUE_MAX 64

typedef struct queued {
  valkka_frame_t meta; /* data points at `payload` */
  uint8_t *payload;
} queued_t;

typedef struct fs_source {
  valkka_fs_t *fs;
  uint32_t stream;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  queued_t items[QUEUE_MAX];
  uint32_t head, count;
  bool interrupted;
  bool synced; /* a configuration was queued: frames after it decode */
} fs_source_t;

bool fs_source_url(const char *url) {
  return url && strncasecmp(url, FS_SOURCE_SCHEME, strlen(FS_SOURCE_SCHEME)) == 0;
}

/* DIR and ID of `valkkafs:///DIR?stream=ID`, or URL and ID of `valkkafs://URL?stream=ID`. The
   stream is the last query parameter: the FS's URL may have a query of its own before it. */
static int parse(const char *url, char *dir, size_t size, uint32_t *stream) {
  const char *path = url + strlen(FS_SOURCE_SCHEME);
  const char *query = strrchr(path, '?');
  const bool remote = valkka_fs_is_remote(path);
  char shown[PATH_MAX];
  valkka_url_redact(url, VALKKA_URL_REDACT_WHOLE, shown, sizeof shown);
  if ((*path != '/' && !remote) || !query || (size_t)(query - path) >= size ||
      strncmp(query, "?stream=", 8) != 0)
    return valkka_error_set(VALKKA_EINVAL,
                            "%s: expected " FS_SOURCE_SCHEME
                            "/ABSOLUTE/DIR?stream=ID or " FS_SOURCE_SCHEME
                            "http(s)://HOST/PATH?stream=ID",
                            shown);
  char *end = NULL;
  errno = 0;
  unsigned long id = strtoul(query + 8, &end, 10);
  if (errno || end == query + 8 || *end || !id || id > UINT32_MAX)
    return valkka_error_set(VALKKA_EINVAL, "%s: stream id: expected 1 .. %" PRIu32, shown,
                            UINT32_MAX);
  memcpy(dir, path, (size_t)(query - path));
  dir[query - path] = '\0';
  *stream = (uint32_t)id;
  return 0;
}

static void drop_all_locked(fs_source_t *s) {
  for (uint32_t i = 0; i < s->count; i++) free(s->items[(s->head + i) % QUEUE_MAX].payload);
  s->head = 0;
  s->count = 0;
  s->synced = false;
}

/* On the FS's follow thread: the stream's records, from its next configuration on. */
static int on_frame(void *user, const valkka_frame_t *frame) {
  fs_source_t *s = user;
  if (frame->stream_id != s->stream) return 0;
  pthread_mutex_lock(&s->lock);
  if (s->count == QUEUE_MAX) drop_all_locked(s);
  if (frame->kind == VALKKA_FRAME_CONFIG) s->synced = true;
  uint8_t *copy = s->synced && frame->size ? malloc(frame->size) : NULL;
  if (s->synced && (copy || !frame->size)) {
    if (frame->size) memcpy(copy, frame->data, frame->size);
    queued_t *q = &s->items[(s->head + s->count++) % QUEUE_MAX];
    q->meta = *frame;
    q->payload = copy;
    pthread_cond_signal(&s->cond);
  } else if (s->synced) {
    drop_all_locked(s); /* out of memory: start again at a keyframe */
  }
  pthread_mutex_unlock(&s->lock);
  return 0;
}

static void source_free(fs_source_t *s) {
  valkka_fs_close(s->fs); /* stops the follow thread first */
  drop_all_locked(s);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->cond);
  free(s);
}

/* The camera's options that the remote FS's storage plugin lists (ca_file, bearer_token_file):
   the others are the camera's own (the core's "decoder"), which it would refuse as unknown. All
   of them for a plugin that lists none. How many went to `out` (`cap` long). */
static size_t storage_options(const char *dir, const valkka_option_t *in, size_t n,
                              valkka_option_t *out, size_t cap) {
  const valkka_plugin_t *p =
      valkka_fs_is_remote(dir) ? plugin_find_or_load(VALKKA_PLUGIN_STORAGE, "storage-http") : NULL;
  const valkka_plugin_option_t *known =
      p && VALKKA_HAS_FIELD(p, valkka_plugin_t, options) ? p->options : NULL;
  size_t kept = 0;
  for (size_t i = 0; i < n && kept < cap; i++) {
    bool take = known == NULL;
    for (const valkka_plugin_option_t *k = known; k && k->name && !take; k++)
      take = in[i].key && !strcmp(in[i].key, k->name);
    if (take) out[kept++] = in[i];
  }
  return kept;
}

static int fs_open(const valkka_host_t *host, const char *url, const valkka_option_t *options,
                   size_t n_options, void **instance) {
  (void)host;
  char dir[PATH_MAX];
  uint32_t stream = 0;
  int err = parse(url, dir, sizeof dir, &stream);
  if (err) return err;
  fs_source_t *s = calloc(1, sizeof *s);
  if (!s) return valkka_error_set(VALKKA_ENOMEM, "fs source: out of memory");
  s->stream = stream;
  pthread_mutex_init(&s->lock, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&s->cond, &attr);
  pthread_condattr_destroy(&attr);
  /* The camera's options are the FS's open options too: a remote FS's "ca_file" and
     "bearer_token_file". */
  valkka_option_t taken[32];
  valkka_fs_open_params_t op = {.struct_size = sizeof op,
                                .flags = VALKKA_FS_READONLY,
                                .options = taken,
                                .n_options = storage_options(dir, options, n_options, taken, 32)};
  valkka_fs_follow_params_t fp = {.struct_size = sizeof fp, .on_frame = on_frame, .user = s};
  if ((err = valkka_fs_open(dir, &op, &s->fs)) || (err = valkka_fs_follow_start(s->fs, &fp))) {
    source_free(s);
    /* An FS not there yet is its recorder's yet to come (a viewer started first), not a wrong
       path to give up on as a missing file is (source_thread.c). */
    if (err == VALKKA_ENOENT)
      err = valkka_error_set(VALKKA_EAGAIN, "%s (not recorded yet?)", valkka_last_error());
    return err;
  }
  *instance = s;
  return 0;
}

static int fs_read(void *instance, valkka_frame_t *frame, int timeout_ms) {
  fs_source_t *s = instance;
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += timeout_ms / 1000;
  until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
  pthread_mutex_lock(&s->lock);
  int wait = 0;
  while (!s->count && !s->interrupted && wait != ETIMEDOUT)
    wait = pthread_cond_timedwait(&s->cond, &s->lock, &until);
  if (s->interrupted) {
    s->interrupted = false;
    pthread_mutex_unlock(&s->lock);
    return VALKKA_EINTR;
  }
  if (!s->count) {
    pthread_mutex_unlock(&s->lock);
    return VALKKA_ETIMEDOUT;
  }
  queued_t q = s->items[s->head];
  s->head = (s->head + 1) % QUEUE_MAX;
  s->count--;
  pthread_mutex_unlock(&s->lock);
  int err = valkka_host()->frame_set_payload(frame, q.payload, q.meta.size);
  free(q.payload);
  if (err) return err;
  frame->kind = q.meta.kind;
  frame->codec = q.meta.codec;
  frame->flags = q.meta.flags;
  frame->mstime = q.meta.mstime;
  frame->pts_offset = q.meta.pts_offset;
  return 0;
}

static int fs_interrupt(void *instance) {
  fs_source_t *s = instance;
  pthread_mutex_lock(&s->lock);
  s->interrupted = true;
  pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->lock);
  return 0;
}

static void fs_close(void *instance) { source_free(instance); }

const valkka_source_vtable_t fs_source_vtable = {
    .struct_size = sizeof(valkka_source_vtable_t),
    .open = fs_open,
    .read = fs_read,
    .interrupt = fs_interrupt,
    .close = fs_close,
};
