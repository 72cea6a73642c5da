/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Decode times from presentation times (rtsp_reorder.h): RTP times B-frame streams by
// presentation only, and the record needs monotonic decode times plus offsets. And those
// presentation times kept on their grid across libavformat's jump (rtsp_rebase.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
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

// Feeds frames (libavformat's times, decode order) to `b` as the reader gives them from a camera
// sending in real time: each with none after it here, or as many as rtsp_rebase_wants asks for
// (all there are at the end). The times given out.
std::vector<int64_t> feed(rtsp_rebase_t *b, const std::vector<int64_t> &seen) {
  std::vector<int64_t> out;
  for (size_t i = 0; i < seen.size(); i++) {
    const unsigned left = static_cast<unsigned>(seen.size() - i - 1);
    const int64_t *next = seen.data() + i + 1;
    unsigned k = 0;
    for (unsigned want; (want = rtsp_rebase_wants(b, seen[i], next, k)) > k && k < left;)
      k = std::min(want, left);
    out.push_back(rtsp_rebase_pts(b, seen[i], next, k));
  }
  return out;
}

// `seen` through rtsp_rebase at 25 fps with reordering depth 2. `jumped`: the session has jumped
// twice already (its first sender report, and a later one: a server that jumps at every report),
// 10 minutes of media time on.
std::vector<int64_t> rebased(const std::vector<int64_t> &seen, bool jumped = false) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b, 40, 2);
  if (jumped) {
    const std::vector<int64_t> order = pyramid_order(15);
    std::vector<int64_t> before;
    for (size_t i = 0; i < order.size(); i++)
      before.push_back(600000 + 40 * order[i] - (i >= 20 ? 27 : 0) + (i >= 40 ? 27 : 0));
    feed(&b, before);
    EXPECT_EQ(b.jumps, RTSP_REBASE_JUMPY);
  }
  return feed(&b, seen);
}

// `times` moved by `delta` ms from frame `at` on: a jump made, or one taken out.
std::vector<int64_t> moved_from(std::vector<int64_t> times, size_t at, int64_t delta) {
  for (size_t i = at; i < times.size(); i++) times[i] += delta;
  return times;
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
    EXPECT_EQ(rebased(moved_from(want, at, -187)), want) << "jump at frame " << at;
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
  for (const std::vector<int64_t> &raw : seen) EXPECT_EQ(rebased(raw), moved_from(raw, 13, 40));
}

// Jumps at later sender reports of VLC's server (libavformat's times in decode order, 16 frames
// each side, from recordings whose frames were matched to the clip served): forward ones, which
// land on free slots on the grid and would leave slots no picture fills (113, 127, 153, 163 ms),
// one interval back onto a slot not shown yet, where only the frames after it tell where the jump
// starts, and one smaller than a quarter interval (7 ms).
TEST(RtspRebase, JumpsAtLaterSenderReportsAreTakenOut) {
  struct recorded {
    std::vector<int64_t> seen;
    int64_t delta;
  };
  const std::vector<recorded> jumps = {
      {{9860,  9940,  10140, 10060, 10020, 10100, 10300, 10220, 10180, 10260, 10460,
        10380, 10340, 10420, 10620, 10540, 10613, 10693, 10893, 10813, 10773, 10853,
        10973, 10933, 11133, 11053, 11013, 11093, 11293, 11213, 11173, 11253},
       113},
      {{9680,  9840,  9760,  9800,  9880,  9920,  10000, 9960,  10160, 10080, 10040,
        10120, 10320, 10240, 10200, 10280, 10607, 10527, 10487, 10567, 10767, 10687,
        10647, 10727, 10927, 10847, 10807, 10887, 11087, 11007, 10967, 11047},
       127},
      {{50060, 49980, 49940, 50020, 50220, 50140, 50100, 50180, 50380, 50300, 50260,
        50340, 50540, 50460, 50420, 50500, 50853, 50773, 50733, 50813, 51013, 50933,
        50893, 50973, 51173, 51093, 51053, 51133, 51333, 51253, 51213, 51293},
       153},
      {{19450, 19610, 19530, 19570, 19690, 19650, 19730, 19810, 19770, 19890, 19850,
        20010, 19930, 19970, 20090, 20050, 20373, 20293, 20333, 20533, 20453, 20413,
        20493, 20693, 20613, 20573, 20653, 20853, 20773, 20733, 20813, 20973},
       163},
      {{39813, 39733, 39693, 39773, 39893, 39853, 39933, 40093, 40013, 39973, 40053,
        40213, 40133, 40173, 40293, 40253, 40413, 40333, 40293, 40373, 40573, 40493,
        40453, 40533, 40733, 40653, 40613, 40693, 40893, 40813, 40773, 40853},
       -40},
      {{44647, 44847, 44767, 44727, 44807, 44967, 44887, 44927, 45087, 45007, 45047,
        45247, 45167, 45127, 45207, 45407, 45320, 45280, 45360, 45480, 45440, 45640,
        45560, 45520, 45600, 45800, 45720, 45680, 45760, 45840, 45880, 46040},
       -7}};
  for (const recorded &r : jumps)
    EXPECT_EQ(rebased(r.seen, true), moved_from(r.seen, 16, -r.delta)) << "jump of " << r.delta;
}

