/* SPDX-License-Identifier: LGPL-2.1-or-later */
// TIME arguments of `valkka play` and `export` in their ISO 8601 form, made independently of the
// CLI's parser so that the tests can compare the two forms of one instant.
#pragma once

#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace mgr_test {

// The instant `ms` (epoch milliseconds) as a clock `offset_min` minutes east of UTC shows it,
// with milliseconds: "2023-11-14T22:13:20.250Z" (offset 0), "...T00:13:20.250+02:00" (120).
inline std::string iso_time(int64_t ms, int offset_min) {
  const int64_t local = ms + int64_t(offset_min) * 60000;
  const time_t seconds = time_t(local / 1000);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  char date[32], text[64];
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  if (!offset_min) {
    snprintf(text, sizeof text, "%s.%03dZ", date, int(local % 1000));
  } else {
    const int off = std::abs(offset_min);
    snprintf(text, sizeof text, "%s.%03d%c%02d:%02d", date, int(local % 1000),
             offset_min < 0 ? '-' : '+', off / 60, off % 60);
  }
  return text;
}

}  // namespace mgr_test
