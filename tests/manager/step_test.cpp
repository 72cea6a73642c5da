/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Frame steps (valkka_manager_step_by) over the shared four-stream recording (2 FS, 4 streams of
// one frame rate with phases 0, 13, 27 and 9 ms, GOPs of 25, 20, 15 and 30 frames): every step
// back and forward moves every stream by exactly one of its own frames, across GOP and block
// boundaries, and each picture is the one forward playback showed for that time (its planes'
// hash). Playing backwards presents every frame in decreasing time. The same with 1 and 4 decoder
// workers and with a picture cache too small for a GOP.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

// How long a wait may take before the test fails: only a failing run waits this long.
constexpr auto kPatience = 60s;

struct Params {
  uint32_t workers;
  uint64_t cache_bytes;  // 0: the default
};

class ManagerStep : public ::testing::TestWithParam<Params> {
 protected:
  void SetUp() override {
    make_four_streams(mat_);
    if (HasFatalFailure()) return;
    valkka_manager_params_t params{};
    params.struct_size = sizeof params;
    params.decoder_workers = GetParam().workers;
    params.picture_cache_bytes = GetParam().cache_bytes;
    m_ = valkka_manager_create(&params);
    ASSERT_NE(m_, nullptr) << valkka_last_error();
    ASSERT_EQ(valkka_manager_open_fs(m_, mat_.multi.c_str(), nullptr, nullptr, &multi_), 0);
    ASSERT_EQ(valkka_manager_open_fs(m_, mat_.single.c_str(), nullptr, nullptr, &single_), 0);
    ASSERT_EQ(valkka_manager_set_time_callback(m_, Collector::time, &c_), 0);
    for (uint32_t id = 1; id <= 3; id++)
      ASSERT_EQ(valkka_manager_map(m_, multi_, VALKKA_MANAGER_NO_SLOT, id, id, Collector::output,
                                   &c_),
                0);
    ASSERT_EQ(valkka_manager_map(m_, single_, VALKKA_MANAGER_NO_SLOT, 4, 4, Collector::output, &c_),
              0);
  }
  void TearDown() override { valkka_manager_destroy(m_); }

  // What forward playback shows: every picture of a FAST play from the start, by (stream, time).
  void play_forward() {
    ASSERT_TRUE(seek_and_wait(m_, mat_.oracle.first()));
    ASSERT_EQ(valkka_manager_play(m_, VALKKA_MANAGER_SPEED_FAST), 0);
    ASSERT_TRUE(wait_state(
        m_, [](const valkka_manager_state_t &st) { return st.at_end; }, kPatience));
    ASSERT_EQ(valkka_manager_pause(m_), 0);
    for (const Shown &s : c_.shown()) forward_[{s.stream_id, s.mstime}] = s.hash;
    for (uint32_t id = 1; id <= 4; id++)
      ASSERT_EQ(std::count_if(forward_.begin(), forward_.end(),
                              [&](const auto &kv) { return kv.first.first == id; }),
                long(mat_.oracle.times.at(id).size()))
          << "forward playback showed every frame of stream " << id;
  }

  // One step; the pictures it presented (the step is done when its heartbeat came).
  std::vector<Shown> step(int frames) {
    const size_t beats = c_.heartbeats().size(), shown = c_.shown().size();
    EXPECT_EQ(valkka_manager_step_by(m_, frames), 0) << valkka_last_error();
    EXPECT_TRUE(c_.wait_for([&] { return c_.heartbeats().size() > beats; }, kPatience));
    std::vector<Shown> all = c_.shown();
    return std::vector<Shown>(all.begin() + long(shown), all.end());
  }

  uint64_t forward_hash(uint32_t id, int64_t t) { return forward_[std::make_pair(id, t)]; }

  // The frame of stream `id` `by` frames from time `t` (a frame time of it); 0 when none.
  int64_t neighbour(uint32_t id, int64_t t, int by) const {
    const std::vector<int64_t> &ts = mat_.oracle.times.at(id);
    auto it = std::lower_bound(ts.begin(), ts.end(), t);
    const long i = long(it - ts.begin()) + by;
    return i >= 0 && i < long(ts.size()) ? ts[size_t(i)] : 0;
  }

  FourStreams mat_;
  valkka_manager_t *m_ = nullptr;
  valkka_fs_t *multi_ = nullptr, *single_ = nullptr;
  Collector c_;
  std::map<std::pair<uint32_t, int64_t>, uint64_t> forward_;
};

// Times where a block of `fs` begins, inside (from, to).
std::vector<int64_t> block_starts(valkka_fs_t *fs, int64_t from, int64_t to) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  EXPECT_EQ(valkka_fs_get_info(fs, &info), 0);
  std::vector<valkka_fs_block_t> table(info.n_blocks);
  table[0].struct_size = sizeof table[0];
  EXPECT_EQ(valkka_fs_read_table(fs, table.data(), info.n_blocks), int(info.n_blocks));
  std::vector<int64_t> starts;
  for (const valkka_fs_block_t &b : table)
    if (!(b.flags & VALKKA_FS_BLOCK_VOID) && b.min_ms > from && b.min_ms < to)
      starts.push_back(b.min_ms);
  return starts;
}

}  // namespace

