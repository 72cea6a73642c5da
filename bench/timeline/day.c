/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench/timeline's recording: a day of 16 cameras into a MultiFS as a recorder would write it,
   every camera's frames in turn, one a second (64x64 H.264 from source-synthetic: the timeline
   reads only the block table, so the picture size changes nothing but the disk used), with
   outages of its own (OUTAGES a camera, 3 s to 10 min, at random places from SEED) and the
   recorder stopped for 20 minutes at 03:00 of the day and started again (a new block). The day
   ends a minute before the program ran, so the kiosk shows it as yesterday up to now.
   Then the FS is opened read-only as a viewer opens it and its ranges are asked for: the first
   question walks the block table (the cold cost), the next ones read what that built.
   Usage: timeline_day DIR [CAMERAS [OUTAGES [SEED]]]   (defaults 16, 150, 1)
   Prints the day's first and last mstime ("day FIRST LAST"), the ranges it wrote against those
   the FS reports, the blocks, and the times of the questions. Exits 1 when the two counts of
   ranges differ. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <valkka/valkka.h>

#include "bench.h"

#define DAY_S 86400
#define STOP_AT_S (3 * 3600)
#define STOP_FOR_S (20 * 60)

/* Whether camera c records second s: not in one of its outages, nor while the recorder is off. */
static unsigned char *outage_map(int cameras, int outages, unsigned seed) {
  unsigned char *off = calloc((size_t)cameras * DAY_S, 1);
  if (!off) return NULL;
  srand(seed);
  for (int c = 0; c < cameras; c++) {
    for (int k = 0; k < outages; k++) {
      /* Log-uniform lengths: most outages short, a few long. */
      const double u = (double)rand() / RAND_MAX;
      const int len = (int)(3.0 * pow(200.0, u));
      const int at = rand() % DAY_S;
      for (int s = at; s < at + len && s < DAY_S; s++) off[(size_t)c * DAY_S + s] = 1;
    }
    for (int s = STOP_AT_S; s < STOP_AT_S + STOP_FOR_S; s++) off[(size_t)c * DAY_S + s] = 1;
  }
  return off;
}

/* Ranges of camera c as written: runs of recorded seconds. */
static long count_runs(const unsigned char *off, int c) {
  long runs = 0;
  for (int s = 0; s < DAY_S; s++)
    runs += !off[(size_t)c * DAY_S + s] && (s == 0 || off[(size_t)c * DAY_S + s - 1]);
  return runs;
}

static double clock_s(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }

/* The questions' own CPU time: what the kiosk's GUI thread spends on them, however busy the
   machine the bench runs on is. */
static double cpu_s(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }

static int fail(const char *what, int err) {
  fprintf(stderr, "timeline_day: %s: %s (%s)\n", what, valkka_strerror(err), valkka_last_error());
  return 1;
}

/* Appends camera c's configuration and its frame of second s (the clip's frames in turn). */
static int append_second(valkka_fs_t *fs, const bench_material_t *m, int c, int64_t t0, int s,
                         int64_t *k, int config) {
  const bench_clip_t *clip = &m->clips[c];
  const int64_t mstime = t0 + (int64_t)s * 1000 + c * 37;
  uint32_t i = (uint32_t)(*k % clip->n);
  int err = 0;
  if (config || clip->key[i]) {
    valkka_frame_t f = {.struct_size = sizeof f,
                        .kind = VALKKA_FRAME_CONFIG,
                        .codec = clip->codec,
                        .mstime = mstime,
                        .data = clip->config,
                        .size = clip->config_size};
    err = valkka_fs_append(fs, (uint32_t)c + 1, &f);
  }
  /* After an outage the camera starts again at a keyframe, as a reconnected one does. */
  if (config)
    while (!clip->key[i]) i = (uint32_t)(++*k % clip->n);
  valkka_frame_t f = {.struct_size = sizeof f,
                      .kind = VALKKA_FRAME_ENCODED,
                      .codec = clip->codec,
                      .flags = clip->key[i] ? VALKKA_FRAME_KEYFRAME : 0,
                      .mstime = mstime,
                      .data = clip->packets[i],
                      .size = clip->sizes[i]};
  if (!err) err = valkka_fs_append(fs, (uint32_t)c + 1, &f);
  ++*k;
  return err;
}

/* The timeline's question while the recorder goes on: the day's FS opened to write again, a
   second of every camera appended and flushed (the head block changes, as a recorder's periodic
   flush makes it), then every camera's ranges asked. The median and the longest question of
   `seconds` (the first walks the table: a new handle's), in ms for all cameras, into *median_ms
   and *max_ms. */
