/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera with a 10 s GOP seeks exactly (issue 12). A libx264 clip with a keyframe every 250
// frames at 25 fps (-g 250, no scene-cut keyframes, no B-frames), 25 s long, read through
// source-file and recorded at 800 kbit/s into a SingleFS of 64 KiB blocks: one GOP spans about 15
// blocks, far more than the manager's window holds ahead of the playhead (2). Seeks to random
// times inside the GOPs, and to the costliest ones (the last frame of a GOP, 249 frames after its
// keyframe), each present exactly the frame at or before t, decoded from its GOP's keyframe:
// every plane of the picture equals that frame's in a decode of the clip in order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "manager_support.h"

using namespace mgr_test;

namespace {

const int FPS = 25, STEP_MS = 1000 / FPS, GOP = 250, FRAMES = 25 * FPS;
const uint32_t WIDTH = 320, HEIGHT = 180, WINDOW_BLOCKS = 2;

void make_clip_file(const std::string &path) {
  const std::string make = "ffmpeg -v error -y -f lavfi -i testsrc2=size=" + std::to_string(WIDTH) +
                           "x" + std::to_string(HEIGHT) + ":rate=" + std::to_string(FPS) + " -t " +
                           std::to_string(FRAMES / FPS) + " -c:v libx264 -bf 0 -g " +
                           std::to_string(GOP) + " -sc_threshold 0 -b:v 800k -pix_fmt yuv420p '" +
                           path + "'";
  ASSERT_EQ(std::system(make.c_str()), 0) << make;
}

// The most blocks in a row, in write order, that hold no keyframe.
size_t longest_run_without_keyframe(valkka_fs_t *fs) {
  valkka_fs_block_t probe{};
  probe.struct_size = sizeof probe;
  const int n = valkka_fs_read_table(fs, &probe, 0);
  std::vector<valkka_fs_block_t> table(n > 0 ? n : 0);
  if (table.empty()) return 0;
  table[0].struct_size = sizeof(valkka_fs_block_t);
  valkka_fs_read_table(fs, table.data(), (uint32_t)n);
  table.erase(std::remove_if(table.begin(), table.end(),
                             [](const valkka_fs_block_t &b) { return b.max_ms == 0; }),
              table.end());
  std::sort(table.begin(), table.end(),
            [](const valkka_fs_block_t &a, const valkka_fs_block_t &b) { return a.seq < b.seq; });
  size_t run = 0, longest = 0;
  for (const valkka_fs_block_t &b : table) {
    run = b.min_keyframe_ms ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

TEST(ManagerLongGop, SeeksInsideTenSecondGopsPresentTheFrameAtOrBeforeT) {
  TempDir tmp;
  const std::string file = tmp.sub("gop250.mp4");
  make_clip_file(file);
  if (HasFatalFailure()) return;
  const Clip clip = read_clip_file(file);
  ASSERT_EQ(clip.packets.size(), (size_t)FRAMES);
  for (int k = 0; k < FRAMES; k++) ASSERT_EQ(clip.key[k], k % GOP == 0) << "frame " << k;
  const std::vector<uint64_t> reference = reference_hashes(clip);
  ASSERT_EQ(std::count(reference.begin(), reference.end(), 0u), 0) << "frames the decoder lost";

  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_SINGLE, 65536, 64), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  Oracle oracle;
  record(fs, {{1, &clip, kT0, STEP_MS, (size_t)FRAMES}}, &oracle);
  // The point of the test: a GOP reaches back over more blocks than the window holds ahead.
  const size_t run = longest_run_without_keyframe(fs);
  valkka_fs_close(fs);
  ASSERT_GT(run, 2 * WINDOW_BLOCKS) << "blocks in a row without a keyframe";

  valkka_manager_params_t params{};
  params.struct_size = sizeof params;
  params.window_blocks = WINDOW_BLOCKS;
  valkka_manager_t *m = valkka_manager_create(&params);
  ASSERT_NE(m, nullptr) << valkka_last_error();
  valkka_fs_t *opened = nullptr;
  ASSERT_EQ(valkka_manager_open_fs(m, dir.c_str(), nullptr, nullptr, &opened), 0)
      << valkka_last_error();
  Collector c;
  ASSERT_EQ(valkka_manager_map(m, opened, VALKKA_MANAGER_NO_SLOT, 7, 1, Collector::output, &c), 0)
      << valkka_last_error();
  int64_t first = 0, last = 0;
  ASSERT_EQ(valkka_manager_get_time_range(m, &first, &last), 0);
  ASSERT_EQ(first, kT0);
  ASSERT_EQ(last, kT0 + (FRAMES - 1) * STEP_MS);

  // The GOPs' edges first (the last frame of a GOP, its next keyframe, a millisecond either side,
  // the recording's last frame), then random times, in no order: seeks go back and forth.
  std::vector<int64_t> times;
  for (int g = 1; g * GOP < FRAMES; g++) {
    const int64_t key = kT0 + (int64_t)g * GOP * STEP_MS;
    times.insert(times.end(), {key - STEP_MS, key - 1, key, key + 1});
  }
  times.push_back(last);
  std::mt19937_64 rng(20261205);
  std::uniform_int_distribution<int64_t> pick(first, last);
  for (int i = 0; i < 40; i++) times.push_back(pick(rng));
  std::shuffle(times.begin(), times.end(), rng);

  for (size_t i = 0; i < times.size(); i++) {
    const int64_t t = times[i];
    c.clear();
    ASSERT_TRUE(seek_and_wait(m, t)) << "seek " << i << " to " << t << " did not complete";
    int64_t now = 0;
    ASSERT_EQ(valkka_manager_get_current_time(m, &now), 0);
    EXPECT_EQ(now, t);
    const int64_t want = oracle.frame_at(1, t);
    ASSERT_NE(want, 0);
    const std::vector<Shown> shown = c.shown();
    ASSERT_FALSE(shown.empty()) << "seek " << i << " to " << t << ": nothing presented";
    const Shown &got = shown.front();
    const size_t k = size_t((want - kT0) / STEP_MS);
    EXPECT_EQ(got.mstime, want) << "seek " << i << " to " << t << " (frame " << k << ")";
    EXPECT_EQ(got.stream_id, 1u);
    EXPECT_EQ(got.width, WIDTH);
    EXPECT_EQ(got.height, HEIGHT);
    EXPECT_EQ(got.hash, reference[k]) << "seek " << i << " to " << t << ": frame " << k << ", "
                                      << k % GOP << " after its GOP's keyframe";
  }
  valkka_manager_state_t st = state_of(m);
  EXPECT_EQ(st.decode_errors, 0u);
  EXPECT_EQ(st.seeks, times.size());
  EXPECT_FALSE(c.bad_picture());
  valkka_manager_destroy(m);
}
