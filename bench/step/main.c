/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * step_bench: frame steps back and reverse play over a few synthetic cameras (bench/seek's
 * recording, GOP 25 = 1 s). Prints the time of STEPS steps back (valkka_manager_step_by(-1))
 * from the middle of a GOP, split into the steps where some camera enters a new GOP (it decodes
 * that GOP) and those from the picture cache, on one decoder worker per core and on one, beside
 * the frame interval and the peer: codec-ffmpeg (libavcodec, one thread, from memory) decoding a
 * GOP of the same streams with every picture out, and so one frame. Then SECONDS of play at -1x
 * and at 1x: the pictures presented against the frames recorded in as much time.
 * Usage: step_bench WORKDIR [STEPS [CAMERAS [MINUTES [WIDTH HEIGHT [SECONDS]]]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "step.h"

#define GOP 25
#define PEER_ROUNDS 20 /* each camera's GOPs decoded this many times over */

static int fail(const char *what, int err) {
  fprintf(stderr, "step_bench: %s: %s (%s)\n", what, valkka_last_error(), valkka_err_name(err));
  return 1;
}

/* The peer: each camera's GOPs (its clip has two) decoded whole from memory, every picture
   out, one thread: seconds per GOP and per frame (medians over the rounds). */
static int peer(const bench_material_t *m, double *gop_s, double *frame_s) {
  const valkka_decoder_vtable_t *vt = NULL;
  void *dec[BENCH_MAX_CAMERAS] = {0};
  valkka_frame_t *picture = valkka_frame_new(0);
  int err = picture ? bench_open_decoders(m, m->cameras, &vt, dec) : VALKKA_ENOMEM;
  const int n = PEER_ROUNDS * m->cameras * 2;
  double *t = malloc((size_t)n * sizeof *t);
  if (!t && !err) err = VALKKA_ENOMEM;
  for (int i = 0; i < n && !err; i++) {
    const int c = i % m->cameras, g = (i / m->cameras) % 2;
    const int64_t key = (int64_t)g * m->gop + (m->gop - m->clips[c].offset) % m->gop;
    const double start = bench_now();
    bench_decode_range(vt, dec[c], &m->clips[c], key, key + m->gop - 1, true, picture);
    t[i] = bench_now() - start;
  }
  if (!err) {
    double p99 = 0;
    bench_stats(t, n, gop_s, &p99, NULL);
    *gop_s /= 1000;
    *frame_s = *gop_s / m->gop;
  }
  free(t);
  if (vt) bench_close_decoders(vt, dec, m->cameras);
  valkka_frame_free(picture);
  return err;
}

/* Median, p99 and max (ms) of the steps whose `decoded` is (or is not) 0; how many. */
static int split(const step_times_t *st, int n, bool from_cache, double *med, double *p99,
                 double *max) {
  double *v = malloc((size_t)n * sizeof *v);
  int k = 0;
  if (!v) exit(1);
  for (int i = 0; i < n; i++)
    if ((st->decoded[i] == 0) == from_cache) v[k++] = st->s[i];
  if (k) bench_stats(v, k, med, p99, max);
  free(v);
  return k;
}

typedef struct step_row {
  int n;
  double med, p99, max;
} step_row_t;

static void print_row(const char *name, const step_row_t *r) {
  printf("%-44s %5d %8.2f %8.2f %8.2f\n", name, r->n, r->med, r->p99, r->max);
}

/* Steps back on `workers` decoder workers: the rows for GOP steps and cached steps. */
static int measure_steps(const char *fs_dir, const bench_material_t *m, uint32_t workers,
                         int64_t from, int n, step_row_t *gop, step_row_t *cached) {
  step_times_t st = {.s = calloc((size_t)n, sizeof *st.s),
                     .decoded = calloc((size_t)n, sizeof *st.decoded)};
  int err = st.s && st.decoded ? step_back(fs_dir, m, workers, from, n, &st) : VALKKA_ENOMEM;
  if (!err) {
    gop->n = split(&st, n, false, &gop->med, &gop->p99, &gop->max);
    cached->n = split(&st, n, true, &cached->med, &cached->p99, &cached->max);
    if (st.wrong) fprintf(stderr, "step_bench: %d pictures not the frame before\n", st.wrong);
  }
  free(st.s);
  free(st.decoded);
  return err;
}

static void print_play(const char *name, const play_count_t *p) {
  printf("%-28s %6.1f %7.1f %9lld %9lld %7.3f %9lld\n", name, p->wall_s, p->clock_ms / 1000.0,
         (long long)p->presented, (long long)p->recorded,
         p->recorded ? (double)p->presented / (double)p->recorded : 0, (long long)p->travelled);
  if (p->wrong_way)
    fprintf(stderr, "step_bench: %s: %lld pictures out of order\n", name, (long long)p->wrong_way);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr,
            "usage: step_bench WORKDIR [STEPS [CAMERAS [MINUTES [WIDTH HEIGHT [SECONDS]]]]]\n");
    return 2;
  }
  const char *work = argv[1];
  const int n = argc > 2 ? atoi(argv[2]) : 200;
  bench_material_t m = {.cameras = argc > 3 ? atoi(argv[3]) : 4,
                        .gop = GOP,
                        .width = argc > 6 ? atoi(argv[5]) : 640,
                        .height = argc > 6 ? atoi(argv[6]) : 360};
  const int minutes = argc > 4 ? atoi(argv[4]) : 2;
  const double seconds = argc > 7 ? atof(argv[7]) : 20;
  m.frames = (int64_t)minutes * 60 * 25;
  /* The steps and both plays fit in the recording, away from its ends. */
  if (n < 1 || m.cameras < 1 || m.cameras > BENCH_MAX_CAMERAS || minutes < 1 || seconds < 1 ||
      (n + 2 * GOP) * BENCH_FRAME_MS > minutes * 30000 || seconds * 1000 + 2000 > minutes * 30000)
    return 2;
  char fs_dir[4096];
  snprintf(fs_dir, sizeof fs_dir, "%s/fs", work);
  int err = bench_make_clips(&m);
  if (err) return fail("synthetic clips", err);
  if ((err = bench_record(&m, fs_dir)) != 0) return fail("recording", err);
  printf("recording: %d cameras x %d min, %dx%d H.264, GOP %d (1 s), 25 fps: %.1f MB\n", m.cameras,
         minutes, m.width, m.height, m.gop, m.bytes / 1e6);

  /* Steps from the middle of camera 1's GOP in the middle of the recording. */
  int64_t key = -1;
  bench_frame_at(&m, 0, bench_frame_time(&m.clips[0], m.frames / 2), &key);
  const int64_t from = bench_frame_time(&m.clips[0], key + m.gop / 2);
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  const int cores = online < 1 ? 1 : online > 16 ? 16 : (int)online;
  step_row_t gop = {0}, cached = {0}, gop1 = {0}, cached1 = {0};
  if ((err = measure_steps(fs_dir, &m, (uint32_t)cores, from, n, &gop, &cached)) != 0)
    return fail("steps back", err);
  if ((err = measure_steps(fs_dir, &m, 1, from, n, &gop1, &cached1)) != 0)
    return fail("steps back, 1 worker", err);
  double gop_s = 0, frame_s = 0;
  if ((err = peer(&m, &gop_s, &frame_s)) != 0) return fail("peer decode", err);

  /* Both plays over the same stretch: back from its end, forward from its start. */
  const int64_t end = BENCH_T0 + m.frames * BENCH_FRAME_MS / 2 + (int64_t)(seconds * 500);
  const int64_t begin = end - (int64_t)(seconds * 1000);
  play_count_t back = {0}, fwd = {0};
  if ((err = play_for(fs_dir, &m, -1.0, end, seconds, &back)) != 0) return fail("play -1x", err);
  if ((err = play_for(fs_dir, &m, 1.0, begin, seconds, &fwd)) != 0) return fail("play 1x", err);

  printf("\n%d steps back from the middle of a GOP, %d cameras; ms from the call to the last "
         "picture\n",
         n, m.cameras);
  printf("%-44s %5s %8s %8s %8s\n", "", "steps", "median", "p99", "max");
  char name[64];
  snprintf(name, sizeof name, "into a new GOP (decodes it), %d workers", cores);
  print_row(name, &gop);
  snprintf(name, sizeof name, "from the picture cache, %d workers", cores);
  print_row(name, &cached);
  print_row("into a new GOP, 1 decoder worker", &gop1);
  print_row("from the picture cache, 1 decoder worker", &cached1);
  printf("frame interval %34.2f\n", (double)BENCH_FRAME_MS);
  printf("codec-ffmpeg 1 thread: one GOP of %d, every picture %12.2f\n", m.gop, gop_s * 1000);
  printf("codec-ffmpeg 1 thread: one frame (GOP / %d) %16.2f\n", m.gop, frame_s * 1000);

  printf("\n%.0f s of play, %d cameras; pictures presented against the frames recorded in the "
         "wall time (passed: in the span the clock moved over)\n",
         seconds, m.cameras);
  printf("%-28s %6s %7s %9s %9s %7s %9s\n", "", "wall s", "clock s", "presented", "recorded",
         "share", "passed");
  print_play("reverse -1x", &back);
  print_play("forward 1x (peer)", &fwd);

  const double back_share = back.recorded ? (double)back.presented / (double)back.recorded : 0;
  const double fwd_share = fwd.recorded ? (double)fwd.presented / (double)fwd.recorded : 0;
  printf("\nratios\n");
  printf("cached step p99 / frame interval %18.2f\n", cached.p99 / BENCH_FRAME_MS);
  printf("cached step median / one frame decode %13.2f\n", cached.med / (frame_s * 1000));
  printf("GOP step median / one GOP decode %18.2f\n", gop.med / (gop_s * 1000));
  printf("GOP step p99 / frame interval %21.2f\n", gop.p99 / BENCH_FRAME_MS);
  printf("reverse share / forward share %21.3f\n", fwd_share ? back_share / fwd_share : 0);
  printf("RATIO cached_p99_vs_frame=%.2f\n", cached.p99 / BENCH_FRAME_MS);
  printf("RATIO gop_step_vs_gop_decode=%.2f\n", gop.med / (gop_s * 1000));
  printf("RATIO reverse_presented=%.3f\nRATIO forward_presented=%.3f\n", back_share, fwd_share);
  printf("RATIO reverse_vs_forward=%.3f\n", fwd_share ? back_share / fwd_share : 0);
  bench_free_clips(&m);
  return 0;
}
