/* SPDX-License-Identifier: LGPL-2.1-or-later */
// valkka_manager_set_stream_active over the shared four-stream recording, streams 1 and 2 of
// the MultiFS standing for a camera's main stream and substream: an inactive stream presents
// nothing (seeks and steps move the active one only); made active while paused or playing, it
// presents its frame at the playhead, decoded from its keyframe; errors and no-ops.
#include <gtest/gtest.h>

#include <algorithm>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

// How long a wait may take before the test fails: only a failing run waits this long.
constexpr auto kPatience = 60s;

class ManagerActive : public ::testing::TestWithParam<uint32_t> {
 protected:
  void SetUp() override {
    make_four_streams(mat_);
    if (HasFatalFailure()) return;
    m_ = create_manager(GetParam());
    ASSERT_NE(m_, nullptr);
    ASSERT_EQ(valkka_manager_open_fs(m_, mat_.multi.c_str(), nullptr, nullptr, &multi_), 0);
    ASSERT_EQ(valkka_manager_set_time_callback(m_, Collector::time, &c_), 0);
    for (uint32_t id = 1; id <= 2; id++)
      ASSERT_EQ(valkka_manager_map(m_, multi_, VALKKA_MANAGER_NO_SLOT, id, id, Collector::output,
                                   &c_),
                0);
    for (uint32_t id = 1; id <= 2; id++) means_[id - 1] = reference_means(mat_.clips[id - 1]);
  }
  void TearDown() override { valkka_manager_destroy(m_); }

  // The picture of stream `id` is its frame `mstime` as decoded from the GOP's keyframe.
  void expect_picture(const Shown &s) const {
    const auto &ts = mat_.oracle.times.at(s.stream_id);
    const size_t k = size_t(std::lower_bound(ts.begin(), ts.end(), s.mstime) - ts.begin());
    ASSERT_LT(k, ts.size());
    EXPECT_EQ(ts[k], s.mstime) << "stream " << s.stream_id << ": not a frame time";
    const std::vector<double> &ref = means_[s.stream_id - 1];
    EXPECT_NEAR(s.mean_y, ref[k % ref.size()], 0.01) << "stream " << s.stream_id;
  }

  std::vector<Shown> of_stream(uint32_t id) {
    std::vector<Shown> out;
    for (const Shown &s : c_.shown())
      if (s.stream_id == id) out.push_back(s);
    return out;
  }

  // One step; the pictures it presented (the step is done when its heartbeat came).
  std::vector<Shown> step(int frames) {
    const size_t beats = c_.heartbeats().size(), shown = c_.shown().size();
    EXPECT_EQ(valkka_manager_step_by(m_, frames), 0) << valkka_last_error();
    EXPECT_TRUE(c_.wait_for([&] { return c_.heartbeats().size() > beats; }, kPatience));
    std::vector<Shown> all = c_.shown();
    return std::vector<Shown>(all.begin() + long(shown), all.end());
  }

  FourStreams mat_;
  valkka_manager_t *m_ = nullptr;
  valkka_fs_t *multi_ = nullptr;
  Collector c_;
  std::vector<double> means_[2];
};

}  // namespace

TEST_P(ManagerActive, PausedSwitchPresentsTheNewStreamAtThePlayhead) {
  const int64_t t0 = kT0 + 5000;
  ASSERT_TRUE(seek_and_wait(m_, t0));
  ASSERT_EQ(valkka_manager_set_stream_active(m_, multi_, 2, 0), 0) << valkka_last_error();
  EXPECT_EQ(state_of(m_).streams, 1u);
  c_.clear();
  // Seeks and steps move the active stream alone.
  const int64_t t1 = kT0 + 7010;
  ASSERT_TRUE(seek_and_wait(m_, t1));
  int64_t at = mat_.oracle.frame_at(1, t1);
  for (int dir : {1, 1, 1, -1}) {
    std::vector<Shown> shown = step(dir);
    ASSERT_EQ(shown.size(), 1u) << "a step moves the active stream only";
    EXPECT_EQ(shown[0].stream_id, 1u);
    const auto &ts = mat_.oracle.times.at(1);
    const long i = long(std::lower_bound(ts.begin(), ts.end(), at) - ts.begin()) + dir;
    at = ts[size_t(i)];
    EXPECT_EQ(shown[0].mstime, at);
    expect_picture(shown[0]);
  }
  EXPECT_TRUE(of_stream(2).empty()) << "an inactive stream presents nothing";
  // Back to the switch: the substream's frame at the playhead, decoded from its keyframe.
  int64_t now = 0;
  ASSERT_EQ(valkka_manager_get_current_time(m_, &now), 0);
  ASSERT_EQ(valkka_manager_set_stream_active(m_, multi_, 2, 1), 0) << valkka_last_error();
  EXPECT_EQ(state_of(m_).streams, 2u);
  const int64_t want = mat_.oracle.frame_at(2, now);
  ASSERT_NE(want, 0);
  ASSERT_TRUE(c_.wait_for(
      [&] {
        std::vector<Shown> s = of_stream(2);
        return !s.empty() && s.back().mstime == want;
      },
      kPatience))
      << "stream 2 made active is not presented at the playhead " << now;
  expect_picture(of_stream(2).back());
  // Both move again.
  EXPECT_EQ(step(1).size(), 2u);
  EXPECT_EQ(state_of(m_).decode_errors, 0u);
  EXPECT_FALSE(c_.bad_picture());
}

