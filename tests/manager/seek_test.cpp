/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Seek accuracy: random seeks over 2 FS (a MultiFS with 3 streams, a SingleFS with 1, mixed) x
// 4 streams with different GOP lengths and phases. For every stream the first frame presented
// after a seek is the last frame with mstime <= t, decoded without error.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

TEST(ManagerSeek, RandomSeeksPresentTheLastFrameAtOrBeforeT) {
  FourStreams mat;
  make_four_streams(mat);
  if (HasFatalFailure()) return;
  valkka_manager_params_t params{};
  params.struct_size = sizeof params;
  params.window_blocks = 2;
  valkka_manager_t *m = valkka_manager_create(&params);
  ASSERT_NE(m, nullptr) << valkka_last_error();
  valkka_fs_t *multi = nullptr, *single = nullptr;
  ASSERT_EQ(valkka_manager_open_fs(m, mat.multi.c_str(), nullptr, nullptr, &multi), 0)
      << valkka_last_error();
  ASSERT_EQ(valkka_manager_open_fs(m, mat.single.c_str(), nullptr, nullptr, &single), 0)
      << valkka_last_error();
  std::vector<double> means[4];
  for (int i = 0; i < 4; i++) means[i] = reference_means(mat.clips[i]);
  Collector c;
  for (uint32_t id = 1; id <= 3; id++)
    ASSERT_EQ(valkka_manager_map(m, multi, VALKKA_MANAGER_NO_SLOT, 100 + id, id, Collector::output,
                                 &c),
              0)
        << valkka_last_error();
  ASSERT_EQ(valkka_manager_map(m, single, VALKKA_MANAGER_NO_SLOT, 104, 4, Collector::output, &c), 0)
      << valkka_last_error();

  int64_t first = 0, last = 0;
  ASSERT_EQ(valkka_manager_get_time_range(m, &first, &last), 0);
  EXPECT_EQ(first, mat.oracle.first());
  EXPECT_EQ(last, mat.oracle.last());

  std::mt19937_64 rng(20240501);
  std::uniform_int_distribution<int64_t> pick(first - 400, last + 400);
  int checked = 0;
  for (int i = 0; i < 200; i++) {
    const int64_t t = pick(rng);
    const int64_t at = std::min(std::max(t, first), last);  // the documented clamp
    c.clear();
    ASSERT_TRUE(seek_and_wait(m, t)) << "seek " << i << " to " << t << " did not complete";
    int64_t now = 0;
    ASSERT_EQ(valkka_manager_get_current_time(m, &now), 0);
    EXPECT_EQ(now, at);
    std::vector<Shown> shown = c.shown();
    for (uint32_t id = 1; id <= 4; id++) {
      const int64_t want = mat.oracle.frame_at(id, at);
      const Shown *got = nullptr;
      for (const Shown &s : shown)
        if (s.stream_id == id) {
          got = &s;
          break;
        }
      if (!want) {
        EXPECT_EQ(got, nullptr) << "seek " << i << ": stream " << id << " has no frame <= " << at;
        continue;
      }
      ASSERT_NE(got, nullptr) << "seek " << i << " to " << at << ": nothing presented for stream "
                              << id;
      EXPECT_EQ(got->mstime, want) << "seek " << i << " to " << at << ", stream " << id;
      EXPECT_EQ(got->slot, 100 + id);
      EXPECT_EQ(got->width, 192u);
      EXPECT_EQ(got->height, 108u);
      // The picture is that frame as a decoder fed from its GOP's keyframe shows it.
      const auto &ts = mat.oracle.times.at(id);
      size_t k = size_t(std::lower_bound(ts.begin(), ts.end(), want) - ts.begin());
      const std::vector<double> &ref = means[id - 1];
      EXPECT_NEAR(got->mean_y, ref[k % ref.size()], 0.01) << "seek " << i << ", stream " << id;
      checked++;
    }
  }
  EXPECT_GT(checked, 600);
  valkka_manager_state_t st = state_of(m);
  EXPECT_EQ(st.decode_errors, 0u);
  EXPECT_EQ(st.seeks, 200u);
  EXPECT_FALSE(c.bad_picture());
  valkka_manager_destroy(m);
}
