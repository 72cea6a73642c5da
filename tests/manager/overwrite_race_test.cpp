/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Playback when the recording overwrites the blocks a seek is loading (the month soak of
// tests/reliability found it): the block loader is held inside its read of a block, through the
// storage-gate backend, while the test writes on until that block and the next are reused.
// Neither may be played as if it still held the frames the seek wanted: frames of a reused
// block are another time's, and the frames after a lost block cannot be decoded on top of the
// ones before it.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <thread>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

constexpr uint32_t kBlockSize = 65536;
constexpr int kGop = 250;  // a few GOPs per block

void load_gate_plugin() {
  static bool loaded = false;
  if (loaded) return;
  valkka_plugin_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(valkka_plugin_load_file(VALKKA_GATE_PLUGIN, &info), 0) << valkka_last_error();
  loaded = true;
}

valkka_frame_t view(uint32_t kind, const Clip &clip, size_t k, int64_t mstime) {
  const std::vector<uint8_t> &data = kind == VALKKA_FRAME_CONFIG ? clip.config : clip.packets[k];
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.kind = kind;
  f.codec = clip.codec;
  f.flags = kind == VALKKA_FRAME_ENCODED && clip.key[k] ? VALKKA_FRAME_KEYFRAME : 0;
  f.mstime = mstime;
  f.data = const_cast<uint8_t *>(data.data());
  f.size = (uint32_t)data.size();
  f.capacity = f.size;
  return f;
}

valkka_fs_info_t info_of(valkka_fs_t *fs) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  return info;
}

std::vector<valkka_fs_block_t> table_of(valkka_fs_t *fs, uint32_t n) {
  std::vector<valkka_fs_block_t> t(n);
  t[0].struct_size = sizeof(valkka_fs_block_t);
  valkka_fs_read_table(fs, t.data(), n);
  return t;
}

bool exists(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// A seek to the end of block 1, its window blocks 1..4 (and the block of the keyframe before it);
// the loader is held in its read of block 2 while the recording goes on until blocks 0..3 are
// reused; then one step. Before the fix the read of block 2 counted as loaded (with none of its
// frames), block 3's new frames came in under its old use, and the step decoded block 4's first
// frame on top of block 1's last: a wrong picture.
TEST(ManagerOverwriteRace, BlocksReusedUnderTheLoaderAreNotPlayedAcross) {
  load_gate_plugin();
  TempDir tmp;
  const std::string dir = tmp.sub("fs"), gate = tmp.sub("gate");
  ASSERT_EQ(mkdir(gate.c_str(), 0755), 0);
  setenv("VALKKA_GATE_DIR", gate.c_str(), 1);
  setenv("VALKKA_GATE_BLOCK_SIZE", std::to_string(kBlockSize).c_str(), 1);
  Clip clip = make_clip(5, kGop, kGop);
  ASSERT_EQ(clip.packets.size(), (size_t)kGop);
  const std::vector<double> means = reference_means(clip);
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, kBlockSize, 8), 0) << valkka_last_error();

  valkka_manager_params_t mp{};
  mp.struct_size = sizeof mp;
  mp.window_blocks = 3;
  mp.table_interval_ms = 600000;  // the table copy is read when a seek or an event asks
  mp.seek_timeout_ms = 60000;     // the seek waits for its blocks, however long the test holds
  valkka_manager_t *m = valkka_manager_create(&mp);
  ASSERT_NE(m, nullptr) << valkka_last_error();
  valkka_fs_open_params_t op{};
  op.struct_size = sizeof op;
  op.backend = "storage-gate";
  valkka_manager_fs_params_t fp{};
  fp.struct_size = sizeof fp;
  fp.flags = VALKKA_MANAGER_FS_NO_WRITER;  // the test writes, with valkka_fs_append
  valkka_fs_t *fs = nullptr;
  ASSERT_EQ(valkka_manager_open_fs(m, dir.c_str(), &op, &fp, &fs), 0) << valkka_last_error();
  Collector c;
  ASSERT_EQ(valkka_manager_map(m, fs, VALKKA_MANAGER_NO_SLOT, 0, 1, Collector::output, &c), 0);

  // Frame k at kT0 + 40 k is clip frame k % kGop: a keyframe at every kGop-th frame.
  size_t k = 0;
  auto append_until = [&](auto done) {
    for (int guard = 0; guard < 100000 && !done(); guard++, k++) {
      if (k == 0) {
        valkka_frame_t config = view(VALKKA_FRAME_CONFIG, clip, 0, kT0);
        ASSERT_EQ(valkka_fs_append(fs, 1, &config), 0) << valkka_last_error();
      }
      valkka_frame_t f = view(VALKKA_FRAME_ENCODED, clip, k % kGop, kT0 + 40 * (int64_t)k);
      ASSERT_EQ(valkka_fs_append(fs, 1, &f), 0) << valkka_last_error();
    }
  };
  append_until([&] { return info_of(fs).current_block == 6; });
  const auto table = table_of(fs, 8);
  // Block 4 starts inside a GOP (the clip is deterministic, so is where its frames fall): its
  // first frames need the ones before them, in blocks 2 and 3.
  ASSERT_NE(table[4].min_keyframe_ms, table[4].min_ms);
  const int64_t next_key = table[4].min_keyframe_ms ? table[4].min_keyframe_ms
                                                    : table[5].min_keyframe_ms;
  ASSERT_GT(next_key, 0);

  const std::string hold = gate + "/hold-2", held = gate + "/held-2";
  ASSERT_TRUE(fclose(fopen(hold.c_str(), "w")) == 0);
  ASSERT_EQ(valkka_manager_seek(m, table[1].max_ms), 0);
  for (int i = 0; i < 10000 && !exists(held); i++) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(exists(held)) << "the loader never reached block 2";

  // Blocks 0..3 reused (block 3 started) while the read of block 2 waits; block 4 is untouched.
  append_until([&] { return info_of(fs).current_block == 3; });
  // Queued now, so that it runs the moment the seek completes, before anything else.
  ASSERT_EQ(valkka_manager_step(m), 0);
  ASSERT_EQ(unlink(hold.c_str()), 0);
  ASSERT_TRUE(wait_state(
      m, [](const valkka_manager_state_t &s) { return s.seeks >= 1; }, 30s));

  // Play on: the playhead moves to the oldest data left, and from its first keyframe on every
  // picture shows again.
  ASSERT_EQ(valkka_manager_play(m, VALKKA_MANAGER_SPEED_FAST), 0);
  EXPECT_TRUE(c.wait_for(
      [&] {
        for (const Shown &s : c.shown())
          if (s.mstime >= next_key) return true;
        return false;
      },
      30s))
      << "playback did not reach the next keyframe";
  valkka_manager_destroy(m);

  size_t checked = 0;
  for (const Shown &s : c.shown()) {
    const size_t frame = (size_t)((s.mstime - kT0) / 40);
    ASSERT_EQ((s.mstime - kT0) % 40, 0) << "not a frame time: " << s.mstime;
    EXPECT_NEAR(s.mean_y, means[frame % kGop], 0.01)
        << "frame " << frame << " shown with another picture";
    checked++;
  }
  EXPECT_GT(checked, 0u);
  unsetenv("VALKKA_GATE_DIR");
  unsetenv("VALKKA_GATE_BLOCK_SIZE");
}

}  // namespace
