/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seek_bench: 100 random seeks into an hour of 16 synthetic cameras in one MultiFS. Prints, per
 * seek, the median and p99 of: the manager's time to the first presented picture (16 streams
 * mapped, decoded on one worker per core and on the cache thread alone; camera 1 alone), the
 * limit (decoding the same GOP prefixes from memory on one thread, nothing else), the floor (the
 * limit shared by the cores, and the same decoding measured on as many threads), and `ffmpeg -ss T -i SEGMENT.mp4 -frames:v 1 -f null -` on camera 1
 * exported as MP4 segments; then the ratios.
 * Usage: seek_bench WORKDIR VALKKA_BIN [SEEKS [CAMERAS [MINUTES [WIDTH HEIGHT]]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define SEGMENT_MINUTES 10
#define MAX_SEGMENTS 64
#define MAX_WORKERS 16 /* the manager's own cap on decoder_workers */

static void row(const char *name, const double *v, int n, double *median) {
  double p99;
  bench_stats(v, n, median, &p99, NULL);
  printf("%-40s %10.1f %10.1f\n", name, *median, p99);
}

static int fail(const char *what, int err) {
  fprintf(stderr, "seek_bench: %s: %s (%s)\n", what, valkka_last_error(), valkka_err_name(err));
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr,
            "usage: seek_bench WORKDIR VALKKA_BIN [SEEKS [CAMERAS [MINUTES [WIDTH HEIGHT]]]]\n");
    return 2;
  }
  const char *work = argv[1], *valkka = argv[2];
  const int seeks = argc > 3 ? atoi(argv[3]) : 100;
  bench_material_t m = {.cameras = argc > 4 ? atoi(argv[4]) : 16,
                        .gop = 50,
                        .width = argc > 7 ? atoi(argv[6]) : 1280,
                        .height = argc > 7 ? atoi(argv[7]) : 720};
  const int minutes = argc > 5 ? atoi(argv[5]) : 60;
  m.frames = (int64_t)minutes * 60 * 25;
  if (seeks < 1 || m.cameras < 1 || m.cameras > BENCH_MAX_CAMERAS || minutes < 1) return 2;
  char fs_dir[4096];
  snprintf(fs_dir, sizeof fs_dir, "%s/fs", work);

  int err = bench_make_clips(&m);
  if (err) return fail("synthetic clips", err);
  if ((err = bench_record(&m, fs_dir)) != 0) return fail("recording", err);
  printf("recording: %d cameras x %d min, %dx%d H.264, GOP %d (2 s), 25 fps: %lld frames, %.1f MB "
         "written with valkka_fs_append in %.1f s\n",
         m.cameras, minutes, m.width, m.height, m.gop, (long long)m.frames * m.cameras,
         m.bytes / 1e6, m.write_s);

  bench_segment_t segs[MAX_SEGMENTS];
  int n_segs = MAX_SEGMENTS;
  const int seg_minutes = minutes < SEGMENT_MINUTES ? minutes : SEGMENT_MINUTES;
  if ((err = bench_export_segments(valkka, fs_dir, work, &m, seg_minutes, segs, &n_segs)) != 0)
    return fail("valkka export", err);
  printf("peer input: camera 1 exported with valkka export as %d MP4 segments of %d min\n", n_segs,
         seg_minutes);

  /* Seek times: uniform over the recording, away from its first seconds (no keyframe yet). */
  int64_t *times = malloc((size_t)seeks * sizeof *times);
  double *all = malloc((size_t)seeks * sizeof *all),
         *first16 = malloc((size_t)seeks * sizeof *first16),
         *first1 = malloc((size_t)seeks * sizeof *first1),
         *all_one = malloc((size_t)seeks * sizeof *all_one), *floor16 = NULL,
         *limit16 = malloc((size_t)seeks * sizeof *limit16),
         *limit16_cores = malloc((size_t)seeks * sizeof *limit16_cores),
         *limit1 = malloc((size_t)seeks * sizeof *limit1),
         *peer = malloc((size_t)seeks * sizeof *peer),
         *peer0 = malloc((size_t)seeks * sizeof *peer0);
  bench_seek_times_t *t16 = calloc((size_t)seeks, sizeof *t16),
                     *t16_one = calloc((size_t)seeks, sizeof *t16_one),
                     *t1 = calloc((size_t)seeks, sizeof *t1);
  floor16 = malloc((size_t)seeks * sizeof *floor16);
  if (!times || !all || !first16 || !first1 || !all_one || !floor16 || !limit16 || !limit16_cores ||
      !limit1 || !peer || !peer0 || !t16 || !t16_one || !t1)
    return 1;
  /* One decoder worker per core, as the manager's default; and one, the cache thread itself. */
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  const int cores = online < 1 ? 1 : online > MAX_WORKERS ? MAX_WORKERS : (int)online;
  srand(20240501);
  const int64_t span = m.frames * BENCH_FRAME_MS - 10000;
  for (int i = 0; i < seeks; i++)
    times[i] = BENCH_T0 + 5000 + (int64_t)((double)rand() / RAND_MAX * (double)span);

  if ((err = bench_seeks(fs_dir, m.cameras, (uint32_t)cores, times, seeks, t16)) != 0)
    return fail("seeks", err);
  if ((err = bench_seeks(fs_dir, m.cameras, 1, times, seeks, t16_one)) != 0)
    return fail("seeks, 1 worker", err);
  if ((err = bench_seeks(fs_dir, 1, (uint32_t)cores, times, seeks, t1)) != 0)
    return fail("seeks, 1 camera", err);
  if ((err = bench_decode_limit(&m, m.cameras, times, seeks, limit16)) != 0)
    return fail("limit", err);
  if ((err = bench_decode_limit_threads(&m, m.cameras, cores, times, seeks, limit16_cores)) != 0)
    return fail("limit on the cores", err);
  if ((err = bench_decode_limit(&m, 1, times, seeks, limit1)) != 0)
    return fail("limit, 1 camera", err);
  if ((err = bench_ffmpeg_seeks(segs, n_segs, times, seeks, peer)) != 0) return fail("ffmpeg", err);
  /* ffmpeg's fixed cost: the same command at the start of a segment (one keyframe to decode). */
  for (int i = 0; i < seeks; i++) times[i] = segs[i % n_segs].start_ms;
  if ((err = bench_ffmpeg_seeks(segs, n_segs, times, seeks, peer0)) != 0)
    return fail("ffmpeg -ss 0", err);
  for (int i = 0; i < seeks; i++) {
    first16[i] = t16[i].first_s;
    all[i] = t16[i].all_s;
    all_one[i] = t16_one[i].all_s;
    first1[i] = t1[i].first_s;
    floor16[i] = limit16[i] / cores; /* the limit, its streams spread evenly over the cores */
  }

  printf("\n%d seeks; per seek, ms                      median        p99\n", seeks);
  double m16, mall, mone, ml16, mfloor, mcores, m1, ml1, mp, mp0;
  char name[64];
  snprintf(name, sizeof name, "valkka, %d cameras: first picture", m.cameras);
  row(name, first16, seeks, &m16);
  snprintf(name, sizeof name, "valkka, %d cameras: all pictures", m.cameras);
  row(name, all, seeks, &mall);
  row("  the same on 1 decoder worker", all_one, seeks, &mone);
  snprintf(name, sizeof name, "limit: decode %d GOP prefixes", m.cameras);
  row(name, limit16, seeks, &ml16);
  snprintf(name, sizeof name, "floor: the limit / %d cores", cores);
  row(name, floor16, seeks, &mfloor);
  snprintf(name, sizeof name, "the limit on %d threads at once", cores);
  row(name, limit16_cores, seeks, &mcores);
  row("valkka, camera 1 alone: first picture", first1, seeks, &m1);
  row("limit: decode camera 1's GOP prefix", limit1, seeks, &ml1);
  row("ffmpeg -ss T -i SEGMENT -frames:v 1", peer, seeks, &mp);
  row("(ffmpeg -ss at a segment start)", peer0, seeks, &mp0);
  /* All pictures: a seek is done when its last stream shows (they come together). */
  const double all_limit = mall / ml16, one_limit = m1 / ml1, one_ffmpeg = m1 / mp;
  const double all_ffmpeg = mall / (mp * m.cameras), all_one_limit = mone / ml16;
  printf("\nratios of medians (%d decoder workers unless said)\n", cores);
  printf("valkka %d cameras / limit                %10.2f\n", m.cameras, all_limit);
  printf("valkka %d cameras, 1 worker / limit      %10.2f\n", m.cameras, all_one_limit);
  printf("floor / limit                            %10.2f\n", mfloor / ml16);
  printf("limit on %d threads / limit               %10.2f\n", cores, mcores / ml16);
  printf("valkka camera 1 / limit                  %10.2f\n", one_limit);
  printf("valkka camera 1 / ffmpeg -ss             %10.2f\n", one_ffmpeg);
  printf("valkka %d cameras / (ffmpeg -ss x %d)    %10.2f\n", m.cameras, m.cameras, all_ffmpeg);
  /* The same ratios for bench/check.sh, which holds them to the goals of bench/README.md. */
  printf("RATIO all_vs_limit=%.2f\nRATIO one_vs_limit=%.2f\n", all_limit, one_limit);
  printf("RATIO all_one_worker_vs_limit=%.2f\n", all_one_limit);
  printf("RATIO limit_cores_vs_limit=%.2f\n", mcores / ml16);
  printf("RATIO one_vs_ffmpeg_ss=%.2f\nRATIO all_vs_ffmpeg_ss=%.2f\n", one_ffmpeg, all_ffmpeg);

  free(times), free(all), free(first16), free(first1), free(all_one), free(floor16), free(limit16),
      free(limit16_cores), free(limit1), free(peer), free(peer0), free(t16), free(t16_one),
      free(t1);
  bench_free_clips(&m);
  return 0;
}