TEST_P(ManagerStep, EveryStreamMovesByOneOfItsFramesBackAndForward) {
  play_forward();
  if (HasFatalFailure()) return;
  const int64_t t0 = kT0 + 9000;
  c_.clear();
  ASSERT_TRUE(seek_and_wait(m_, t0));
  std::map<uint32_t, int64_t> at;  // the frame time each stream shows
  for (uint32_t id = 1; id <= 4; id++) at[id] = mat_.oracle.frame_at(id, t0);
  const int kSteps = 160;  // 6.4 s: GOPs of every stream, and blocks
  int64_t lowest = t0;
  for (int dir : {-1, 1}) {
    for (int i = 0; i < kSteps; i++) {
      std::vector<Shown> shown = step(dir);
      ASSERT_EQ(shown.size(), 4u) << "step " << dir << " #" << i << ": every stream moves";
      int64_t latest = 0;
      for (const Shown &s : shown) {
        const int64_t want = neighbour(s.stream_id, at[s.stream_id], dir);
        ASSERT_EQ(s.mstime, want) << "stream " << s.stream_id << ", step " << dir << " #" << i;
        EXPECT_EQ(s.hash, forward_hash(s.stream_id, s.mstime))
            << "stream " << s.stream_id << " at " << s.mstime << ": not the picture forward "
            << "playback showed";
        EXPECT_EQ(s.slot, s.stream_id);
        at[s.stream_id] = s.mstime;
        latest = std::max(latest, s.mstime);
      }
      // The playhead is the latest picture shown.
      ASSERT_TRUE(wait_state(
          m_, [&](const valkka_manager_state_t &st) { return st.current_ms == latest; }, 5s))
          << "playhead " << state_of(m_).current_ms << ", latest picture " << latest;
      lowest = std::min(lowest, latest);
    }
  }
  // Back where it started, having crossed GOP boundaries of every stream and block boundaries.
  for (uint32_t id = 1; id <= 4; id++) EXPECT_EQ(at[id], mat_.oracle.frame_at(id, t0));
  EXPECT_FALSE(block_starts(multi_, lowest, t0).empty()) << "no block boundary crossed";
  const valkka_manager_state_t st = state_of(m_);
  EXPECT_EQ(st.state, (uint32_t)VALKKA_PLAYBACK_PAUSED);
  EXPECT_EQ(st.decode_errors, 0u);
  EXPECT_FALSE(c_.bad_picture());
}

// At the start of the recording a step back does nothing; streams that begin later stay put
// once they are at their first frame while the others go on back.
TEST_P(ManagerStep, BackStopsAtTheStartOfEachStream) {
  const int64_t first = mat_.oracle.first();
  ASSERT_TRUE(seek_and_wait(m_, first + 40 * 13 + 30));
  std::map<uint32_t, int64_t> at;
  for (uint32_t id = 1; id <= 4; id++) at[id] = mat_.oracle.frame_at(id, first + 40 * 13 + 30);
  for (int i = 0; i < 16; i++) {
    for (const Shown &s : step(-1)) {
      EXPECT_EQ(s.mstime, neighbour(s.stream_id, at[s.stream_id], -1)) << "stream " << s.stream_id;
      at[s.stream_id] = s.mstime;
    }
  }
  EXPECT_EQ(at[1], first);
  EXPECT_TRUE(step(-1).empty()) << "nothing before the first frame";
  EXPECT_EQ(state_of(m_).current_ms, first);
}

