/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Playback on one clock: at 1x and 4x every presented frame of every stream lies within one frame
// interval behind the heartbeat that preceded it; frames come in mstime order; heartbeats rise;
// the clock keeps pace with ours times the speed; the time-limits callback reports the cached
// range, which follows the playhead (old blocks are evicted). Also FAST (as fast as possible)
// playback presents every frame, and step moves every stream by one of its frames.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

const int64_t kInterval = 40;
// How long a wait may take before the test fails: only a failing run waits this long.
constexpr auto kPatience = 60s;

struct Session {
  FourStreams mat;
  valkka_manager_t *m = nullptr;
  Collector c;
  void open() {
    make_four_streams(mat);
    if (::testing::Test::HasFatalFailure()) return;
    m = valkka_manager_create(nullptr);
    ASSERT_NE(m, nullptr) << valkka_last_error();
    valkka_fs_t *multi = nullptr, *single = nullptr;
    ASSERT_EQ(valkka_manager_open_fs(m, mat.multi.c_str(), nullptr, nullptr, &multi), 0);
    ASSERT_EQ(valkka_manager_open_fs(m, mat.single.c_str(), nullptr, nullptr, &single), 0);
    ASSERT_EQ(valkka_manager_set_time_callback(m, Collector::time, &c), 0);
    ASSERT_EQ(valkka_manager_set_time_limits_callback(m, Collector::limits, &c), 0);
    for (uint32_t id = 1; id <= 3; id++)
      ASSERT_EQ(valkka_manager_map(m, multi, VALKKA_MANAGER_NO_SLOT, id, id, Collector::output, &c),
                0);
    ASSERT_EQ(valkka_manager_map(m, single, VALKKA_MANAGER_NO_SLOT, 4, 4, Collector::output, &c),
              0);
  }
  ~Session() { valkka_manager_destroy(m); }
};

// Waits until FAST playback reached the end of the recording, however slowly the machine decodes:
// false only when the playhead stood still for kPatience.
bool played_to_end(valkka_manager_t *m) {
  for (;;) {
    const int64_t at = state_of(m).current_ms;
    if (!wait_state(
            m, [&](const valkka_manager_state_t &st) { return st.at_end || st.current_ms != at; },
            kPatience))
      return false;
    if (state_of(m).at_end) return true;
  }
}

// Heartbeats at which stream `id` had a frame fall due (one after the heartbeat before): at each
// the stream presents its newest due picture, unless its decoder fell behind.
int ticks_with_frames(const Oracle &oracle, uint32_t id, const std::vector<int64_t> &beats) {
  const std::vector<int64_t> &times = oracle.times.at(id);
  int ticks = 0;
  for (size_t i = 1; i < beats.size(); i++) {
    auto due = std::upper_bound(times.begin(), times.end(), beats[i - 1]);
    if (due != times.end() && *due <= beats[i]) ticks++;
  }
  return ticks;
}

