/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Our contender: the frames into a fresh MultiFS, synchronously or through the writer thread. */
#include <time.h>

#include "bench.h"

#define STREAM_ID 1u
#define SLOT 0u

/* Enough 1 MiB blocks for every frame (a frame never straddles blocks) plus slack: no wrap. */
static int create_fs(const bench_frames_t *frames, const char *dir) {
  valkka_fs_create_params_t p = {.struct_size = sizeof p,
                                 .kind = VALKKA_FS_MULTI,
                                 .block_size = 1u << 20,
                                 .n_blocks = (uint32_t)(frames->bytes * 2 / (1u << 20)) + 8};
  return valkka_fs_create(dir, &p);
}

int bench_ingest_append(const bench_frames_t *frames, const char *dir, bench_cost_t *cost) {
  int err = create_fs(frames, dir);
  if (err) return err;
  double sys0 = 0, sys1 = 0;
  const double wall0 = bench_now_s(), cpu0 = bench_cpu_s(&sys0);
  valkka_fs_t *fs = NULL;
  if ((err = valkka_fs_open(dir, NULL, &fs))) return err;
  for (size_t i = 0; i < frames->n && !err; i++)
    err = valkka_fs_append(fs, STREAM_ID, &frames->frames[i]);
  valkka_fs_close(fs);
  cost->wall_s = bench_now_s() - wall0;
  cost->cpu_s = bench_cpu_s(&sys1) - cpu0;
  cost->sys_s = sys1 - sys0;
  return err;
}

int bench_ingest_writer(const bench_frames_t *frames, const char *dir, bench_cost_t *cost,
                        uint64_t *retries) {
  int err = create_fs(frames, dir);
  if (err) return err;
  double sys0 = 0, sys1 = 0;
  const double wall0 = bench_now_s(), cpu0 = bench_cpu_s(&sys0);
  valkka_fs_t *fs = NULL;
  if ((err = valkka_fs_open(dir, NULL, &fs))) return err;
  /* Pool frames as large as the largest frame: the steady state allocates nothing. */
  valkka_fs_writer_params_t params = {.struct_size = sizeof params,
                                      .queue_length = 512,
                                      .frame_capacity = frames->largest};
  if (!(err = valkka_fs_writer_start(fs, &params))) err = valkka_fs_map(fs, SLOT, STREAM_ID);
  const struct timespec pause = {0, 50000};
  *retries = 0;
  for (size_t i = 0; i < frames->n && !err; i++) {
    valkka_frame_t f = frames->frames[i];
    f.slot = SLOT;
    /* A camera's sink drops on a full queue; the bench waits instead, so every frame lands. */
    while ((err = valkka_fs_sink(fs, &f)) == VALKKA_EFULL) {
      (*retries)++;
      nanosleep(&pause, NULL);
    }
  }
  valkka_fs_writer_stop(fs);
  valkka_fs_close(fs);
  cost->wall_s = bench_now_s() - wall0;
  cost->cpu_s = bench_cpu_s(&sys1) - cpu0;
  cost->sys_s = sys1 - sys0;
  return err;
}
