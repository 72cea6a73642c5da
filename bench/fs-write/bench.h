/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/fs-write: the cost of recording into ValkkaFS next to its peers, on the same bytes.
 * Each contender is measured the same way: wall time and the CPU time (user + system) its
 * process spent on the measured part, from getrusage / wait4.
 */
#ifndef VALKKA_BENCH_FS_WRITE_H
#define VALKKA_BENCH_FS_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include <valkka/valkka.h>

/* The frames of a file, in memory, as a camera would deliver them. */
typedef struct bench_frames {
  valkka_frame_t *frames; /* each with its own malloc'd payload */
  size_t n;
  uint64_t bytes;   /* payload bytes of all frames: what every contender writes */
  uint32_t largest; /* the largest payload */
} bench_frames_t;

/* One measured run. */
typedef struct bench_cost {
  double wall_s, cpu_s; /* cpu_s = user + system */
  double sys_s;         /* the system (kernel) part of cpu_s */
} bench_cost_t;

/* frames.c: reads `path` through the source-file plugin (no pacing, no loop). */
int bench_frames_load(const char *path, bench_frames_t *frames);
void bench_frames_free(bench_frames_t *frames);

/* ingest.c: a fresh MultiFS in `dir` (created outside the measurement), then every frame into
 * it and the FS closed (its final sync included): with valkka_fs_append on this thread, or
 * through valkka_fs_sink and the writer thread. 0, or a negative valkka error. */
int bench_ingest_append(const bench_frames_t *frames, const char *dir, bench_cost_t *cost);
int bench_ingest_writer(const bench_frames_t *frames, const char *dir, bench_cost_t *cost,
                        uint64_t *retries);

/* peer.c: runs argv[0] (searched in PATH) with stdout and stderr to /dev/null; its cost from
 * wait4. 0 when it exited 0. */
int bench_run_peer(char *const argv[], bench_cost_t *cost);

/* Monotonic seconds, and this process's CPU seconds (all threads; `sys` the kernel part). */
double bench_now_s(void);
double bench_cpu_s(double *sys);

#endif