// Playing backwards presents every frame of every stream, in decreasing time across the streams,
// each the picture forward playback showed, across GOP boundaries; then forward again.
TEST_P(ManagerStep, ReversePlayPresentsEveryFrameInDecreasingOrder) {
  play_forward();
  if (HasFatalFailure()) return;
  const int64_t t0 = kT0 + 7000, until = t0 - 1500;  // 1.5 s: a GOP boundary of every stream
  ASSERT_TRUE(seek_and_wait(m_, t0));
  c_.clear();
  // A quarter of real time: a loaded machine (TSan) still wakes before the next picture is due.
  ASSERT_EQ(valkka_manager_play(m_, -0.25), 0) << valkka_last_error();
  ASSERT_TRUE(wait_state(
      m_, [&](const valkka_manager_state_t &st) { return st.current_ms <= until; }, kPatience));
  ASSERT_EQ(valkka_manager_pause(m_), 0);
  ASSERT_TRUE(wait_state(
      m_, [](const valkka_manager_state_t &st) { return st.state == VALKKA_PLAYBACK_PAUSED; },
      kPatience));
  const std::vector<Shown> shown = c_.shown();
  std::map<uint32_t, std::vector<int64_t>> got;
  int64_t previous = INT64_MAX;
  for (const Shown &s : shown) {
    EXPECT_LE(s.mstime, previous) << "stream " << s.stream_id << ": not in decreasing order";
    previous = s.mstime;
    got[s.stream_id].push_back(s.mstime);
    EXPECT_EQ(s.hash, forward_hash(s.stream_id, s.mstime)) << "stream " << s.stream_id;
  }
  for (uint32_t id = 1; id <= 4; id++) {
    ASSERT_FALSE(got[id].empty()) << "stream " << id;
    const std::vector<int64_t> &ts = mat_.oracle.times.at(id);
    std::vector<int64_t> want;
    for (auto it = ts.rbegin(); it != ts.rend(); ++it)
      if (*it < mat_.oracle.frame_at(id, t0) && *it >= got[id].back()) want.push_back(*it);
    EXPECT_EQ(got[id], want) << "stream " << id << ": every frame, newest first";
    EXPECT_LE(got[id].back(), until + 40) << "stream " << id;
  }
  // Forward again from there: the next frames in order.
  c_.clear();
  ASSERT_EQ(valkka_manager_play(m_, VALKKA_MANAGER_SPEED_FAST), 0);
  ASSERT_TRUE(wait_state(
      m_, [](const valkka_manager_state_t &st) { return st.at_end; }, kPatience));
  for (const Shown &s : c_.shown())
    EXPECT_EQ(s.hash, forward_hash(s.stream_id, s.mstime)) << "stream " << s.stream_id;
  EXPECT_EQ(state_of(m_).decode_errors, 0u);
  EXPECT_FALSE(c_.bad_picture());
}

TEST_P(ManagerStep, RefusesOtherCounts) {
  EXPECT_EQ(valkka_manager_play(m_, -0.2), VALKKA_EINVAL);
  EXPECT_EQ(valkka_manager_play(m_, -17), VALKKA_EINVAL);
  EXPECT_EQ(valkka_manager_step_by(m_, 2), VALKKA_EINVAL);
  EXPECT_EQ(valkka_manager_step_by(m_, 0), VALKKA_EINVAL);
  EXPECT_EQ(valkka_manager_step_by(nullptr, 1), VALKKA_EINVAL);
}

// A cache of 100 KB holds about one 192x108 picture per stream: each step back decodes again.
INSTANTIATE_TEST_SUITE_P(Workers, ManagerStep,
                         ::testing::Values(Params{1, 0}, Params{4, 0}, Params{2, 100000}),
                         [](const ::testing::TestParamInfo<Params> &info) {
                           return "w" + std::to_string(info.param.workers) +
                                  (info.param.cache_bytes ? "_small_cache" : "");
                         });
