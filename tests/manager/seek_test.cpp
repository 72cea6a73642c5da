/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Seek accuracy: random seeks over 2 FS (a MultiFS with 3 streams, a SingleFS with 1, mixed) x
// 4 streams with different GOP lengths and phases. For every stream the first frame presented
// after a seek is the last frame with mstime <= t, decoded without error; the same with the
// streams decoded on 1 (the file-cache thread), 2 and 4 decoder workers.
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

// Threads of this process named vk-decode-N (the decoder workers of every manager alive).
int decode_workers_running() {
  int n = 0;
  DIR *dir = opendir("/proc/self/task");
  if (!dir) return -1;
  while (const dirent *e = readdir(dir)) {
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    if (std::getline(comm, name) && name.rfind("vk-decode-", 0) == 0) n++;
  }
  closedir(dir);
  return n;
}

// A thread names itself once it runs: waits (bounded) for `n` of them.
bool decode_workers_become(int n) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (decode_workers_running() != n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

class ManagerSeek : public ::testing::TestWithParam<uint32_t> {};

}  // namespace

TEST_P(ManagerSeek, RandomSeeksPresentTheLastFrameAtOrBeforeT) {
  const uint32_t workers = GetParam();
  FourStreams mat;
  make_four_streams(mat);
  if (HasFatalFailure()) return;
  valkka_manager_t *m = create_manager(workers, 2);
  ASSERT_NE(m, nullptr);
  // One worker is the file-cache thread itself; more are threads of their own.
  EXPECT_TRUE(decode_workers_become(workers == 1 ? 0 : int(workers))) << decode_workers_running();
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
  EXPECT_EQ(decode_workers_running(), 0);  // joined with the manager: gone at once
}

INSTANTIATE_TEST_SUITE_P(DecoderWorkers, ManagerSeek, ::testing::Values(1u, 2u, 4u),
                         [](const ::testing::TestParamInfo<uint32_t> &info) {
                           return std::to_string(info.param) + "_workers";
                         });
