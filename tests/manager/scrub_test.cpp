/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Scrubbing (valkka_manager_scrub) over the shared recording of 4 streams in 2 FS: each scrub
// presents, for every stream, its keyframe at or before t (its time, its key flag and its picture
// checked against the recording), the time callback reads t, a keyframe already on screen is not
// presented again, and a seek afterwards (the release of the drag) presents the exact frame.
// On 1 decoder worker (the cache thread) and on 4.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

// The decode time of stream `id`'s last keyframe at or before t; 0 when none.
int64_t key_at(const Oracle &o, uint32_t id, int64_t t) {
  const auto &ts = o.times.at(id);
  const auto &ks = o.keys.at(id);
  for (size_t k = size_t(std::upper_bound(ts.begin(), ts.end(), t) - ts.begin()); k > 0; k--)
    if (ks[k - 1]) return ts[k - 1];
  return 0;
}

// The recording's index of stream `id`'s frame at `mstime`.
size_t index_of(const Oracle &o, uint32_t id, int64_t mstime) {
  const auto &ts = o.times.at(id);
  return size_t(std::lower_bound(ts.begin(), ts.end(), mstime) - ts.begin());
}

// The 4 streams of make_four_streams mapped on one manager, with the time callback.
class ScrubFixture : public ::testing::TestWithParam<uint32_t> {
 protected:
  void SetUp() override {
    make_four_streams(mat_);
    if (HasFatalFailure()) return;
    for (int i = 0; i < 4; i++) means_[i] = reference_means(mat_.clips[i]);
    m_ = create_manager(GetParam(), 2);
    ASSERT_NE(m_, nullptr);
    valkka_fs_t *multi = nullptr, *single = nullptr;
    ASSERT_EQ(valkka_manager_open_fs(m_, mat_.multi.c_str(), nullptr, nullptr, &multi), 0)
        << valkka_last_error();
    ASSERT_EQ(valkka_manager_open_fs(m_, mat_.single.c_str(), nullptr, nullptr, &single), 0)
        << valkka_last_error();
    for (uint32_t id = 1; id <= 4; id++)
      ASSERT_EQ(valkka_manager_map(m_, id == 4 ? single : multi, VALKKA_MANAGER_NO_SLOT, 100 + id,
                                   id, Collector::output, &c_),
                0)
          << valkka_last_error();
    ASSERT_EQ(valkka_manager_set_time_callback(m_, Collector::time, &c_), 0);
    ASSERT_EQ(valkka_manager_get_time_range(m_, &first_, &last_), 0);
  }
  void TearDown() override {
    if (m_) valkka_manager_destroy(m_);
  }

  // Scrubs to t and waits for its time callback; the pictures presented go on `screen_`.
  void scrub(int64_t t) {
    const int64_t at = std::min(std::max(t, first_), last_);
    c_.clear();
    ASSERT_EQ(valkka_manager_scrub(m_, t), 0) << valkka_last_error();
    int64_t now = 0;
    ASSERT_EQ(valkka_manager_get_current_time(m_, &now), 0);
    EXPECT_EQ(now, at) << "the playhead reads the scrub's time at once";
    ASSERT_TRUE(c_.wait_for(
        [&] {
          auto hb = c_.heartbeats();
          return std::find(hb.begin(), hb.end(), at) != hb.end();
        },
        10s))
        << "no time callback for the scrub to " << at;
    // The time callback comes before the pictures; the state is published after them.
    ASSERT_TRUE(wait_state(
        m_, [&](const valkka_manager_state_t &st) { return st.presented_ms == at; }, 10s));
    for (const Shown &s : c_.shown()) {
      EXPECT_EQ(s.heartbeat, at) << "stream " << s.stream_id << ": presented before its time";
      screen_[s.stream_id] = s;
      presented_++;
    }
  }

  // Every stream shows its keyframe at or before `at`, decoded as the recording's frame there.
  void expect_keyframes(int64_t at) {
    for (uint32_t id = 1; id <= 4; id++) {
      const int64_t key = key_at(mat_.oracle, id, at);
      if (!key) {
        EXPECT_EQ(screen_.count(id), 0u) << "stream " << id << " has no keyframe <= " << at;
        continue;
      }
      ASSERT_EQ(screen_.count(id), 1u) << "nothing shown for stream " << id << " at " << at;
      const Shown &s = screen_[id];
      EXPECT_EQ(s.mstime, key) << "scrub to " << at << ", stream " << id;
      EXPECT_TRUE(s.flags & VALKKA_FRAME_KEYFRAME) << "scrub to " << at << ", stream " << id;
      EXPECT_EQ(s.slot, 100 + id);
      const std::vector<double> &ref = means_[id - 1];
      EXPECT_NEAR(s.mean_y, ref[index_of(mat_.oracle, id, key) % ref.size()], 0.01)
          << "scrub to " << at << ", stream " << id;
      checked_++;
    }
  }

  FourStreams mat_;
  std::vector<double> means_[4];
  valkka_manager_t *m_ = nullptr;
  Collector c_;
  int64_t first_ = 0, last_ = 0;
  std::map<uint32_t, Shown> screen_;  // what each stream shows now
  int presented_ = 0, checked_ = 0;
};

using ManagerScrub = ScrubFixture;

}  // namespace

