/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The peers (ffmpeg, dd) as child processes, measured with wait4; and the clocks. */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static double seconds(struct timeval tv) { return (double)tv.tv_sec + tv.tv_usec / 1e6; }

double bench_now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double bench_cpu_s(double *sys) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  if (sys) *sys = seconds(ru.ru_stime);
  return seconds(ru.ru_utime) + seconds(ru.ru_stime);
}

int bench_run_peer(char *const argv[], bench_cost_t *cost) {
  const double wall0 = bench_now_s();
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) != pid) return -1;
  cost->wall_s = bench_now_s() - wall0;
  cost->cpu_s = seconds(ru.ru_utime) + seconds(ru.ru_stime);
  cost->sys_s = seconds(ru.ru_stime);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
