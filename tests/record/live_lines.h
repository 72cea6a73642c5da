/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka play --live --json`'s lines read back while it runs, for the tests that follow a
// recorder with it (a local FS: tests/record/live_test.cpp; a served one: tests/remote).
#pragma once

#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli_process.h"

namespace recordtest {

struct LiveLine {
  uint32_t stream;
  int64_t mstime, lag_ms;
};

// The whole lines of `out` (a running play's last one may be still half written).
inline std::vector<LiveLine> live_lines(std::string out) {
  out.erase(out.find_last_of('\n') == std::string::npos ? 0 : out.find_last_of('\n') + 1);
  std::vector<LiveLine> lines;
  for (const std::string &text : split_lines(out)) {
    json_error_t err;
    json_t *j = json_loads(text.c_str(), 0, &err);
    if (!j) {
      ADD_FAILURE() << "not JSON: " << text;
      continue;
    }
    json_t *lag = json_object_get(j, "lag_ms");
    EXPECT_TRUE(json_is_integer(lag)) << text;
    lines.push_back(LiveLine{(uint32_t)json_integer_value(json_object_get(j, "stream")),
                             json_integer_value(json_object_get(j, "mstime")),
                             json_integer_value(lag)});
    json_decref(j);
  }
  return lines;
}

inline int64_t wall_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Waits until play printed 25 frames (a second) of each of `streams` streams recorded after
// `after_ms`.
inline bool wait_frames_after(const std::string &path, size_t streams, int64_t after_ms,
                              int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 100) {
    std::map<uint32_t, int> seen;
    size_t full = 0;
    for (const LiveLine &l : live_lines(read_text(path)))
      if (l.mstime > after_ms) full += ++seen[l.stream] == 25;
    if (full >= streams) return true;
    usleep(100000);
  }
  return false;
}

}  // namespace recordtest
