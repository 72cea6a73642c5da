/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs_write_bench IN WORKDIR [ROUNDS]: the frames of IN (read into memory first) recorded into a
 * fresh MultiFS with valkka_fs_append and through the writer thread, next to the peers on the same
 * bytes: `ffmpeg -i IN -c copy -f segment -segment_time 10 OUT%03d.mp4` and
 * `dd if=/dev/zero of=OUT bs=1M count=N conv=fdatasync`. Every round runs all four in turn (so
 * drifting machine load touches them alike); the figures are the medians over the rounds.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* FFMPEG_FIXED: the same ffmpeg command stopped after one frame, i.e. what ffmpeg spends on
 * starting and finishing whatever the input; shown for context, not a contender. */
enum { APPEND, WRITER, FFMPEG, DD, FFMPEG_FIXED, N_CONTENDERS };
static const char *const names[N_CONTENDERS] = {"valkka fs_append", "valkka writer thread",
                                                "ffmpeg -c copy segment", "dd conv=fdatasync",
                                                "(ffmpeg, 1 frame only)"};
#define MAX_ROUNDS 50

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int run_round(const bench_frames_t *frames, const char *in, const char *work,
                     bench_cost_t cost[N_CONTENDERS], uint64_t *retries) {
  char fs_dir[4096], seg_dir[4096], segments[4200], dd_out[4096], dd_of[4200], dd_count[32];
  snprintf(fs_dir, sizeof fs_dir, "%s/fs", work);
  snprintf(seg_dir, sizeof seg_dir, "%s/segments", work);
  snprintf(segments, sizeof segments, "%s/out%%03d.mp4", seg_dir);
  snprintf(dd_out, sizeof dd_out, "%s/dd.out", work);
  snprintf(dd_of, sizeof dd_of, "of=%s", dd_out);
  snprintf(dd_count, sizeof dd_count, "count=%llu",
           (unsigned long long)((frames->bytes + (1u << 20) - 1) >> 20));
  char *ffmpeg[] = {"ffmpeg",  "-nostdin",      "-v", "error",  "-y",
                    "-i",      (char *)in,      "-c", "copy",   "-f",
                    "segment", "-segment_time", "10", segments, NULL};
  char *ffmpeg_fixed[] = {"ffmpeg", "-nostdin", "-v",      "error",         "-y",
                          "-i",     (char *)in, "-c",      "copy",          "-frames:v",
                          "1",      "-f",       "segment", "-segment_time", "10",
                          segments, NULL};
  char *dd[] = {"dd",     "if=/dev/zero",   dd_of,         "bs=1M",
                dd_count, "conv=fdatasync", "status=none", NULL};
  int err;
  remove_tree(fs_dir);
  if ((err = bench_ingest_append(frames, fs_dir, &cost[APPEND]))) {
    fprintf(stderr, "fs_append: %s\n", valkka_last_error());
    return err;
  }
  remove_tree(fs_dir);
  if ((err = bench_ingest_writer(frames, fs_dir, &cost[WRITER], retries))) {
    fprintf(stderr, "writer thread: %s\n", valkka_last_error());
    return err;
  }
  remove_tree(fs_dir);
  remove_tree(seg_dir);
  if (mkdir(seg_dir, 0700) != 0 || bench_run_peer(ffmpeg, &cost[FFMPEG]) != 0) {
    fprintf(stderr, "ffmpeg failed\n");
    return -1;
  }
  remove_tree(seg_dir);
  if (mkdir(seg_dir, 0700) != 0 || bench_run_peer(ffmpeg_fixed, &cost[FFMPEG_FIXED]) != 0) {
    fprintf(stderr, "ffmpeg (1 frame) failed\n");
    return -1;
  }
  remove_tree(seg_dir);
  if (bench_run_peer(dd, &cost[DD]) != 0) {
    fprintf(stderr, "dd failed\n");
    return -1;
  }
  remove_tree(dd_out);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: %s IN WORKDIR [ROUNDS]\n", argv[0]);
    return 2;
  }
  const int rounds = argc == 4 ? atoi(argv[3]) : 5;
  if (rounds < 1 || rounds > MAX_ROUNDS) {
    fprintf(stderr, "ROUNDS: 1 to %d\n", MAX_ROUNDS);
    return 2;
  }
  bench_frames_t frames;
  const double load_wall0 = bench_now_s(), load_cpu0 = bench_cpu_s(NULL);
  int err = bench_frames_load(argv[1], &frames);
  if (err) {
    fprintf(stderr, "%s: %s\n", argv[1], valkka_last_error());
    return 1;
  }
  const double load_wall = bench_now_s() - load_wall0, load_cpu = bench_cpu_s(NULL) - load_cpu0;
  static double wall[N_CONTENDERS][MAX_ROUNDS], cpu[N_CONTENDERS][MAX_ROUNDS],
      sys[N_CONTENDERS][MAX_ROUNDS];
  uint64_t retries = 0;
  for (int r = 0; r < rounds && !err; r++) {
    bench_cost_t cost[N_CONTENDERS];
    if (!(err = run_round(&frames, argv[1], argv[2], cost, &retries)))
      for (int c = 0; c < N_CONTENDERS; c++)
        wall[c][r] = cost[c].wall_s, cpu[c][r] = cost[c].cpu_s, sys[c][r] = cost[c].sys_s;
  }
  if (err) {
    bench_frames_free(&frames);
    return 1;
  }
  const double mb = frames.bytes / 1e6, gb = frames.bytes / 1e9;
  double mbps[N_CONTENDERS], cpu_gb[N_CONTENDERS];
  printf("input: %s: %zu frames, %.1f MB of H.264 (read through source-file first, not counted: "
         "%.3f s wall, %.3f s CPU)\n",
         argv[1], frames.n, mb, load_wall, load_cpu);
  printf("medians of %d rounds; every contender writes the same %.1f MB\n\n", rounds, mb);
  printf("%-24s %9s %9s %9s %9s %11s\n", "contender", "wall s", "MB/s", "CPU s", "of it sys",
         "CPU s/GB");
  for (int c = 0; c < N_CONTENDERS; c++) {
    const double w = median(wall[c], rounds), u = median(cpu[c], rounds);
    const double k = median(sys[c], rounds);
    mbps[c] = mb / w;
    cpu_gb[c] = u / gb;
    if (c == FFMPEG_FIXED)
      printf("%-24s %9.3f %9s %9.3f %9.3f %11s\n", names[c], w, "", u, k, "");
    else
      printf("%-24s %9.3f %9.1f %9.3f %9.3f %11.3f\n", names[c], w, mbps[c], u, k, cpu_gb[c]);
  }
  enum { MBPS_FFMPEG, CPU_FFMPEG, MBPS_DD, CPU_DD, N_RATIOS };
  static const char *const ratio_keys[N_RATIOS] = {"mbps_vs_ffmpeg", "cpu_vs_ffmpeg", "mbps_vs_dd",
                                                   "cpu_vs_dd"};
  static const char *const contender_keys[] = {[APPEND] = "append", [WRITER] = "writer"};
  double ratios[WRITER + 1][N_RATIOS];
  printf("\n%-24s %16s %16s %16s %16s\n", "ratios", "MB/s / ffmpeg", "CPU/GB / ffmpeg", "MB/s / dd",
         "CPU/GB / dd");
  for (int c = APPEND; c <= WRITER; c++) {
    ratios[c][MBPS_FFMPEG] = mbps[c] / mbps[FFMPEG];
    ratios[c][CPU_FFMPEG] = cpu_gb[c] / cpu_gb[FFMPEG];
    ratios[c][MBPS_DD] = mbps[c] / mbps[DD];
    ratios[c][CPU_DD] = cpu_gb[c] / cpu_gb[DD];
    printf("%-24s %16.2f %16.2f %16.2f %16.2f\n", names[c], ratios[c][MBPS_FFMPEG],
           ratios[c][CPU_FFMPEG], ratios[c][MBPS_DD], ratios[c][CPU_DD]);
  }
  printf("\nwriter thread: the producer waited %llu times for a full queue (no frame dropped)\n",
         (unsigned long long)retries);
  /* The same ratios for bench/check.sh, which holds them to the goals of bench/README.md. */
  for (int c = APPEND; c <= WRITER; c++)
    for (int r = 0; r < N_RATIOS; r++)
      printf("RATIO %s_%s=%.2f\n", contender_keys[c], ratio_keys[r], ratios[c][r]);
  bench_frames_free(&frames);
  return 0;
}
