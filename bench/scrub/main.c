/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scrub_bench: a drag of the playhead across an hour of 16 synthetic cameras (bench/seek's
 * recording). Each scrub goes to the next of POSITIONS times spread evenly over the hour (a new
 * GOP of every camera each time, as a drag across an hour's timeline is); the next is asked for
 * once every camera shows its keyframe. Prints scrub updates per second through the manager (one
 * decoder worker per core, and one), the limit (the same keyframes decoded from memory with
 * codec-ffmpeg on one thread, nothing else) and `ffmpeg` decoding those keyframes from a raw
 * H.264 file (1 thread, and one per core), then the ratios.
 * Usage: scrub_bench WORKDIR [POSITIONS [CAMERAS [MINUTES [WIDTH HEIGHT]]]]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

typedef struct watch {
  pthread_mutex_t lock;
  int pictures, keys; /* presented since the last reset, and how many of them keyframes */
} watch_t;

static int on_picture(void *user, const valkka_frame_t *frame) {
  watch_t *w = user;
  pthread_mutex_lock(&w->lock);
  w->pictures++;
  if (frame->flags & VALKKA_FRAME_KEYFRAME) w->keys++;
  pthread_mutex_unlock(&w->lock);
  return 0;
}

/* Scrubs to each time in turn, the next once the last is presented; updates per second. */
static int scrubs(const char *dir, int cameras, uint32_t workers, const int64_t *times, int n,
                  double *per_s) {
  watch_t w = {.lock = PTHREAD_MUTEX_INITIALIZER};
  int err = 0;
  valkka_manager_t *m = bench_manager(dir, cameras, workers, on_picture, &w, &err);
  if (!m) return err;
  int shown = 0, keys = 0;
  const double start = bench_now();
  for (int i = 0; i < n && !err; i++) {
    if ((err = valkka_manager_scrub(m, times[i])) != 0) break;
    /* The state is published after the scrub's pictures went out. */
    while (bench_state(m).presented_ms != times[i]) usleep(100);
  }
  const double took = bench_now() - start;
  pthread_mutex_lock(&w.lock);
  shown = w.pictures;
  keys = w.keys;
  pthread_mutex_unlock(&w.lock);
  if (shown != n * cameras || keys != shown)
    fprintf(stderr, "scrub_bench: %d pictures (%d keyframes) for %d scrubs of %d cameras\n", shown,
            keys, n, cameras);
  valkka_manager_destroy(m);
  *per_s = n / took;
  return err;
}

/* The keyframe of camera c at times[i]: its packet. */
static const bench_clip_t *key_of(const bench_material_t *m, int c, int64_t t, uint32_t *j) {
  const bench_clip_t *clip = &m->clips[c];
  int64_t key = -1;
  if (bench_frame_at(m, c, t, &key) < 0 || key < 0) return NULL;
  *j = (uint32_t)((key + clip->offset) % clip->n);
  return clip;
}

/* The limit: each position's keyframes decoded from memory, one decoder per camera, one thread. */
static int limit(const bench_material_t *m, const int64_t *times, int n, double *per_s) {
  const valkka_decoder_vtable_t *vt = NULL;
  void *dec[BENCH_MAX_CAMERAS] = {0};
  valkka_frame_t *picture = valkka_frame_new(0);
  int err = picture ? bench_open_decoders(m, m->cameras, &vt, dec) : VALKKA_ENOMEM;
  const double start = bench_now();
  for (int i = 0; i < n && !err; i++)
    for (int c = 0; c < m->cameras; c++) {
      uint32_t j = 0;
      const bench_clip_t *clip = key_of(m, c, times[i], &j);
      if (!clip) continue;
      vt->flush(dec[c]);
      valkka_frame_t config = {.struct_size = sizeof config,
                               .kind = VALKKA_FRAME_CONFIG,
                               .codec = clip->codec,
                               .mstime = times[i],
                               .data = clip->config,
                               .size = clip->config_size};
      valkka_frame_t f = {.struct_size = sizeof f,
                          .kind = VALKKA_FRAME_ENCODED,
                          .codec = clip->codec,
                          .flags = VALKKA_FRAME_KEYFRAME,
                          .mstime = times[i],
                          .data = clip->packets[j],
                          .size = clip->sizes[j]};
      vt->send(dec[c], &config);
      vt->send(dec[c], &f);
      valkka_frame_t empty = {.struct_size = sizeof empty,
                              .kind = VALKKA_FRAME_ENCODED,
                              .codec = clip->codec};
      vt->send(dec[c], &empty); /* drain: the picture out now */
      while (vt->receive(dec[c], picture) == 0) {
      }
    }
  *per_s = n / (bench_now() - start);
  if (vt) bench_close_decoders(vt, dec, m->cameras);
  valkka_frame_free(picture);
  return err;
}

/* The same keyframes (each with its camera's configuration before it) as one raw H.264 file. */
static int write_keys(const bench_material_t *m, const int64_t *times, int n, const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f) return VALKKA_EIO;
  for (int i = 0; i < n; i++)
    for (int c = 0; c < m->cameras; c++) {
      uint32_t j = 0;
      const bench_clip_t *clip = key_of(m, c, times[i], &j);
      if (!clip) continue;
      fwrite(clip->config, 1, clip->config_size, f);
      fwrite(clip->packets[j], 1, clip->sizes[j], f);
    }
  return fclose(f) == 0 ? 0 : VALKKA_EIO;
}