TEST_P(ManagerActive, SwitchWhilePlayingPresentsFromThePlayhead) {
  ASSERT_TRUE(seek_and_wait(m_, kT0 + 1000));
  ASSERT_EQ(valkka_manager_set_stream_active(m_, multi_, 2, 0), 0) << valkka_last_error();
  c_.clear();
  ASSERT_EQ(valkka_manager_play(m_, 1.0), 0);
  ASSERT_TRUE(c_.wait_for([&] { return of_stream(1).size() >= 10; }, kPatience));
  EXPECT_TRUE(of_stream(2).empty()) << "an inactive stream presents nothing while playing";
  ASSERT_EQ(valkka_manager_set_stream_active(m_, multi_, 2, 1), 0) << valkka_last_error();
  ASSERT_TRUE(c_.wait_for([&] { return of_stream(2).size() >= 10; }, kPatience));
  // The first picture of the stream made active is its frame at the playhead of that tick (the
  // heartbeat goes before the pictures of a tick), not the keyframe it was decoded from.
  const Shown first = of_stream(2).front();
  EXPECT_EQ(first.mstime, mat_.oracle.frame_at(2, first.heartbeat));
  for (const Shown &s : of_stream(2)) expect_picture(s);
  ASSERT_EQ(valkka_manager_set_stream_active(m_, multi_, 1, 0), 0) << valkka_last_error();
  const size_t ones = of_stream(1).size(), twos = of_stream(2).size();
  ASSERT_TRUE(c_.wait_for([&] { return of_stream(2).size() >= twos + 10; }, kPatience));
  EXPECT_EQ(of_stream(1).size(), ones) << "no output runs once the call returned";
  ASSERT_EQ(valkka_manager_pause(m_), 0);
  EXPECT_EQ(state_of(m_).decode_errors, 0u);
  EXPECT_FALSE(c_.bad_picture());
}

TEST_P(ManagerActive, ErrorsAndNoOps) {
  EXPECT_EQ(valkka_manager_set_stream_active(nullptr, multi_, 1, 0), VALKKA_EINVAL);
  EXPECT_EQ(valkka_manager_set_stream_active(m_, nullptr, 1, 0), VALKKA_EINVAL);
  EXPECT_EQ(valkka_manager_set_stream_active(m_, multi_, 3, 0), VALKKA_ENOENT);  // not mapped
  EXPECT_EQ(valkka_manager_set_stream_active(m_, multi_, 1, 1), 0);              // active already
  EXPECT_EQ(valkka_manager_set_stream_active(m_, multi_, 1, 0), 0);
  EXPECT_EQ(valkka_manager_set_stream_active(m_, multi_, 1, 0), 0);
  EXPECT_EQ(state_of(m_).streams, 1u);
  // An inactive stream unmaps, and maps again active.
  EXPECT_EQ(valkka_manager_unmap(m_, multi_, 1), 0) << valkka_last_error();
  EXPECT_EQ(valkka_manager_set_stream_active(m_, multi_, 1, 1), VALKKA_ENOENT);
  ASSERT_EQ(valkka_manager_map(m_, multi_, VALKKA_MANAGER_NO_SLOT, 1, 1, Collector::output, &c_),
            0);
  EXPECT_EQ(state_of(m_).streams, 2u);
  ASSERT_TRUE(seek_and_wait(m_, kT0 + 3000));
  EXPECT_FALSE(of_stream(1).empty());
  EXPECT_FALSE(of_stream(2).empty());
}

INSTANTIATE_TEST_SUITE_P(DecoderWorkers, ManagerActive, ::testing::Values(1u, 4u),
                         [](const ::testing::TestParamInfo<uint32_t> &info) {
                           return "workers" + std::to_string(info.param);
                         });
