// Decode times from presentation times (rtsp_reorder.h): RTP times B-frame streams by
// presentation only, and the record needs monotonic decode times plus offsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

extern "C" {
#include "rtsp_reorder.h"
}

namespace {

// Presentation times (in frame intervals) in decode order of libx264 -bf 3 with b-pyramid:
// I0 P4 B2 b1 b3 | P8 B6 b5 b7 | ...
std::vector<int64_t> pyramid_order(int gops) {
  std::vector<int64_t> out = {0};
  for (int g = 0; g < gops; g++) {
    const int64_t b = 4 * g;
    for (int64_t d : {4, 2, 1, 3}) out.push_back(b + d);
  }
  return out;
}

// Decodes in decode order with a decoder that holds `depth` pictures: the presentation time
// of the picture each frame releases (none for the first `depth` ones).
TEST(RtspReorder, DecodeTimesRiseStayBelowPresentationAndReleasePicturesOnTime) {
  const int64_t step = 40;
  const std::vector<int64_t> order = pyramid_order(25);
  rtsp_reorder_t r;
  rtsp_reorder_init(&r, 2);
  std::vector<int64_t> dts, held;
  for (size_t i = 0; i < order.size(); i++) {
    const int64_t pts = 1000 + step * order[i];
    dts.push_back(rtsp_reorder_dts(&r, pts, step));
    EXPECT_LE(dts.back(), pts) << "frame " << i;
    if (i) {
      EXPECT_GT(dts.back(), dts[i - 1]) << "frame " << i;
    }
    // A decoder of depth 2 gives out its smallest held picture once it holds three.
    held.push_back(pts);
    std::sort(held.begin(), held.end());
    if (held.size() > 2) {
      EXPECT_EQ(held.front(), dts.back())
          << "frame " << i << ": the picture it releases is due at its decode time";
      held.erase(held.begin());
    }
  }
  EXPECT_EQ(dts[0], 1000 - 2 * step) << "the first frames are spaced one interval apart";
  EXPECT_EQ(dts[1], 1000 - step);
}

TEST(RtspReorder, WithoutBFramesDecodeTimesArePresentationTimes) {
  rtsp_reorder_t r;
  rtsp_reorder_init(&r, 0);
  for (int i = 0; i < 50; i++) EXPECT_EQ(rtsp_reorder_dts(&r, 500 + 40 * i, 40), 500 + 40 * i);
}

TEST(RtspReorder, AStreamReorderingDeeperThanAnnouncedDeepensAndNeverGoesBack) {
  const std::vector<int64_t> order = pyramid_order(10);
  rtsp_reorder_t r;
  rtsp_reorder_init(&r, 0);  // announced none, reorders by 2
  int64_t last = INT64_MIN;
  for (int64_t p : order) {
    const int64_t dts = rtsp_reorder_dts(&r, 40 * p, 40);
    EXPECT_GE(dts, last);
    last = dts;
  }
  EXPECT_GE(r.depth, 2) << "the depth follows what the stream does";
}

TEST(RtspReorder, AMediaClockThatGoesBackIsPassedOnAsAJumpNotTakenForReordering) {
  for (int depth : {0, 2}) {
    rtsp_reorder_t r;
    rtsp_reorder_init(&r, depth);
    int64_t dts = 0;
    for (int i = 0; i < 100; i++) dts = rtsp_reorder_dts(&r, 60000 + 40 * i, 40);
    // The camera restarts its timestamps 30 s back: decode times jump back with them.
    const int64_t after = rtsp_reorder_dts(&r, 30000, 40);
    EXPECT_LE(after, 30000) << "depth " << depth;
    EXPECT_LT(after, dts - 20000) << "depth " << depth;
    EXPECT_EQ(r.depth, depth) << "not taken for deeper reordering";
    int64_t last = after;
    for (int i = 1; i < 50; i++) {
      const int64_t next = rtsp_reorder_dts(&r, 30000 + 40 * i, 40);
      EXPECT_GT(next, last);
      last = next;
    }
  }
}

}  // namespace