// Plays `span_ms` of playback time at `speed` and checks what was presented against the
// heartbeats, and the clock's pace against our clock over the same time.
void play_and_check(Session &s, double speed, int64_t span_ms) {
  s.c.clear();
  const int64_t start = state_of(s.m).current_ms;
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_EQ(valkka_manager_play(s.m, speed), 0);
  ASSERT_TRUE(wait_state(
      s.m, [&](const valkka_manager_state_t &st) { return st.current_ms >= start + span_ms; },
      kPatience))
      << "the clock did not run " << span_ms << " ms at speed " << speed;
  ASSERT_EQ(valkka_manager_pause(s.m), 0);
  ASSERT_TRUE(wait_state(
      s.m, [](const valkka_manager_state_t &st) { return st.state == VALKKA_PLAYBACK_PAUSED; },
      kPatience));
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - asked).count();
  const int64_t end = state_of(s.m).current_ms;
  // The clock is our clock times `speed` from play to pause, which lie inside the time measured
  // here: it never gets ahead of that. It does not wait for decoders, only for blocks not loaded
  // yet: a loaded machine holds it back by far less than half.
  EXPECT_LE(end - start, (int64_t)(wall_ms * speed) + kInterval) << "speed " << speed;
  EXPECT_GE(end - start, (int64_t)(wall_ms * speed / 2)) << "speed " << speed;

  std::vector<Shown> shown = s.c.shown();
  std::map<uint32_t, int> per_stream;
  int64_t previous = 0;
  for (const Shown &f : shown) {
    ASSERT_GT(f.heartbeat, 0) << "a picture before any heartbeat";
    EXPECT_LE(f.mstime, f.heartbeat) << "stream " << f.stream_id << " ahead of the clock";
    EXPECT_LT(f.heartbeat - f.mstime, kInterval) << "stream " << f.stream_id << " behind the clock";
    EXPECT_GE(f.mstime, previous) << "presented out of mstime order";
    previous = f.mstime;
    per_stream[f.stream_id]++;
  }
  // Each stream shows its newest due picture at every heartbeat where one of its frames fell due:
  // at least half of those (its decoder may fall behind), never more than its frames of the span.
  // Counted by heartbeats, not by frames: a loaded machine holds the thread up and the clock then
  // jumps over frames, which are skipped.
  std::vector<int64_t> beats = s.c.heartbeats();
  ASSERT_FALSE(beats.empty());
  for (uint32_t id = 1; id <= 4; id++) {
    const int ticks = ticks_with_frames(s.mat.oracle, id, beats);
    EXPECT_GT(ticks, 0) << "stream " << id << " had no frame due at speed " << speed;
    EXPECT_GE(per_stream[id], ticks / 2) << "stream " << id << " at speed " << speed;
    EXPECT_LE(per_stream[id], (end - start) / kInterval + 1) << "stream " << id;
  }

  // The heartbeat never goes back while the clock runs. How many come per second of playback
  // time is not checked: frames fall due here every 10 ms of it, so every tick of the thread
  // presents and sends one, and its 20 ms wiring tick alone makes 12 a playback second at 4x;
  // fewer only ever meant a machine that held the thread up (ThreadSanitizer under load: 6).
  EXPECT_TRUE(std::is_sorted(beats.begin(), beats.end())) << "speed " << speed;
  EXPECT_GT(beats.size(), 1u) << "speed " << speed;
}

}  // namespace

TEST(ManagerPlay, StreamsStayOnOneClockAt1xAnd4x) {
  Session s;
  s.open();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(seek_and_wait(s.m, kT0 + 1000));
  play_and_check(s, 1.0, 1500);
  if (HasFatalFailure()) return;
  play_and_check(s, 4.0, 6000);
  if (HasFatalFailure()) return;

  // Time limits: once the loading around the paused playhead settles, the last value reported is
  // the cached range, which holds the playhead's frames.
  valkka_manager_state_t st{};
  std::vector<std::pair<int64_t, int64_t>> limits;
  EXPECT_TRUE(s.c.wait_for(
      [&] {
        st = state_of(s.m);
        limits = s.c.limit_values();
        return !limits.empty() && limits.back().first == st.cached_first_ms &&
               limits.back().second == st.cached_last_ms && st.cached_last_ms >= st.current_ms;
      },
      kPatience))
      << "cached " << st.cached_first_ms << ".." << st.cached_last_ms << ", reported "
      << (limits.empty() ? 0 : limits.back().first) << ".."
      << (limits.empty() ? 0 : limits.back().second) << ", playhead " << st.current_ms;
  for (uint32_t id = 1; id <= 4; id++) {
    int64_t at = s.mat.oracle.frame_at(id, st.current_ms);
    EXPECT_LE(st.cached_first_ms, at) << "stream " << id;
  }
  EXPECT_EQ(st.decode_errors, 0u);
  EXPECT_FALSE(s.c.bad_picture());
}

TEST(ManagerPlay, FastPlaybackPresentsEveryFrameInOrderToTheEnd) {
  Session s;
  s.open();
  if (HasFatalFailure()) return;
  const int64_t from = kT0 + 6000;
  ASSERT_TRUE(seek_and_wait(s.m, from));
  s.c.clear();
  ASSERT_EQ(valkka_manager_play(s.m, VALKKA_MANAGER_SPEED_FAST), 0);
  ASSERT_TRUE(played_to_end(s.m)) << "the playhead stopped before the end";
  EXPECT_EQ(state_of(s.m).current_ms, s.mat.oracle.last());
  std::vector<Shown> shown = s.c.shown();
  std::map<uint32_t, std::vector<int64_t>> got;
  int64_t previous = 0;
  for (const Shown &f : shown) {
    EXPECT_GE(f.mstime, previous);
    previous = f.mstime;
    got[f.stream_id].push_back(f.mstime);
  }
  for (uint32_t id = 1; id <= 4; id++) {
    std::vector<int64_t> want;
    for (int64_t t : s.mat.oracle.times.at(id))
      if (t > from) want.push_back(t);
    EXPECT_EQ(got[id], want) << "stream " << id;
  }
  EXPECT_EQ(state_of(s.m).decode_errors, 0u);
}

