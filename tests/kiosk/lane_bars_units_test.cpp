/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The bars a lane draws for its ranges (lane_bars.h): where they fall, their pixel minimum, the
// ranges out of view left out, and ranges that meet on screen drawn as one bar.
#include <gtest/gtest.h>

#include "lane_bars.h"

namespace {

// A view of 1000 ms over 100 px: 10 ms a pixel.
std::vector<LaneBar> bars(const std::vector<TimeRange> &ranges) {
  return laneBars(ranges, 1000, 1000, 100);
}

TEST(LaneBars, ARangeInViewIsABarAtItsPixels) {
  const auto b = bars({{1200, 1500}});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_DOUBLE_EQ(b[0].x, 20);
  EXPECT_DOUBLE_EQ(b[0].width, 30);
}

TEST(LaneBars, AnInstantIsAPixelWide) {
  const auto b = bars({{1500, 1500}});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_DOUBLE_EQ(b[0].x, 50);
  EXPECT_DOUBLE_EQ(b[0].width, 1);
}

TEST(LaneBars, RangesOutOfViewAreLeftOutAndEdgesClipped) {
  const auto b = bars({{0, 500}, {800, 1100}, {1900, 2500}, {2600, 3000}});
  ASSERT_EQ(b.size(), 2u);
  EXPECT_DOUBLE_EQ(b[0].x, -1);  // from before the view: from just off its left edge
  EXPECT_DOUBLE_EQ(b[0].x + b[0].width, 10);
  EXPECT_DOUBLE_EQ(b[1].x, 90);
  EXPECT_DOUBLE_EQ(b[1].x + b[1].width, 101);  // to just off its right edge
}

TEST(LaneBars, AGapOfAPixelOrMoreShowsAndRangesThatMeetOnScreenAreOneBar) {
  // 1200..1300 and 1320..1400: 2 px apart. The instant at 1402 is drawn a pixel wide, so 1405..
  // begins under it: one bar.
  const auto b = bars({{1200, 1300}, {1320, 1400}, {1402, 1402}, {1405, 1600}});
  ASSERT_EQ(b.size(), 3u);
  EXPECT_DOUBLE_EQ(b[0].x + b[0].width, 30);
  EXPECT_DOUBLE_EQ(b[1].x, 32);
  EXPECT_DOUBLE_EQ(b[1].x + b[1].width, 40);
  EXPECT_DOUBLE_EQ(b[2].x, 40.2);
  EXPECT_DOUBLE_EQ(b[2].x + b[2].width, 60);
}

TEST(LaneBars, ADayOfRangesNeverDrawsMoreBarsThanPixels) {
  std::vector<TimeRange> ranges;
  for (int64_t t = 0; t < 86400000; t += 4000) ranges.push_back({t, t + 1000});
  const auto b = laneBars(ranges, 0, 86400000, 1500);
  EXPECT_LE(b.size(), 1500u);
  EXPECT_GE(b.size(), 1u);
  // Zoomed to a minute: each range a bar of its own.
  EXPECT_EQ(laneBars(ranges, 39999500, 60000, 1500).size(), 15u);
}

TEST(LaneBars, NoViewNoBars) {
  EXPECT_TRUE(laneBars({{0, 10}}, 0, 0, 100).empty());
  EXPECT_TRUE(laneBars({{0, 10}}, 0, 100, 0).empty());
  EXPECT_TRUE(laneBars({}, 0, 100, 100).empty());
}

}  // namespace