// A frame on its slot with nothing against it goes without waiting (a held frame holds the sound
// queued behind it); one off its slot asks for the reordering depth and one more after it, and
// so does every frame of a stream that jumped RTSP_REBASE_JUMPY times.
TEST(RtspRebase, OnlyAFrameThatTellsOfAJumpWaitsForMore) {
  const std::vector<int64_t> order = pyramid_order(5);
  rtsp_rebase_t b;
  rtsp_rebase_init(&b, 40, 2);
  for (size_t i = 0; i < order.size(); i++) {
    EXPECT_EQ(rtsp_rebase_wants(&b, 40 * order[i], nullptr, 0), 0u) << "frame " << i;
    rtsp_rebase_pts(&b, 40 * order[i], nullptr, 0);
  }
  EXPECT_EQ(rtsp_rebase_wants(&b, 40 * 24 - 27, nullptr, 0), 3u);
  // A stream that jumped twice: a frame on its slot waits too, then goes with those after it.
  b.jumps = RTSP_REBASE_JUMPY;
  const int64_t next[3] = {40 * 22, 40 * 21, 40 * 23};
  EXPECT_EQ(rtsp_rebase_wants(&b, 40 * 24, nullptr, 0), 3u);
  EXPECT_EQ(rtsp_rebase_wants(&b, 40 * 24, next, 3), 3u);
}

// A media clock that starts over (a second or more back) is a new grid, not a jump.
TEST(RtspRebase, AMediaClockThatStartsOverIsLeftToTheReordering) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b, 40, 2);
  for (int i = 0; i < 50; i++) EXPECT_EQ(rtsp_rebase_pts(&b, 40 * i, nullptr, 0), 40 * i);
  for (int i = 0; i < 50; i++) EXPECT_EQ(rtsp_rebase_pts(&b, 7 + 40 * i, nullptr, 0), 7 + 40 * i);
}

// A jump onto the slot after (13 ms forward): the slot before is the previous picture's.
TEST(RtspRebase, AJumpGoesToTheFreeSlot) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b, 40, 2);
  for (int i = 0; i < 10; i++) EXPECT_EQ(rtsp_rebase_pts(&b, 40 * i, nullptr, 0), 40 * i);
  EXPECT_EQ(rtsp_rebase_pts(&b, 40 * 10 - 27, nullptr, 0), 400);
  EXPECT_EQ(rtsp_rebase_pts(&b, 40 * 11 - 27, nullptr, 0), 440);
}

// A frame lost on the way leaves its slot free: the frames after it keep their times, and the
// slot is given up (a later jump is still told).
TEST(RtspRebase, ALostFrameMovesNothing) {
  const std::vector<int64_t> order = pyramid_order(25);
  std::vector<int64_t> seen;
  for (size_t i = 0; i < order.size(); i++)
    if (i != 30) seen.push_back(40 * order[i]);
  EXPECT_EQ(rebased(seen), seen);
  EXPECT_EQ(rebased(moved_from(seen, 70, -27)), seen);
}

// Rounding passes as it is and jitter within a quarter interval is put on the grid; a stream of
// unknown rate, and one that is on no grid (15 fps on a 25 fps interval), pass as they are.
TEST(RtspRebase, TimesOffNoGridPassAsTheyAre) {
  rtsp_rebase_t b;
  rtsp_rebase_init(&b, 100.0 / 3, 2);
  for (int i = 0; i < 30; i++)
    EXPECT_EQ(rtsp_rebase_pts(&b, (100 * i) / 3, nullptr, 0), (100 * i) / 3);
  rtsp_rebase_init(&b, 33, 2);
  int64_t prev = 0;
  for (int i = 0; i < 40; i++) {
    const int64_t jitter = (i * 7) % 9 - 4, seen = 2000 + 33 * i + jitter;
    const int64_t shown = rtsp_rebase_pts(&b, seen, nullptr, 0);
    EXPECT_LE(std::abs(shown - seen), 33 / 4) << "frame " << i;
    if (i > RTSP_REBASE_STEADY) {
      EXPECT_NEAR(shown - prev, 33, 2 * RTSP_REBASE_SNAP_MS) << "frame " << i;
    }
    prev = shown;
  }
  rtsp_rebase_init(&b, 0, 2);
  for (int i = 0; i < 20; i++) EXPECT_EQ(rtsp_rebase_pts(&b, 40 * i + 13, nullptr, 0), 40 * i + 13);
  rtsp_rebase_init(&b, 40, 2);
  int moved = 0;
  for (int i = 0; i < 60; i++)
    moved += rtsp_rebase_pts(&b, (200 * i) / 3, nullptr, 0) != (200 * i) / 3;
  EXPECT_EQ(moved, 0) << "a stream on no grid is left alone";
}

}  // namespace
