/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtsp_ingest_bench URL_PREFIX N SECONDS DIR: records N cameras, camera i from URL_PREFIX<i % 8>
 * (rtsp://127.0.0.1:PORT/cam) for SECONDS into a fresh MultiFS in DIR, through the live pipeline
 * and the FS writer thread as `valkka record` does, and prints one line:
 *   streams N seconds S frames F cpu C user U sys Y
 * with CPU the process's user + system time from connecting the first camera to the last frame
 * on disk (FS creation and plugin loading are not counted). Per-camera frame counts go to stderr.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <valkka/valkka.h>

#define MAX_STREAMS 32
/* The test server's mounts are cam0 .. cam7; camera i takes cam<i % 8>, which gives every
   client its own pipeline (an encoder of its own), so 32 cameras are 32 distinct streams. */
#define SERVER_CAMERAS 8

typedef struct tap {
  valkka_fs_t *fs;
  atomic_uint_fast64_t frames;
} tap_t;

static int sink(void *user, const valkka_frame_t *frame) {
  tap_t *tap = user;
  int err = valkka_fs_sink(tap->fs, frame);
  if (!err && frame->kind == VALKKA_FRAME_ENCODED) atomic_fetch_add(&tap->frames, 1);
  return err;
}

static double seconds(struct timeval tv) { return (double)tv.tv_sec + tv.tv_usec / 1e6; }

static int fail(const char *what) {
  fprintf(stderr, "rtsp_ingest_bench: %s: %s\n", what, valkka_last_error());
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: rtsp_ingest_bench URL_PREFIX N SECONDS DIR\n");
    return 2;
  }
  int n = atoi(argv[2]), secs = atoi(argv[3]);
  if (n < 1 || n > MAX_STREAMS || secs < 1) {
    fprintf(stderr, "rtsp_ingest_bench: N in 1..%d, SECONDS >= 1\n", MAX_STREAMS);
    return 2;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/fs", argv[4]);
  valkka_plugins_load();
  valkka_fs_create_params_t create = {.struct_size = sizeof create,
                                      .kind = VALKKA_FS_MULTI,
                                      .block_size = 1024 * 1024,
                                      .n_blocks = 64};
  valkka_fs_t *fs = NULL;
  if (valkka_fs_create(path, &create) || valkka_fs_open(path, NULL, &fs)) return fail("fs");
  if (valkka_fs_writer_start(fs, NULL)) return fail("writer");
  valkka_live_config_t config = {.struct_size = sizeof config};
  valkka_live_t *live = valkka_live_create(&config);
  if (!live) return fail("live");

  static tap_t taps[MAX_STREAMS];
  struct rusage before, after;
  getrusage(RUSAGE_SELF, &before);
  for (int i = 0; i < n; i++) {
    char url[512];
    snprintf(url, sizeof url, "%s%d", argv[1], i % SERVER_CAMERAS);
    taps[i].fs = fs;
    atomic_init(&taps[i].frames, 0);
    valkka_camera_t cam = {.struct_size = sizeof cam, .slot = (uint32_t)i, .url = url};
    if (valkka_fs_map(fs, (uint32_t)i, (uint32_t)i + 1) ||
        valkka_live_add_camera(live, &cam, sink, &taps[i]))
      return fail("camera");
  }
  struct timespec wait = {.tv_sec = secs};
  while (nanosleep(&wait, &wait) != 0) continue;
  valkka_live_destroy(live);
  valkka_fs_writer_stop(fs);
  getrusage(RUSAGE_SELF, &after);

  uint64_t frames = 0;
  for (int i = 0; i < n; i++) {
    uint64_t f = atomic_load(&taps[i].frames);
    fprintf(stderr, "  camera %d: %llu frames\n", i, (unsigned long long)f);
    frames += f;
  }
  double user = seconds(after.ru_utime) - seconds(before.ru_utime);
  double sys = seconds(after.ru_stime) - seconds(before.ru_stime);
  printf("streams %d seconds %d frames %llu cpu %.3f user %.3f sys %.3f\n", n, secs,
         (unsigned long long)frames, user + sys, user, sys);
  valkka_fs_close(fs);
  return 0;
}
