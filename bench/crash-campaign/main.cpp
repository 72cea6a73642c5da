/* SPDX-License-Identifier: LGPL-2.1-or-later */
// bench/crash-campaign's driver: the campaign of tests/reliability/campaign at any size.
// Usage: crash_campaign [--kills N] [--seed S] [--blocks N] [--block-size BYTES] [--power-cut]
//                       [--journal-plugin FILE] [--evidence EDIR] [--quiet] DIR
// DIR must not exist; it is created and left behind for inspection (run.sh removes it).
// --evidence EDIR keeps the FS as every kill left it (EDIR/kill-K) and stops at the first problem.
// Prints one line per kill (unless --quiet) and a summary; exits 1 when a check failed.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "campaign.h"

static int usage() {
  fprintf(stderr, "usage: crash_campaign [--kills N] [--seed S] [--blocks N] [--block-size BYTES] "
                  "[--power-cut --journal-plugin FILE] [--evidence EDIR] [--quiet] DIR\n");
  return 2;
}

int main(int argc, char **argv) {
  campaign::Config cfg;
  cfg.kills = 200;
  bool quiet = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const bool more = i + 1 < argc;
    if (!strcmp(a, "--kills") && more)
      cfg.kills = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--seed") && more)
      cfg.seed = strtoull(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--blocks") && more)
      cfg.n_blocks = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--block-size") && more)
      cfg.block_size = (uint32_t)strtoul(argv[++i], nullptr, 10);
    else if (!strcmp(a, "--power-cut"))
      cfg.power_cut = true;
    else if (!strcmp(a, "--journal-plugin") && more)
      cfg.journal_plugin = argv[++i];
    else if (!strcmp(a, "--quiet"))
      quiet = true;
    else if (!strcmp(a, "--evidence") && more)
      cfg.evidence_dir = argv[++i];
    else if (a[0] == '-')
      return usage();
    else if (cfg.dir.empty())
      cfg.dir = a;
    else
      return usage();
  }
  if (cfg.dir.empty() || !cfg.kills || (cfg.power_cut && cfg.journal_plugin.empty()))
    return usage();
  if (!quiet)
    cfg.progress = [](const std::string &line) {
      printf("%s\n", line.c_str());
      fflush(stdout);
    };
  campaign::Result r = campaign::run(cfg);
  for (const std::string &p : r.problems) printf("PROBLEM %s\n", p.c_str());
  printf("%s: %s\n", cfg.power_cut ? "power-cut" : "crash", campaign::summary(r).c_str());
  const bool ok = r.problems.empty() && !r.accepted_lost && !r.corrupt && !r.fsck_unrepaired &&
                  r.kills == cfg.kills;
  return ok ? 0 : 1;
}
