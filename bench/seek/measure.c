/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Our side: seeks through the manager (time to the first picture and to the seek's last), and the
 * limit: the same GOP prefixes decoded from memory by the same decoder plugin, nothing else.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

typedef struct watch {
  pthread_mutex_t lock;
  double first, last;
  int pictures;
} watch_t;

static int on_picture(void *user, const valkka_frame_t *frame) {
  (void)frame;
  watch_t *w = user;
  double now = bench_now();
  pthread_mutex_lock(&w->lock);
  if (!w->pictures++) w->first = now;
  w->last = now;
  pthread_mutex_unlock(&w->lock);
  return 0;
}

valkka_manager_state_t bench_state(valkka_manager_t *m) {
  valkka_manager_state_t st = {.struct_size = sizeof st};
  valkka_manager_get_state(m, &st);
  return st;
}

static uint64_t seeks_done(valkka_manager_t *m) { return bench_state(m).seeks; }

valkka_manager_t *bench_manager(const char *dir, int cameras, uint32_t workers,
                                valkka_frame_sink_fn output, void *user, int *err) {
  valkka_manager_params_t params = {.struct_size = sizeof params, .decoder_workers = workers};
  valkka_manager_t *m = valkka_manager_create(&params);
  *err = m ? 0 : VALKKA_ENOMEM;
  if (!m) return NULL;
  valkka_fs_open_params_t op = {.struct_size = sizeof op, .flags = VALKKA_FS_READONLY};
  valkka_manager_fs_params_t fp = {.struct_size = sizeof fp, .flags = VALKKA_MANAGER_FS_NO_WRITER};
  valkka_fs_t *fs = NULL;
  *err = valkka_manager_open_fs(m, dir, &op, &fp, &fs);
  for (int c = 0; c < cameras && !*err; c++)
    *err = valkka_manager_map(m, fs, VALKKA_MANAGER_NO_SLOT, (uint32_t)c, (uint32_t)c + 1, output,
                              user);
  return m;
}

int bench_seeks(const char *dir, int cameras, uint32_t workers, const int64_t *times, int n,
                bench_seek_times_t *out) {
  watch_t w = {.lock = PTHREAD_MUTEX_INITIALIZER};
  int err = 0;
  valkka_manager_t *m = bench_manager(dir, cameras, workers, on_picture, &w, &err);
  if (!m) return err;
  for (int i = 0; i < n && !err; i++) {
    pthread_mutex_lock(&w.lock);
    w.pictures = 0;
    pthread_mutex_unlock(&w.lock);
    const uint64_t before = seeks_done(m);
    const double start = bench_now();
    if ((err = valkka_manager_seek(m, times[i])) != 0) break;
    while (seeks_done(m) == before) usleep(100);
    pthread_mutex_lock(&w.lock);
    out[i].first_s = w.pictures ? w.first - start : -1;
    out[i].all_s = w.pictures ? w.last - start : -1;
    if (w.pictures != cameras)
      fprintf(stderr, "seek %d: %d of %d streams shown\n", i, w.pictures, cameras);
    pthread_mutex_unlock(&w.lock);
  }
  valkka_manager_destroy(m);
  return err;
}

int bench_open_decoders(const bench_material_t *m, int cameras, const valkka_decoder_vtable_t **vt,
                        void **dec) {
  const valkka_plugin_t *p = valkka_plugin_find(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  if (!p) return VALKKA_ENOENT;
  *vt = p->vtable;
  const valkka_option_t options[] = {{"threads", "1"}};
  int err = 0;
  for (int c = 0; c < cameras && !err; c++)
    err = (*vt)->open(valkka_host(), m->clips[c].codec, options, 1, &dec[c]);
  if (err) bench_close_decoders(*vt, dec, cameras);
  return err;
}

void bench_close_decoders(const valkka_decoder_vtable_t *vt, void **dec, int cameras) {
  for (int c = 0; c < cameras; c++) {
    if (dec[c]) vt->close(dec[c]);
    dec[c] = NULL;
  }
}

void bench_decode_range(const valkka_decoder_vtable_t *vt, void *dec, const bench_clip_t *clip,
                        int64_t key, int64_t at, bool show_all, valkka_frame_t *picture) {
  vt->flush(dec);
  valkka_frame_t config = {.struct_size = sizeof config,
                           .kind = VALKKA_FRAME_CONFIG,
                           .codec = clip->codec,
                           .mstime = bench_frame_time(clip, key),
                           .data = clip->config,
                           .size = clip->config_size};
  vt->send(dec, &config);
  for (int64_t k = key; k <= at; k++) {
    uint32_t j = (uint32_t)((k + clip->offset) % clip->n);
    valkka_frame_t f = {.struct_size = sizeof f,
                        .kind = VALKKA_FRAME_ENCODED,
                        .codec = clip->codec,
                        .flags = (clip->key[j] ? VALKKA_FRAME_KEYFRAME : 0) |
                                 (k < at && !show_all ? VALKKA_FRAME_DECODE_ONLY : 0),
                        .mstime = bench_frame_time(clip, k),
                        .data = clip->packets[j],
                        .size = clip->sizes[j]};
    vt->send(dec, &f);
    while (vt->receive(dec, picture) == 0) {
    }
  }
}

int bench_decode_limit(const bench_material_t *m, int cameras, const int64_t *times, int n,
                       double *out) {
  const valkka_decoder_vtable_t *vt = NULL;
  void *dec[BENCH_MAX_CAMERAS] = {0};
  valkka_frame_t *picture = valkka_frame_new(0);
  /* Decoders opened once, as the manager keeps its own open: only the decoding is timed. */
  int err = picture ? bench_open_decoders(m, cameras, &vt, dec) : VALKKA_ENOMEM;
  for (int i = 0; i < n && !err; i++) {
    double total = 0;
    for (int c = 0; c < cameras; c++) {
      int64_t key = -1, at = bench_frame_at(m, c, times[i], &key);
      if (at < 0 || key < 0) continue;
      const double start = bench_now();
      bench_decode_range(vt, dec[c], &m->clips[c], key, at, false, picture);
      total += bench_now() - start;
    }
    out[i] = total;
  }
  if (vt) bench_close_decoders(vt, dec, cameras);
  valkka_frame_free(picture);
  return err;
}