static int ask_while_recording(const char *dir, const bench_material_t *m, int64_t t0, int seconds,
                               double *median_ms, double *max_ms) {
  valkka_fs_t *fs = NULL;
  int err = valkka_fs_open(dir, NULL, &fs);
  if (err) return fail("open to record on", err);
  double *took = calloc((size_t)seconds, sizeof *took);
  int64_t k[BENCH_MAX_CAMERAS] = {0};
  for (int s = 0; s < seconds && took && !err; s++) {
    for (int c = 0; c < m->cameras && !err; c++)
      err = append_second(fs, m, c, t0 + (int64_t)DAY_S * 1000, s, &k[c], s == 0);
    if (!err) err = valkka_fs_sync(fs);
    const double a = cpu_s();
    for (int c = 0; c < m->cameras && !err; c++) {
      const int n = valkka_fs_get_ranges(fs, (uint32_t)c + 1, INT64_MIN, INT64_MAX, NULL, 0);
      if (n < 0) err = n;
    }
    took[s] = cpu_s() - a;
  }
  valkka_fs_close(fs);
  if (!took) return fail("ranges while recording", VALKKA_ENOMEM);
  if (err) {
    free(took);
    return fail("ranges while recording", err);
  }
  double p99 = 0;
  bench_stats(took, seconds, median_ms, &p99, max_ms);
  free(took);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: timeline_day DIR [CAMERAS [OUTAGES [SEED]]]\n");
    return 2;
  }
  const char *dir = argv[1];
  bench_material_t m = {
      .cameras = argc > 2 ? atoi(argv[2]) : 16, .width = 64, .height = 64, .gop = 25};
  const int outages = argc > 3 ? atoi(argv[3]) : 150;
  const unsigned seed = argc > 4 ? (unsigned)atoi(argv[4]) : 1;
  if (m.cameras < 1 || m.cameras > BENCH_MAX_CAMERAS || outages < 0) {
    fprintf(stderr, "timeline_day: CAMERAS 1 .. %d, OUTAGES >= 0\n", BENCH_MAX_CAMERAS);
    return 2;
  }
  int err = bench_make_clips(&m);
  if (err) return fail("clips", err);
  unsigned char *off = outage_map(m.cameras, outages, seed);
  if (!off) return fail("outage map", VALKKA_ENOMEM);
  const int64_t t0 = ((int64_t)time(NULL) - DAY_S - 60) * 1000;

  /* 64 KiB blocks, the smallest: the most blocks a day of these small frames can fill. */
  valkka_fs_create_params_t cp = {
      .struct_size = sizeof cp, .kind = VALKKA_FS_MULTI, .block_size = 65536, .n_blocks = 6144};
  if ((err = valkka_fs_create(dir, &cp))) return fail("create", err);
  valkka_fs_t *fs = NULL;
  int64_t k[BENCH_MAX_CAMERAS] = {0};
  const double write_start = now_s();
  for (int s = 0; s < DAY_S && !err; s++) {
    if (s == 0 || s == STOP_AT_S + STOP_FOR_S) { /* the recorder (re)started */
      if (fs) valkka_fs_close(fs);
      if ((err = valkka_fs_open(dir, NULL, &fs))) return fail("open", err);
    }
    for (int c = 0; c < m.cameras && !err; c++) {
      const unsigned char *cam = off + (size_t)c * DAY_S;
      if (cam[s]) continue;
      err = append_second(fs, &m, c, t0, s, &k[c], s == 0 || cam[s - 1]);
    }
  }
  if (err) return fail("append", err);
  valkka_fs_close(fs);
  const double write_s = now_s() - write_start;

  valkka_fs_open_params_t op = {.struct_size = sizeof op, .flags = VALKKA_FS_READONLY};
  if ((err = valkka_fs_open(dir, &op, &fs))) return fail("open read-only", err);
  valkka_fs_info_t info = {.struct_size = sizeof info};
  valkka_fs_get_info(fs, &info);
  long written = 0, reported = 0;
  double cold_ms = 0, warm_ms = 0;
  for (int c = 0; c < m.cameras; c++) {
    written += count_runs(off, c);
    const double a = cpu_s();
    const int n = valkka_fs_get_ranges(fs, (uint32_t)c + 1, INT64_MIN, INT64_MAX, NULL, 0);
    const double b = cpu_s();
    const int again = valkka_fs_get_ranges(fs, (uint32_t)c + 1, INT64_MIN, INT64_MAX, NULL, 0);
    const double d = cpu_s();
    if (n < 0 || again != n) return fail("ranges", n < 0 ? n : again);
    reported += n;
    if (c == 0) cold_ms = (b - a) * 1000;
    warm_ms += (d - b) * 1000;
  }
  valkka_fs_close(fs);
  free(off);
  double asked_median_ms = 0, asked_max_ms = 0;
  const int asked_s = 300;
  if (ask_while_recording(dir, &m, t0, asked_s, &asked_median_ms, &asked_max_ms)) return 1;
  bench_free_clips(&m);
  printf("day %lld %lld\n", (long long)t0, (long long)(t0 + (int64_t)DAY_S * 1000));
  printf("recording: %d cameras, a day at 1 fps, %d outages a camera and a 20 min stop: "
         "%u blocks of 64 KiB (of %u), written in %.1f s\n",
         m.cameras, outages, info.blocks_used, info.n_blocks, write_s);
  printf("ranges: %ld written, %ld as the FS reports them\n", written, reported);
  printf("ranges asked: the first question (the table walked) %.2f ms, then %.3f ms a camera\n",
         cold_ms, warm_ms / m.cameras);
  printf("ranges asked while recording, every camera once a flushed second (%d s): median "
         "%.3f ms, max %.3f ms\n",
         asked_s, asked_median_ms, asked_max_ms);
  printf("RATIO ranges_recording_vs_walk=%.3f\n", cold_ms > 0 ? asked_median_ms / cold_ms : 0);
  return written == reported ? 0 : 1;
}
