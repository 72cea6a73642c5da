/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pacing_check.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace media_test {

namespace {

using Clock = std::chrono::steady_clock;

int64_t us_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// The next picture, skipping sound; `wait` reads again after a timeout (short reads, so that an
// interrupt or a wrong error shows at once). Returns the read's error.
int next_picture(Source &source, int timeout_ms, bool wait) {
  for (int guard = 0; guard < 100000; guard++) {
    int err = source.read(timeout_ms);
    if (err == VALKKA_ETIMEDOUT && wait) continue;
    if (err || source.frame().kind == VALKKA_FRAME_ENCODED) return err;
  }
  return VALKKA_ETIMEDOUT;
}

}  // namespace

void expect_real_time_pacing(Source &source, int frames) {
  ASSERT_GE(frames, 2);
  const Clock::time_point asked = Clock::now();
  int64_t first_ms = 0, last_ms = 0;
  for (int i = 0; i < frames; i++) {
    ASSERT_EQ(next_picture(source, 20, true), 0) << "picture " << i;
    const int64_t mstime = source.frame().mstime;
    if (i == 0) first_ms = mstime;
    // Frame times are whole milliseconds of the source's microsecond schedule: 1 ms of rounding.
    EXPECT_GE(us_since(asked), (mstime - first_ms - 1) * 1000) << "picture " << i << " came early";
    last_ms = mstime;
  }
  const int64_t interval_ms = (last_ms - first_ms) / (frames - 1);
  ASSERT_GT(interval_ms, 0) << "the pictures carry no times";
  // After a pause of six intervals, the pictures of that pause are due: each comes at once. Five
  // of them: a replay more than 1.2 times slower than its frame times would hold back the fifth.
  std::this_thread::sleep_for(std::chrono::milliseconds(6 * interval_ms));
  for (int i = 0; i < 5; i++)
    EXPECT_EQ(next_picture(source, 0, false), 0) << "a due picture waited (" << i << ")";
}

}  // namespace media_test
