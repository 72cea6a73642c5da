/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench/step: the pieces of step_bench, shared by its files. The recording is bench/seek's. */
#ifndef VALKKA_BENCH_STEP_H
#define VALKKA_BENCH_STEP_H

#include "bench.h"

/* steps.c: N steps back from `from`; each step's time from the call to the last of its pictures
   (every camera's), and whether some camera decoded a GOP for it (its first step into that GOP;
   the others copy from the picture cache). */
typedef struct step_times {
  double *s;
  int *decoded; /* cameras that decoded a GOP for the step: 0 for a step from the cache */
  int wrong;    /* pictures not the frame before the camera's last (or missing) */
} step_times_t;
int step_back(const char *fs_dir, const bench_material_t *m, uint32_t workers, int64_t from, int n,
              step_times_t *out);

/* play.c: playing at `speed` (1 or -1) from `from` for `seconds` of wall time. */
typedef struct play_count {
  double wall_s;     /* from the play call to the pause call */
  int64_t clock_ms;  /* how far the playhead moved */
  int64_t presented; /* pictures through the outputs */
  int64_t recorded;  /* frames of all cameras recorded in wall_s of time from `from` */
  int64_t travelled; /* frames recorded in the span the playhead moved over */
  int64_t wrong_way; /* pictures not after (forward: before) the camera's last one */
} play_count_t;
int play_for(const char *fs_dir, const bench_material_t *m, double speed, int64_t from,
             double seconds, play_count_t *out);

/* Frames of all cameras whose time is in [lo, hi). */
int64_t step_frames_between(const bench_material_t *m, int64_t lo, int64_t hi);

#endif
