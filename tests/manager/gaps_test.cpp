/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Gaps in playback (issue 18): playing into a time no mapped stream recorded jumps the clock to
// the next recorded time of any stream, and a gap of one stream only is played through; with
// valkka_manager_set_gaps(REAL_TIME) the clock runs on through the gap instead.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

// The recording: a session with stream 1 for 3 s and stream 2 for 5 s (stream 1's own gap from
// 3 s to 5 s), the recorder off for 55 s, then a session with stream 2 from 60 s, stream 1 from
// 62 s. Every stream at 25 fps.
constexpr int64_t kEnd1 = kT0 + 3000;        // after stream 1's last frame of session 1
constexpr int64_t kLast2 = kT0 + 20 + 4960;  // stream 2's last frame of session 1
constexpr int64_t kResume = kT0 + 60000;     // the first frame of session 2 (stream 2's)
// Only a failing run waits this long; a working one jumps within a heartbeat of kLast2.
constexpr auto kPatience = 30s;

struct GapSession {
  TempDir tmp;
  Clip clips[2];
  valkka_manager_t *m = nullptr;
  Collector c;
  void open() {
    for (int i = 0; i < 2; i++) {
      clips[i] = make_clip(20 + i, 25, 50);
      ASSERT_FALSE(clips[i].packets.empty());
    }
    const std::string dir = tmp.sub("fs");
    ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 64), 0) << valkka_last_error();
    for (int session = 0; session < 2; session++) {  // closed in between: the recorder restarted
      valkka_fs_t *fs = open_fs(dir);
      ASSERT_NE(fs, nullptr);
      if (session == 0)
        record(fs, {{1, &clips[0], kT0, 40, 75}, {2, &clips[1], kT0 + 20, 40, 125}}, nullptr);
      else
        record(fs, {{1, &clips[0], kResume + 2000, 40, 75}, {2, &clips[1], kResume, 40, 75}},
               nullptr);
      valkka_fs_close(fs);
    }
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    m = create_manager(0);
    ASSERT_NE(m, nullptr);
    valkka_fs_t *fs = nullptr;
    ASSERT_EQ(valkka_manager_open_fs(m, dir.c_str(), nullptr, nullptr, &fs), 0);
    ASSERT_EQ(valkka_manager_set_time_callback(m, Collector::time, &c), 0);
    for (uint32_t id = 1; id <= 2; id++)
      ASSERT_EQ(valkka_manager_map(m, fs, VALKKA_MANAGER_NO_SLOT, id, id, Collector::output, &c),
                0);
  }
  ~GapSession() { valkka_manager_destroy(m); }
};

bool any_between(const std::vector<int64_t> &times, int64_t after, int64_t before) {
  return std::any_of(times.begin(), times.end(),
                     [&](int64_t t) { return t > after && t < before; });
}

}  // namespace

TEST(ManagerGaps, PlayingJumpsAGapOfEveryStreamToTheNextRecording) {
  GapSession s;
  s.open();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(seek_and_wait(s.m, kT0 + 2000));
  s.c.clear();
  ASSERT_EQ(valkka_manager_play(s.m, 1.0), 0);
  // 58 s of empty time at 1x: only a jump gets there within the patience.
  ASSERT_TRUE(s.c.wait_for(
      [&] {
        for (const Shown &p : s.c.shown())
          if (p.mstime >= kResume) return true;
        return false;
      },
      kPatience))
      << "current " << state_of(s.m).current_ms - kT0;
  const std::vector<int64_t> beats = s.c.heartbeats();
  // Stream 2 was recorded through stream 1's gap: the clock ran through it.
  EXPECT_TRUE(any_between(beats, kEnd1 + 200, kLast2 - 200));
  // Not through the gap of both: the clock left kLast2 for kResume at once (a heartbeat period
  // is at most 50 ms of playback time at 1x).
  EXPECT_FALSE(any_between(beats, kLast2 + 200, kResume)) << "the clock ran into the gap";
  // Still playing after the jump's seek (published once its pictures are out).
  EXPECT_TRUE(wait_state(
      s.m, [](const valkka_manager_state_t &st) { return st.state == VALKKA_PLAYBACK_PLAYING; },
      kPatience));
}

TEST(ManagerGaps, RealTimeRunsTheClockThroughTheGap) {
  GapSession s;
  s.open();
  if (HasFatalFailure()) return;
  ASSERT_EQ(valkka_manager_set_gaps(s.m, VALKKA_MANAGER_GAPS_REAL_TIME), 0);
  ASSERT_TRUE(seek_and_wait(s.m, kT0 + 4500));
  s.c.clear();
  ASSERT_EQ(valkka_manager_play(s.m, 2.0), 0);
  ASSERT_TRUE(s.c.wait_for([&] { return any_between(s.c.heartbeats(), kLast2 + 1500, kResume); },
                           kPatience))
      << "current " << state_of(s.m).current_ms - kT0;
  // Nothing of session 2 shown while the clock is in the gap.
  for (const Shown &p : s.c.shown()) EXPECT_LE(p.mstime, kLast2);
  // Back to jumping: the clock leaves the gap at the next heartbeat, long before running through
  // the 50 s of it left would take at 2x (25 s).
  ASSERT_EQ(valkka_manager_set_gaps(s.m, VALKKA_MANAGER_GAPS_JUMP), 0);
  EXPECT_TRUE(s.c.wait_for(
      [&] {
        const std::vector<int64_t> beats = s.c.heartbeats();
        return !beats.empty() && beats.back() >= kResume;
      },
      10s));
}

TEST(ManagerGaps, SetGapsRefusesBadInput) {
  EXPECT_EQ(valkka_manager_set_gaps(nullptr, VALKKA_MANAGER_GAPS_JUMP), VALKKA_EINVAL);
  valkka_manager_t *m = create_manager(1);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(valkka_manager_set_gaps(m, static_cast<valkka_manager_gaps_t>(7)), VALKKA_EINVAL);
  valkka_manager_destroy(m);
}