TEST_P(ManagerScrub, EachScrubShowsTheKeyframesAtOrBeforeItAndTheReleaseTheExactFrame) {
  if (HasFatalFailure()) return;
  // A drag forward across the whole recording (and past both ends), then back over part of it.
  std::vector<int64_t> drag;
  for (int64_t t = first_ - 300; t <= last_ + 300; t += 53) drag.push_back(t);
  for (int64_t t = last_ - 100; t >= first_ + 4000; t -= 71) drag.push_back(t);
  for (int64_t t : drag) {
    scrub(t);
    if (HasFatalFailure()) return;
    expect_keyframes(std::min(std::max(t, first_), last_));
  }
  EXPECT_GT(checked_, 4 * 300);
  // Keyframes already on screen are not presented again: far fewer pictures than scrubs x 4.
  EXPECT_LT(presented_, int(drag.size()));
  EXPECT_GT(presented_, 4 * 12);  // every GOP crossed, in each direction

  // The release: a seek presents the exact frame of every stream, at a time where no stream's
  // frame is a keyframe (so it is not what the scrub showed).
  int64_t at = first_ + 5011;
  auto on_keyframe = [&](int64_t t) {
    for (uint32_t id = 1; id <= 4; id++)
      if (mat_.oracle.frame_at(id, t) == key_at(mat_.oracle, id, t)) return true;
    return false;
  };
  while (on_keyframe(at)) at += 13;
  scrub(at);
  c_.clear();
  ASSERT_TRUE(seek_and_wait(m_, at));
  for (uint32_t id = 1; id <= 4; id++) {
    const int64_t want = mat_.oracle.frame_at(id, at);
    const std::vector<Shown> shown = c_.shown();
    auto got =
        std::find_if(shown.begin(), shown.end(), [&](const Shown &s) { return s.stream_id == id; });
    ASSERT_NE(got, shown.end()) << "the seek after scrubbing presented nothing for " << id;
    EXPECT_EQ(got->mstime, want) << "stream " << id;
    EXPECT_NE(got->mstime, key_at(mat_.oracle, id, at)) << "stream " << id << ": not a keyframe";
    const std::vector<double> &ref = means_[id - 1];
    EXPECT_NEAR(got->mean_y, ref[index_of(mat_.oracle, id, want) % ref.size()], 0.01);
  }
  const valkka_manager_state_t st = state_of(m_);
  EXPECT_EQ(st.state, uint32_t(VALKKA_PLAYBACK_PAUSED));
  EXPECT_EQ(st.decode_errors, 0u);
  EXPECT_FALSE(c_.bad_picture());
}

// The cache thread held inside the time callback of one scrub while 40 more are asked for: the
// thread then runs only the newest of them (one time callback, its keyframes).
TEST_P(ManagerScrub, ANewerScrubReplacesOneQueued) {
  if (HasFatalFailure()) return;
  struct Gate {
    std::mutex lock;
    std::condition_variable cv;
    bool inside = false, open = false;
    std::vector<int64_t> times;
  } gate;
  auto hold = [](void *user, int64_t t) {
    auto *g = static_cast<Gate *>(user);
    std::unique_lock<std::mutex> l(g->lock);
    g->times.push_back(t);
    g->inside = true;
    g->cv.notify_all();
    g->cv.wait(l, [&] { return g->open; });
  };
  ASSERT_EQ(valkka_manager_set_time_callback(m_, hold, &gate), 0);
  ASSERT_EQ(valkka_manager_scrub(m_, first_ + 1000), 0);
  {
    std::unique_lock<std::mutex> l(gate.lock);
    ASSERT_TRUE(gate.cv.wait_for(l, 10s, [&] { return gate.inside; }));
  }
  int64_t t = first_ + 2000;
  for (int i = 0; i < 40; i++, t += 97) ASSERT_EQ(valkka_manager_scrub(m_, t), 0);
  const int64_t newest = t - 97;
  int64_t now = 0;
  ASSERT_EQ(valkka_manager_get_current_time(m_, &now), 0);
  EXPECT_EQ(now, newest);
  {
    std::lock_guard<std::mutex> l(gate.lock);
    gate.open = true;
    gate.cv.notify_all();
  }
  // Every stream's keyframe differs from the first scrub's (GOPs are shorter than 4 s): all
  // four are presented once the newest scrub ran.
  ASSERT_TRUE(c_.wait_for(
      [&] {
        screen_.clear();
        for (const Shown &s : c_.shown()) screen_[s.stream_id] = s;
        for (uint32_t id = 1; id <= 4; id++)
          if (!screen_.count(id) || screen_[id].mstime != key_at(mat_.oracle, id, newest))
            return false;
        return true;
      },
      10s))
      << "the newest scrub's keyframes were not all presented";
  expect_keyframes(newest);
  // Paused with nothing asked: no time callback comes after these.
  ASSERT_EQ(valkka_manager_set_time_callback(m_, nullptr, nullptr), 0);
  std::lock_guard<std::mutex> l(gate.lock);
  EXPECT_EQ(gate.times, (std::vector<int64_t>{first_ + 1000, newest}));
}

INSTANTIATE_TEST_SUITE_P(DecoderWorkers, ManagerScrub, ::testing::Values(1u, 4u),
                         [](const ::testing::TestParamInfo<uint32_t> &info) {
                           return std::to_string(info.param) + "_workers";
                         });
