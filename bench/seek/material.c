/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The recording: N synthetic cameras (source-synthetic at realtime=0, each clip encoded once),
 * interleaved into one MultiFS with valkka_fs_append, each camera with its own GOP phase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

void bench_stats(const double *v, int n, double *median, double *p99, double *max) {
  double *s = malloc((size_t)n * sizeof *s);
  if (!s) exit(1);
  memcpy(s, v, (size_t)n * sizeof *s);
  qsort(s, (size_t)n, sizeof *s, cmp);
  *median = 1000 * (n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2);
  int rank = (99 * n + 99) / 100;
  *p99 = 1000 * s[rank > 0 ? rank - 1 : 0];
  if (max) *max = 1000 * s[n - 1];
  free(s);
}

static int make_clip(const valkka_source_vtable_t *vt, const bench_material_t *m, int camera,
                     bench_clip_t *c) {
  char w[16], h[16], g[16], s[16], url[32];
  snprintf(w, sizeof w, "%d", m->width);
  snprintf(h, sizeof h, "%d", m->height);
  snprintf(g, sizeof g, "%d", m->gop);
  snprintf(s, sizeof s, "%d", 2 * m->gop / 25 > 0 ? 2 * m->gop / 25 : 1); /* two GOPs at 25 fps */
  snprintf(url, sizeof url, "synthetic://%d", camera);
  valkka_option_t options[] = {
      {"width", w}, {"height", h}, {"gop", g}, {"seconds", s}, {"realtime", "0"}};
  void *src = NULL;
  int err = vt->open(valkka_host(), url, options, 5, &src);
  if (err) return err;
  valkka_frame_t *f = valkka_frame_new(0);
  const uint32_t want = (uint32_t)(2 * m->gop);
  c->packets = calloc(want, sizeof *c->packets);
  c->sizes = calloc(want, sizeof *c->sizes);
  c->key = calloc(want, 1);
  while (!err && c->n < want && f && c->packets && c->sizes && c->key) {
    if ((err = vt->read(src, f, 1000)) != 0) break;
    uint8_t *copy = malloc(f->size);
    if (!copy) {
      err = VALKKA_ENOMEM;
      break;
    }
    memcpy(copy, f->data, f->size);
    if (f->kind == VALKKA_FRAME_CONFIG) {
      c->config = copy;
      c->config_size = f->size;
      c->codec = f->codec;
    } else {
      c->packets[c->n] = copy;
      c->sizes[c->n] = f->size;
      c->key[c->n++] = (f->flags & VALKKA_FRAME_KEYFRAME) != 0;
    }
  }
  valkka_frame_free(f);
  vt->close(src);
  /* Keyframes never line up across cameras: different places in the clip, different ms. */
  c->offset = (uint32_t)(camera * 7) % (uint32_t)m->gop;
  c->phase_ms = (camera * 3) % BENCH_FRAME_MS;
  return err ? err : c->n == want ? 0 : VALKKA_EIO;
}

int bench_make_clips(bench_material_t *m) {
  valkka_plugins_load();
  const valkka_plugin_t *p = valkka_plugin_find(VALKKA_PLUGIN_SOURCE, "source-synthetic");
  if (!p) return VALKKA_ENOENT;
  for (int c = 0; c < m->cameras; c++) {
    int err = make_clip(p->vtable, m, c, &m->clips[c]);
    if (err) return err;
  }
  return 0;
}

void bench_free_clips(bench_material_t *m) {
  for (int c = 0; c < m->cameras; c++) {
    bench_clip_t *clip = &m->clips[c];
    for (uint32_t i = 0; i < clip->n; i++) free(clip->packets[i]);
    free(clip->packets);
    free(clip->sizes);
    free(clip->key);
    free(clip->config);
  }
}

int64_t bench_frame_time(const bench_clip_t *c, int64_t k) {
  return BENCH_T0 + c->phase_ms + k * BENCH_FRAME_MS;
}

int64_t bench_frame_at(const bench_material_t *m, int cam, int64_t t, int64_t *key) {
  const bench_clip_t *c = &m->clips[cam];
  int64_t k = (t - BENCH_T0 - c->phase_ms) / BENCH_FRAME_MS;
  if (t < BENCH_T0 + c->phase_ms) return -1;
  if (k >= m->frames) k = m->frames - 1;
  int64_t j = k;
  while (j >= 0 && !c->key[(j + c->offset) % c->n]) j--;
  *key = j;
  return k;
}

int bench_record(bench_material_t *m, const char *dir) {
  uint64_t per_second = 0;
  for (int c = 0; c < m->cameras; c++) {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < m->clips[c].n; i++) sum += m->clips[c].sizes[i];
    per_second += sum * 25 / m->clips[c].n;
  }
  /* Blocks of 256 KiB: with these small synthetic frames a block spans about as much time as a
     4 MiB block of real 2 Mbit/s cameras would, so a seek reads a realistic number of blocks. */
  const uint32_t block = 256 * 1024;
  uint64_t total = per_second * (uint64_t)(m->frames / 25 + 1);
  valkka_fs_create_params_t cp = {.struct_size = sizeof cp,
                                  .kind = VALKKA_FS_MULTI,
                                  .block_size = block,
                                  .n_blocks = (uint32_t)(total * 5 / 4 / block + 64)};
  int err = valkka_fs_create(dir, &cp);
  valkka_fs_t *fs = NULL;
  if (!err) err = valkka_fs_open(dir, NULL, &fs);
  if (err) return err;
  const double start = bench_now();
  for (int c = 0; c < m->cameras && !err; c++) {
    valkka_frame_t f = {.struct_size = sizeof f,
                        .kind = VALKKA_FRAME_CONFIG,
                        .codec = m->clips[c].codec,
                        .mstime = bench_frame_time(&m->clips[c], 0),
                        .data = m->clips[c].config,
                        .size = m->clips[c].config_size};
    err = valkka_fs_append(fs, (uint32_t)c + 1, &f);
  }
  for (int64_t k = 0; k < m->frames && !err; k++) {
    for (int c = 0; c < m->cameras && !err; c++) {
      const bench_clip_t *clip = &m->clips[c];
      uint32_t i = (uint32_t)((k + clip->offset) % clip->n);
      valkka_frame_t f = {.struct_size = sizeof f,
                          .kind = VALKKA_FRAME_ENCODED,
                          .codec = clip->codec,
                          .flags = clip->key[i] ? VALKKA_FRAME_KEYFRAME : 0,
                          .mstime = bench_frame_time(clip, k),
                          .data = clip->packets[i],
                          .size = clip->sizes[i]};
      err = valkka_fs_append(fs, (uint32_t)c + 1, &f);
      m->bytes += clip->sizes[i];
    }
  }
  valkka_fs_close(fs);
  m->write_s = bench_now() - start;
  return err;
}
