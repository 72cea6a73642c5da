// A camera's times across reconnects (threads/stream_time.h): never back, configurations with
// their keyframes, and a lead worked off rather than kept.
#include <gtest/gtest.h>

extern "C" {
#include "threads/stream_time.h"
}

namespace {

constexpr int64_t kNow = 1700000000000;

TEST(LiveStreamTime, RisingTimesPassUnchanged) {
  stream_time_t st{};
  for (int i = 0; i < 100; i++)
    EXPECT_EQ(stream_time_next(&st, kNow + 40 * i, true), kNow + 40 * i);
}

TEST(LiveStreamTime, AConfigurationKeepsItsKeyframesTime) {
  stream_time_t st{};
  EXPECT_EQ(stream_time_next(&st, kNow, false), kNow);
  EXPECT_EQ(stream_time_next(&st, kNow, true), kNow);
  EXPECT_EQ(stream_time_next(&st, kNow + 40, true), kNow + 40);
  // Two encoded frames with one time: the second comes 1 ms later.
  EXPECT_EQ(stream_time_next(&st, kNow + 40, true), kNow + 41);
}

// The session before ran 3 s ahead of our clock (a camera clock within the tolerance); the new
// one starts from arrival, 2.5 s before where the last ended. Its times go on from there, 1 ms
// later, then run a tenth slow until they meet the new session's own times.
TEST(LiveStreamTime, ANewSessionBehindTheLastNeverGoesBack) {
  stream_time_t st{};
  int64_t last = 0;
  for (int i = 0; i < 50; i++) last = stream_time_next(&st, kNow + 3000 + 40 * i, true);
  const int64_t restart = kNow + 40 * 50 + 500;                // the reconnect took half a second
  EXPECT_EQ(stream_time_next(&st, restart, false), last + 1);  // its configuration...
  EXPECT_EQ(stream_time_next(&st, restart, true), last + 1);   // ...and keyframe
  int64_t prev = last + 1, t = 0;
  for (int i = 1; i < 1000; i++) {
    t = stream_time_next(&st, restart + 40 * i, true);
    ASSERT_GT(t, prev) << "frame " << i;
    ASSERT_LE(t - prev, 40) << "frame " << i;
    prev = t;
  }
  EXPECT_EQ(t, restart + 40 * 999) << "the lead was never worked off";
}

// The new session's times jump ahead of the last one out (its camera clock took over): they go
// out as they are, without the lead on top.
TEST(LiveStreamTime, TimesThatCatchUpDropTheLead) {
  stream_time_t st{};
  EXPECT_EQ(stream_time_next(&st, kNow + 3000, true), kNow + 3000);
  EXPECT_EQ(stream_time_next(&st, kNow + 500, true), kNow + 3001);
  EXPECT_EQ(stream_time_next(&st, kNow + 3540, true), kNow + 3540);
  EXPECT_EQ(stream_time_next(&st, kNow + 3580, true), kNow + 3580);
}

}  // namespace
