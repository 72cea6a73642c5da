// Decode times from presentation times (rtsp_reorder.h): RTP times B-frame streams by
// presentation only, and the record needs monotonic decode times plus offsets. And those
// presentation times kept on their grid across libavformat's jump (rtsp_rebase.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

extern "C" {
#include "rtsp_rebase.h"
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

// libavformat's times `seen`, in decode order, through rtsp_rebase at 25 fps, each frame with
// the 3 after it as those already queued.
std::vector<int64_t> rebased(const std::vector<int64_t> &seen) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b);
  std::vector<int64_t> out;
  for (size_t i = 0; i < seen.size(); i++) {
    int64_t next[3];
    unsigned k = 0;
    for (size_t j = i + 1; j < seen.size() && k < 3; j++) next[k++] = seen[j];
    out.push_back(rtsp_rebase_pts(&b, seen[i], 40, next, k));
  }
  return out;
}

// libavformat's jump at the first sender report, as VLC's server gives it: 27 ms back at 25 fps,
// in the middle of a GOP. Taken out, the times stay on the grid, each picture on its own slot,
// and the decode times derived from them rise by one interval each.
TEST(RtspRebase, AJumpOffTheGridIsTakenOut) {
  const int64_t step = 40;
  const std::vector<int64_t> order = pyramid_order(25);
  std::vector<int64_t> seen;
  for (size_t i = 0; i < order.size(); i++)
    seen.push_back(1000 + step * order[i] - (i >= 42 ? 27 : 0));
  std::vector<int64_t> shown = rebased(seen);
  rtsp_reorder_t r;
  rtsp_reorder_init(&r, 2);
  int64_t prev_dts = 0;
  for (size_t i = 0; i < shown.size(); i++) {
    EXPECT_EQ((shown[i] - 1000) % step, 0) << "frame " << i << " off the grid";
    const int64_t dts = rtsp_reorder_dts(&r, shown[i], step);
    if (i > 0) {
      EXPECT_EQ(dts - prev_dts, step) << "frame " << i;
    }
    prev_dts = dts;
  }
  std::sort(shown.begin(), shown.end());
  for (size_t i = 1; i < shown.size(); i++) EXPECT_EQ(shown[i] - shown[i - 1], step);
}

// A jump of more than an interval, as VLC gave one (187 ms back, after a P-frame): the B-frames
// still due before it find their slots, and those after go on from there.
TEST(RtspRebase, AJumpOfSeveralIntervalsFindsTheSlotsStillDue) {
  const std::vector<int64_t> order = pyramid_order(25);
  std::vector<int64_t> want;
  for (int64_t o : order) want.push_back(40 * o);
  for (size_t at : {size_t(40), size_t(41), size_t(42), size_t(43)}) {
    std::vector<int64_t> seen = want;
    for (size_t i = at; i < seen.size(); i++) seen[i] -= 187;
    EXPECT_EQ(rebased(seen), want) << "jump at frame " << at;
  }
}

// A jump of exactly one interval, as VLC gave it in two recordings (libavformat's times, in
// decode order, around its first sender report): the times stay on the grid but a B-frame lands
// on a slot already shown. Moved with the frames after it, every picture gets its own slot.
TEST(RtspRebase, AJumpOfWholeIntervalsOntoShownSlotsIsTakenOut) {
  const std::vector<std::vector<int64_t>> seen = {
      {3880, 3840, 3920, 4000, 4080, 4040, 4160, 4120, 4280, 4200, 4240, 4400, 4320, 4320,
       4440, 4400, 4600, 4520, 4480, 4560, 4760, 4680, 4640, 4720, 4920, 4840, 4800, 4880},
      {3840, 3920, 4000, 3960, 4080, 4040, 4200, 4120, 4160, 4320, 4240, 4280, 4400, 4320,
       4520, 4440, 4400, 4480, 4680, 4600, 4560, 4640, 4840, 4760, 4720, 4800, 4920, 4880}};
  for (const std::vector<int64_t> &raw : seen) {
    std::vector<int64_t> want = raw;
    for (size_t i = 13; i < want.size(); i++) want[i] += 40;
    EXPECT_EQ(rebased(raw), want);
  }
}

// A media clock that starts over (a second or more back) is a new grid, not a jump.
TEST(RtspRebase, AMediaClockThatStartsOverIsLeftToTheReordering) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b);
  for (int i = 0; i < 50; i++) EXPECT_EQ(rtsp_rebase_pts(&b, 40 * i, 40, nullptr, 0), 40 * i);
  for (int i = 0; i < 50; i++)
    EXPECT_EQ(rtsp_rebase_pts(&b, 7 + 40 * i, 40, nullptr, 0), 7 + 40 * i);
}

// A jump onto the slot after (13 ms forward): the slot before is the previous picture's.
TEST(RtspRebase, AJumpGoesToTheFreeSlot) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b);
  for (int i = 0; i < 10; i++) EXPECT_EQ(rtsp_rebase_pts(&b, 40 * i, 40, nullptr, 0), 40 * i);
  EXPECT_EQ(rtsp_rebase_pts(&b, 40 * 10 - 27, 40, nullptr, 0), 400);
  EXPECT_EQ(rtsp_rebase_pts(&b, 40 * 11 - 27, 40, nullptr, 0), 440);
}

// Rounding and jitter within a quarter interval, a stream of unknown rate, and one that is on
// no grid (15 fps on a 25 fps interval) pass as they are.
TEST(RtspRebase, TimesOffNoGridPassAsTheyAre) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b);
  for (int i = 0; i < 30; i++)
    EXPECT_EQ(rtsp_rebase_pts(&b, (100 * i) / 3, 100.0 / 3, nullptr, 0), (100 * i) / 3);
  rtsp_rebase_init(&b);
  for (int i = 0; i < 20; i++) {
    const int64_t jitter = (i * 7) % 9 - 4;
    EXPECT_EQ(rtsp_rebase_pts(&b, 2000 + 33 * i + jitter, 33, nullptr, 0), 2000 + 33 * i + jitter);
  }
  rtsp_rebase_init(&b);
  for (int i = 0; i < 20; i++)
    EXPECT_EQ(rtsp_rebase_pts(&b, 40 * i + 13, 0, nullptr, 0), 40 * i + 13);
  rtsp_rebase_init(&b);
  int moved = 0;
  for (int i = 0; i < 60; i++)
    moved += rtsp_rebase_pts(&b, (200 * i) / 3, 40, nullptr, 0) != (200 * i) / 3;
  EXPECT_LE(moved, 1) << "a stream on no grid is left alone";
}

}  // namespace
