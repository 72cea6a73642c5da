/* SPDX-License-Identifier: LGPL-2.1-or-later */
// bench/soak's driver: the month soak of tests/reliability/soak at any size.
// Usage: soak [--days D] [--interval-ms MS] [--blocks N] [--block-size BYTES] [--seed S]
//             [--seeks-per-wrap K] [--follow-percent P] [--oldest-percent P] [--no-viewer] [--quiet] DIR
// DIR must not exist (run.sh makes and removes it). Prints a line per check (unless --quiet)
// and a summary; exits 1 when a check failed.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "soak.h"

static int usage() {
  fprintf(stderr, "usage: soak [--days D] [--interval-ms MS] [--blocks N] [--block-size BYTES] "
                  "[--seed S] [--seeks-per-wrap K] [--follow-percent P] [--oldest-percent P] "
                  "[--no-viewer] [--quiet] DIR\n");
  return 2;
}

int main(int argc, char **argv) {
  soak::Config cfg;
  bool quiet = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const bool more = i + 1 < argc;
    if (!strcmp(a, "--days") && more)
      cfg.days = strtod(argv[++i], nullptr);
    else if (!strcmp(a, "--interval-ms") && more)
      cfg.interval_ms = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--blocks") && more)
      cfg.n_blocks = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--block-size") && more)
      cfg.block_size = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--seed") && more)
      cfg.seed = strtoull(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--seeks-per-wrap") && more)
      cfg.seeks_per_wrap = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--no-viewer"))
      cfg.viewer = false;
    else if (!strcmp(a, "--follow-percent") && more)
      cfg.follow_percent = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--oldest-percent") && more)
      cfg.oldest_percent = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--quiet"))
      quiet = true;
    else if (a[0] == '-')
      return usage();
    else if (cfg.dir.empty())
      cfg.dir = a;
    else
      return usage();
  }
  if (cfg.dir.empty() || cfg.days <= 0 || cfg.interval_ms < cfg.cameras) return usage();
  if (!quiet)
    cfg.progress = [](const std::string &line) {
      printf("%s\n", line.c_str());
      fflush(stdout);
    };
  soak::Result r = soak::run(cfg);
  for (const std::string &p : r.problems) printf("PROBLEM %s\n", p.c_str());
  printf("soak: %s\n", soak::summary(r).c_str());
  const bool ok = r.problems.empty() && !r.corrupt && !r.reader.bad_pictures &&
                  !r.reader.decode_errors && !r.reader.stuck && r.end.fds == r.start.fds;
  return ok ? 0 : 1;
}
