/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The wall's beat (live_pace.h): a camera's interval learnt from its pictures' times, the beat's
// period from the cameras' and the display's, and a tile's queue of pictures waiting for it.
#include <gtest/gtest.h>

#include <string>

#include "live_pace.h"

namespace {

TEST(FrameInterval, LearnsACamerasIntervalThroughJitter) {
  FrameInterval interval;
  EXPECT_EQ(interval.ms(), 0);
  interval.add(1000);
  EXPECT_EQ(interval.ms(), 0);  // one picture: no interval yet
  int64_t t = 1000;
  for (int i = 0; i < 200; i++) interval.add(t += (i % 2 ? 35 : 45));  // 25 fps, +-5 ms
  EXPECT_NEAR(interval.ms(), 40, 3);
}

TEST(FrameInterval, GapsAndTimesGoingBackDoNotCount) {
  FrameInterval interval;
  int64_t t = 5000;
  for (int i = 0; i < 50; i++) interval.add(t += 40);
  interval.add(t += 30000);  // the camera was away 30 s
  interval.add(t - 500);     // a late picture
  interval.add(t);           // the same time again
  EXPECT_NEAR(interval.ms(), 40, 0.01);
  for (int i = 0; i < 100; i++) interval.add(t += 20);  // it now sends 50 fps
  EXPECT_NEAR(interval.ms(), 20, 0.1);
}

TEST(BeatMs, NineTenthsOfTheFastestCamerasInterval) {
  EXPECT_EQ(beatMs({40, 40, 100, 0}, 60), 36);
  EXPECT_EQ(beatMs({33.3, 40}, 60), 30);
}

TEST(BeatMs, BoundedByTheDisplayAndTheLongestBeat) {
  EXPECT_EQ(beatMs({10}, 60), 17);  // a 100 fps camera: one display frame
  EXPECT_EQ(beatMs({5}, 144), 7);
  EXPECT_EQ(beatMs({1000}, 60), kLongestBeatMs);  // 1 fps: still a picture within 50 ms
  EXPECT_EQ(beatMs({}, 60), 17);                  // no camera known: the display's period
  EXPECT_EQ(beatMs({0, 0}, 50), 20);
  EXPECT_EQ(beatMs({}, 0), 17);  // a screen that says no rate counts as 60 Hz
  EXPECT_EQ(beatMs({}, 1000), 17);
}

TEST(BeatQueue, KeepsTwoInOrderAndDropsTheOldestForAThird) {
  BeatQueue<std::string> q;
  std::string out;
  EXPECT_FALSE(q.pop(&out));
  EXPECT_FALSE(q.push("a"));
  EXPECT_FALSE(q.push("b"));
  EXPECT_TRUE(q.push("c"));  // "a" goes
  ASSERT_EQ(q.size(), 2u);
  ASSERT_TRUE(q.pop(&out));
  EXPECT_EQ(out, "b");
  EXPECT_FALSE(q.push("d"));
  ASSERT_TRUE(q.pop(&out));
  EXPECT_EQ(out, "c");
  ASSERT_TRUE(q.pop(&out));
  EXPECT_EQ(out, "d");
  EXPECT_FALSE(q.pop(&out));
  q.push("e");
  q.clear();
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.pop(&out));
}

// A camera whose pictures come with jitter, on a beat of nine tenths its interval: every picture
// is shown, none waits more than two beats.
TEST(BeatQueue, ABeatAlittleFasterThanTheCameraShowsEveryPicture) {
  BeatQueue<int> q;
  const int beat = beatMs({40}, 60);
  int shown = 0, dropped = 0, next = 0, waited = 0;
  int64_t arrival = 0;
  for (int64_t now = 0; now < 60000; now += beat) {
    while (arrival <= now) {  // the pictures of this beat, each 40 +- 8 ms after the last
      dropped += q.push(next++);
      arrival += 40 + (next * 7919 % 17) - 8;
    }
    waited = std::max<int>(waited, static_cast<int>(q.size()));
    if (int p; q.pop(&p)) shown++;
  }
  EXPECT_EQ(dropped, 0);
  EXPECT_GE(shown, next - 2);
  EXPECT_LE(waited, 2);
}

}  // namespace