/* `ffmpeg -threads T -i KEYS.h264 -f null -`: its keyframes per second over the cameras. */
static int ffmpeg_keys(const char *path, int threads, int frames, int cameras, double *per_s) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd,
           "ffmpeg -nostdin -hide_banner -loglevel error -threads %d -f h264 -i '%s' -f null -",
           threads, path);
  const double start = bench_now();
  if (system(cmd) != 0) return VALKKA_EIO;
  *per_s = (double)frames / cameras / (bench_now() - start);
  return 0;
}

static int fail(const char *what, int err) {
  fprintf(stderr, "scrub_bench: %s: %s (%s)\n", what, valkka_last_error(), valkka_err_name(err));
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: scrub_bench WORKDIR [POSITIONS [CAMERAS [MINUTES [WIDTH HEIGHT]]]]\n");
    return 2;
  }
  const char *work = argv[1];
  const int n = argc > 2 ? atoi(argv[2]) : 300;
  bench_material_t m = {.cameras = argc > 3 ? atoi(argv[3]) : 16,
                        .gop = 50,
                        .width = argc > 6 ? atoi(argv[5]) : 1280,
                        .height = argc > 6 ? atoi(argv[6]) : 720};
  const int minutes = argc > 4 ? atoi(argv[4]) : 60;
  m.frames = (int64_t)minutes * 60 * 25;
  if (n < 1 || m.cameras < 1 || m.cameras > BENCH_MAX_CAMERAS || minutes < 1) return 2;
  char fs_dir[4096], keys[4096];
  snprintf(fs_dir, sizeof fs_dir, "%s/fs", work);
  snprintf(keys, sizeof keys, "%s/keys.h264", work);

  int err = bench_make_clips(&m);
  if (err) return fail("synthetic clips", err);
  if ((err = bench_record(&m, fs_dir)) != 0) return fail("recording", err);
  printf("recording: %d cameras x %d min, %dx%d H.264, GOP %d (2 s), 25 fps: %.1f MB\n", m.cameras,
         minutes, m.width, m.height, m.gop, m.bytes / 1e6);

  /* The drag: evenly over the recording, away from its first seconds (no keyframe yet). */
  int64_t *times = malloc((size_t)n * sizeof *times);
  if (!times) return 1;
  const int64_t span = m.frames * BENCH_FRAME_MS - 10000;
  for (int i = 0; i < n; i++) times[i] = BENCH_T0 + 5000 + span * i / n;
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  const int cores = online < 1 ? 1 : online > 16 ? 16 : (int)online;

  double ours = 0, ours_one = 0, lim = 0, ff1 = 0, ffn = 0;
  if ((err = scrubs(fs_dir, m.cameras, (uint32_t)cores, times, n, &ours)) != 0)
    return fail("scrubs", err);
  if ((err = scrubs(fs_dir, m.cameras, 1, times, n, &ours_one)) != 0)
    return fail("scrubs, 1 worker", err);
  if ((err = limit(&m, times, n, &lim)) != 0) return fail("limit", err);
  if ((err = write_keys(&m, times, n, keys)) != 0) return fail("keyframes file", err);
  if ((err = ffmpeg_keys(keys, 1, n * m.cameras, m.cameras, &ff1)) != 0)
    return fail("ffmpeg -threads 1", err);
  if ((err = ffmpeg_keys(keys, cores, n * m.cameras, m.cameras, &ffn)) != 0)
    return fail("ffmpeg", err);

  printf("\n%d scrubs across the hour, %d cameras each; updates per second\n", n, m.cameras);
  printf("valkka, %d decoder workers                 %10.1f\n", cores, ours);
  printf("valkka, 1 decoder worker                   %10.1f\n", ours_one);
  printf("limit: the keyframes decoded alone, 1 thread %8.1f\n", lim);
  printf("floor: the limit x %d cores                 %10.1f\n", cores, lim * cores);
  printf("ffmpeg -threads 1, the keyframes (h264 file) %8.1f\n", ff1);
  printf("ffmpeg -threads %d, the same                 %10.1f\n", cores, ffn);
  printf("\nratios\n");
  printf("valkka / limit                             %10.2f\n", ours / lim);
  printf("valkka / ffmpeg -threads %d                 %10.2f\n", cores, ours / ffn);
  printf("valkka 1 worker / ffmpeg -threads 1        %10.2f\n", ours_one / ff1);
  printf("RATIO updates_per_s=%.1f\nRATIO updates_vs_ffmpeg=%.2f\n", ours, ours / ffn);
  printf("RATIO one_worker_vs_ffmpeg_1=%.2f\n", ours_one / ff1);
  free(times);
  bench_free_clips(&m);
  return 0;
}
