/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera's times across reconnects (live/stream_time.h): never back, configurations with
// their keyframes, and times behind the last one out worked off against our clock.
#include <gtest/gtest.h>

extern "C" {
#include "live/stream_time.h"
}

namespace {

constexpr int64_t kNow = 1700000000000;  // wall clock, ms
constexpr int64_t kMono = 5000000;       // monotonic clock, ms

TEST(LiveStreamTime, RisingTimesPassUnchanged) {
  stream_time_t st{};
  for (int i = 0; i < 100; i++)
    EXPECT_EQ(stream_time_next(&st, kNow + 40 * i, true, kMono + 40 * i), kNow + 40 * i);
}

TEST(LiveStreamTime, AConfigurationKeepsItsKeyframesTime) {
  stream_time_t st{};
  EXPECT_EQ(stream_time_next(&st, kNow, false, kMono), kNow);
  EXPECT_EQ(stream_time_next(&st, kNow, true, kMono), kNow);
  EXPECT_EQ(stream_time_next(&st, kNow + 40, true, kMono + 40), kNow + 40);
  // Two encoded frames with one time: the second comes 1 ms later.
  EXPECT_EQ(stream_time_next(&st, kNow + 40, true, kMono + 40), kNow + 41);
}

// A new session whose first configuration (and keyframe) the source timed exactly as the last
// frame of the session before: the keyframe still comes after that frame.
TEST(LiveStreamTime, AConfigurationAtTheLastFramesTimeDoesNotGiveItsKeyframeThatTime) {
  stream_time_t st{};
  EXPECT_EQ(stream_time_next(&st, kNow, true, kMono), kNow);
  const int64_t config = stream_time_next(&st, kNow, false, kMono + 40);
  EXPECT_GT(config, kNow);
  EXPECT_EQ(stream_time_next(&st, kNow, true, kMono + 40), config) << "it shares its config's";
}

// The session before ran 3 s ahead of our clock (a camera clock within the tolerance); the new
// one starts from arrival, 2.5 s before where the last ended. Its times go on from there, 1 ms
// later, then run a tenth slow until they meet the new session's own times.
TEST(LiveStreamTime, ANewSessionBehindTheLastNeverGoesBack) {
  stream_time_t st{};
  int64_t last = 0;
  for (int i = 0; i < 50; i++)
    last = stream_time_next(&st, kNow + 3000 + 40 * i, true, kMono + 40 * i);
  const int64_t restart = kNow + 40 * 50 + 500, mono = kMono + 40 * 50 + 500;  // half a second on
  EXPECT_EQ(stream_time_next(&st, restart, false, mono), last + 1);  // its configuration...
  EXPECT_EQ(stream_time_next(&st, restart, true, mono), last + 1);   // ...and keyframe
  int64_t prev = last + 1, t = 0;
  for (int i = 1; i < 1000; i++) {
    t = stream_time_next(&st, restart + 40 * i, true, mono + 40 * i);
    ASSERT_GT(t, prev) << "frame " << i;
    ASSERT_LE(t - prev, 40) << "frame " << i;
    prev = t;
  }
  EXPECT_EQ(t, restart + 40 * 999) << "never met the new session's times";
}

// Behind the last time out, the source's clock jumps 3 s ahead, still not past it (its camera
// clock took over): the times go on at our clock's pace, not 3 s further ahead of it.
TEST(LiveStreamTime, ASourceJumpingAheadMeanwhileIsNotFollowed) {
  stream_time_t st{};
  int64_t last = stream_time_next(&st, kNow + 5000, true, kMono);
  EXPECT_EQ(stream_time_next(&st, kNow + 40, true, kMono + 40), last + 1);
  int64_t t = stream_time_next(&st, kNow + 3080, true, kMono + 80);
  EXPECT_EQ(t, last + 1 + 36) << "a tenth slower than our clock's 40 ms";
  // Once the source's times pass the last one out, they go out as they are.
  EXPECT_EQ(stream_time_next(&st, kNow + 6000, true, kMono + 120), kNow + 6000);
  EXPECT_EQ(stream_time_next(&st, kNow + 6040, true, kMono + 160), kNow + 6040);
}

// A burst behind the last time out (frames that arrive at once) goes out 1 ms apart: our clock
// did not move.
TEST(LiveStreamTime, ABurstBehindTheLastComesOutAMillisecondApart) {
  stream_time_t st{};
  int64_t last = stream_time_next(&st, kNow + 2000, true, kMono);
  for (int i = 1; i <= 10; i++)
    EXPECT_EQ(stream_time_next(&st, kNow + 40 * i, true, kMono + 10), last + i);
}

}  // namespace
