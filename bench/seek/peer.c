/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The peer: camera 1's recording exported as MP4 segments with `valkka export`, and
 * `ffmpeg -ss T -i SEGMENT -frames:v 1 -f null -` timed as a process (fork, exec, wait).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static int run(char *const argv[], double *wall) {
  const double start = bench_now();
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (wall) *wall = bench_now() - start;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int bench_export_segments(const char *valkka, const char *fs_dir, const char *dir,
                          const bench_material_t *m, int minutes, bench_segment_t *segs, int *n) {
  const int64_t span = (int64_t)minutes * 60000;
  const int64_t end = bench_frame_time(&m->clips[0], m->frames - 1);
  int count = 0;
  for (int64_t from = BENCH_T0; from <= end && count < *n; from += span, count++) {
    bench_segment_t *s = &segs[count];
    char f[32], t[32];
    int64_t to = from + span - 1 < end ? from + span - 1 : end;
    snprintf(f, sizeof f, "%lld", (long long)from);
    snprintf(t, sizeof t, "%lld", (long long)to);
    snprintf(s->path, sizeof s->path, "%s/cam1-%02d.mp4", dir, count);
    char *argv[] = {(char *)valkka, "export", "--fs",   (char *)fs_dir,
                    "--stream",     "1",      "--from", f,
                    "--to",         t,        s->path,  NULL};
    if (run(argv, NULL) != 0) return VALKKA_EIO;
    /* The file starts at the keyframe at or before `from` (the export's rule). */
    int64_t key = 0;
    int64_t at = bench_frame_at(m, 0, from, &key);
    s->start_ms = bench_frame_time(&m->clips[0], at < 0 || key < 0 ? 0 : key);
    s->end_ms = to;
  }
  *n = count;
  return 0;
}

int bench_ffmpeg_seeks(const bench_segment_t *segs, int n_segs, const int64_t *times, int n,
                       double *out) {
  for (int i = 0; i < n; i++) {
    const bench_segment_t *s = NULL;
    for (int j = 0; j < n_segs && !s; j++)
      if (times[i] >= segs[j].start_ms && times[i] <= segs[j].end_ms) s = &segs[j];
    if (!s) return VALKKA_ERANGE;
    char at[32];
    snprintf(at, sizeof at, "%.3f", (double)(times[i] - s->start_ms) / 1000.0);
    char *argv[] = {"ffmpeg",        "-nostdin",  "-v", "error", "-ss",  at,  "-i",
                    (char *)s->path, "-frames:v", "1",  "-f",    "null", "-", NULL};
    if (run(argv, &out[i]) != 0) return VALKKA_EIO;
  }
  return 0;
}