// Bounded memory: while a long recording plays, the cache holds the blocks around the playhead
// only; the time-limits callback shows the window moving along.
TEST(ManagerPlay, CacheWindowFollowsThePlayhead) {
  TempDir tmp;
  Clip clip = make_clip(21, 25, 50, 640, 360);  // bigger frames: blocks of about 2 s
  const std::string dir = tmp.sub("long");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 128), 0);
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  Oracle oracle;
  record(fs, {{1, &clip, kT0, 40, 3000}}, &oracle);  // 120 s
  valkka_fs_close(fs);
  Collector c;  // outlives the manager, whose thread calls it
  std::unique_ptr<valkka_manager_t, void (*)(valkka_manager_t *)> manager(
      valkka_manager_create(nullptr), valkka_manager_destroy);
  valkka_manager_t *m = manager.get();
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(valkka_manager_open_fs(m, dir.c_str(), nullptr, nullptr, &fs), 0);
  ASSERT_EQ(valkka_manager_set_time_limits_callback(m, Collector::limits, &c), 0);
  ASSERT_EQ(valkka_manager_map(m, fs, VALKKA_MANAGER_NO_SLOT, 1, 1, Collector::output, &c), 0);
  ASSERT_TRUE(seek_and_wait(m, kT0));
  ASSERT_EQ(valkka_manager_play(m, VALKKA_MANAGER_SPEED_FAST), 0);
  ASSERT_TRUE(played_to_end(m)) << "the playhead stopped before the end";
  std::vector<std::pair<int64_t, int64_t>> limits = c.limit_values();
  ASSERT_GT(limits.size(), 5u);
  // At most the playhead's GOP run plus 2 blocks ahead (the default window) and the block being
  // dropped: a few blocks, whatever the length of the recording.
  int64_t longest_block = 0;
  int n_used = 0;
  valkka_fs_block_t table[128];
  table[0].struct_size = sizeof table[0];
  ASSERT_EQ(valkka_fs_read_table(fs, table, 128), 128);
  for (const auto &b : table)
    if (!(b.flags & VALKKA_FS_BLOCK_VOID))
      longest_block = std::max(longest_block, b.max_ms - b.min_ms), n_used++;
  ASSERT_GT(n_used, 15);
  int64_t widest = 0;
  for (const auto &l : limits) widest = std::max(widest, l.second - l.first);
  EXPECT_LE(widest, 5 * (longest_block + 40))
      << "the cache should hold a few blocks, not the recording";
  EXPECT_GT(limits.back().first, kT0 + 80000);
  EXPECT_EQ(limits.back().second, oracle.last());
  EXPECT_EQ(c.shown().size(), 3000u);
}

TEST(ManagerPlay, StepMovesEveryStreamByOneOfItsFrames) {
  Session s;
  s.open();
  if (HasFatalFailure()) return;
  const int64_t t = kT0 + 3000;
  ASSERT_TRUE(seek_and_wait(s.m, t));
  std::map<uint32_t, int64_t> at;  // each stream's frame on screen, from the oracle
  for (uint32_t id = 1; id <= 4; id++) at[id] = s.mat.oracle.frame_at(id, t);
  for (int i = 0; i < 12; i++) {
    s.c.clear();
    int64_t latest = 0;
    for (auto &kv : at) {  // the streams' phases differ: each has its own next frame
      const std::vector<int64_t> &times = s.mat.oracle.times.at(kv.first);
      kv.second = *std::upper_bound(times.begin(), times.end(), kv.second);
      latest = std::max(latest, kv.second);
    }
    ASSERT_EQ(valkka_manager_step(s.m), 0);
    // The playhead goes to the latest of the pictures, told after all of them were presented.
    ASSERT_TRUE(wait_state(
        s.m, [&](const valkka_manager_state_t &st) { return st.current_ms == latest; }, kPatience))
        << "step " << i;
    std::vector<Shown> shown = s.c.shown();
    ASSERT_EQ(shown.size(), 4u) << "every stream moves, step " << i;
    for (const Shown &f : shown) EXPECT_EQ(f.mstime, at[f.stream_id]) << "stream " << f.stream_id;
  }
  EXPECT_EQ(state_of(s.m).state, (uint32_t)VALKKA_PLAYBACK_PAUSED);
}
