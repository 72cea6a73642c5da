/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench/seek: the pieces of seek_bench, shared by its files. Public ABI only. */
#ifndef VALKKA_BENCH_SEEK_H
#define VALKKA_BENCH_SEEK_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/valkka.h>

#define BENCH_T0 1700000000000LL
#define BENCH_FRAME_MS 40
#define BENCH_MAX_CAMERAS 32

/* One camera's clip (encoded once by source-synthetic) and where its recording starts in it. */
typedef struct bench_clip {
  uint32_t codec;
  uint8_t *config;
  uint32_t config_size;
  uint8_t **packets;
  uint32_t *sizes;
  uint8_t *key;
  uint32_t n;
  uint32_t offset; /* frame k of the recording is packet (k + offset) % n */
  int phase_ms;    /* frame k's mstime is BENCH_T0 + phase_ms + k * BENCH_FRAME_MS */
} bench_clip_t;

typedef struct bench_material {
  int cameras, width, height, gop;
  int64_t frames; /* per camera */
  bench_clip_t clips[BENCH_MAX_CAMERAS];
  double write_s;
  uint64_t bytes;
} bench_material_t;

/* material.c */
int bench_make_clips(bench_material_t *m);
int bench_record(bench_material_t *m, const char *fs_dir);
void bench_free_clips(bench_material_t *m);
int64_t bench_frame_time(const bench_clip_t *c, int64_t k);
/* Index of camera c's last frame at or before t (-1 if none) and of its keyframe before it. */
int64_t bench_frame_at(const bench_material_t *m, int c, int64_t t, int64_t *key);
double bench_now(void);
/* Median and 99th percentile (nearest rank) of v[0..n), in ms; max too when `max` is not NULL. */
void bench_stats(const double *v, int n, double *median, double *p99, double *max);

/* measure.c */
typedef struct bench_seek_times {
  double first_s; /* seek call to the first picture */
  double all_s;   /* seek call to the seek's last picture (every mapped stream shown) */
} bench_seek_times_t;
valkka_manager_state_t bench_state(valkka_manager_t *m);
/* A manager with `workers` decoder workers (0: one per core) and cameras 1 .. `cameras` of the FS
   in `dir` (read-only) mapped to output(user), slots from 0. NULL only when none was created;
   *err says whether all went well. */
valkka_manager_t *bench_manager(const char *dir, int cameras, uint32_t workers,
                                valkka_frame_sink_fn output, void *user, int *err);
/* Seeks a manager with `cameras` streams mapped (1 or all) and `workers` decoder workers (0: the
   manager's default, one per core) to each time. */
int bench_seeks(const char *fs_dir, int cameras, uint32_t workers, const int64_t *times, int n,
                bench_seek_times_t *out);
/* codec-ffmpeg on one thread for cameras 0 .. cameras - 1 of m, into dec[c] (*vt its vtable);
   on an error none stays open. */
int bench_open_decoders(const bench_material_t *m, int cameras, const valkka_decoder_vtable_t **vt,
                        void **dec);
void bench_close_decoders(const valkka_decoder_vtable_t *vt, void **dec, int cameras);
/* Decodes a clip's frames key .. at from memory (flushed first, its configuration before), the
   frames before `at` DECODE_ONLY unless `show_all`; the pictures go through `picture`. */
void bench_decode_range(const valkka_decoder_vtable_t *vt, void *dec, const bench_clip_t *clip,
                        int64_t key, int64_t at, bool show_all, valkka_frame_t *picture);
/* The limit: decoding each seek's GOP prefixes (keyframe .. frame at t) from memory alone. */
int bench_decode_limit(const bench_material_t *m, int cameras, const int64_t *times, int n,
                       double *out);

/* limit_threads.c: the same prefixes on `threads` threads at once, longest first (a thread's
   start included): per seek, from the first start to the last join. */
int bench_decode_limit_threads(const bench_material_t *m, int cameras, int threads,
                               const int64_t *times, int n, double *out);

/* peer.c */
typedef struct bench_segment {
  char path[4096];
  int64_t start_ms; /* mstime of the segment's first frame (its t = 0) */
  int64_t end_ms;
} bench_segment_t;
int bench_export_segments(const char *valkka, const char *fs_dir, const char *dir,
                          const bench_material_t *m, int minutes, bench_segment_t *segs, int *n);
/* Wall seconds of `ffmpeg -ss T -i SEGMENT -frames:v 1 -f null -` for each time. */
int bench_ffmpeg_seeks(const bench_segment_t *segs, int n_segs, const int64_t *times, int n,
                       double *out);

#endif
