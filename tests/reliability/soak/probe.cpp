/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "probe.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>

namespace soak {

Sample sample_process() {
  Sample s;
  // statm's second field: resident pages.
  if (FILE *f = fopen("/proc/self/statm", "r")) {
    unsigned long size = 0, resident = 0;
    if (fscanf(f, "%lu %lu", &size, &resident) == 2)
      s.rss_kb = (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
    fclose(f);
  }
  if (DIR *d = opendir("/proc/self/fd")) {
    uint32_t n = 0;
    while (struct dirent *e = readdir(d))
      if (e->d_name[0] != '.') n++;
    closedir(d);
    s.fds = n > 0 ? n - 1 : 0;  // not counting the directory stream itself
  }
  return s;
}

}  // namespace soak
