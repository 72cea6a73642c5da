/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the manager does as its FS change: a new-block event makes the next seek see the new data;
// an FS that wraps under the paused playhead moves the playhead to the oldest data left.
#include <gtest/gtest.h>

#include <thread>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

valkka_frame_t view(uint32_t kind, const Clip &clip, size_t k, int64_t mstime, uint32_t slot) {
  const std::vector<uint8_t> &data = kind == VALKKA_FRAME_CONFIG ? clip.config : clip.packets[k];
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.kind = kind;
  f.slot = slot;
  f.codec = clip.codec;
  f.flags = kind == VALKKA_FRAME_ENCODED && clip.key[k] ? VALKKA_FRAME_KEYFRAME : 0;
  f.mstime = mstime;
  f.data = const_cast<uint8_t *>(data.data());
  f.size = (uint32_t)data.size();
  f.capacity = f.size;
  return f;
}

}  // namespace

TEST(ManagerFsEvents, NewBlockMakesTheNextSeekSeeNewData) {
  TempDir tmp;
  Clip clip = make_clip(7, 25, 50);
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 64), 0);
  valkka_manager_t *m = valkka_manager_create(nullptr);
  ASSERT_NE(m, nullptr);
  Collector c;
  valkka_fs_t *fs = nullptr;
  valkka_manager_fs_params_t fp{};
  fp.struct_size = sizeof fp;
  fp.progress_ms = 50;
  ASSERT_EQ(valkka_manager_open_fs(m, dir.c_str(), nullptr, &fp, &fs), 0);
  ASSERT_EQ(valkka_manager_set_block_callback(m, Collector::block, &c), 0);
  ASSERT_EQ(valkka_manager_map(m, fs, 3, 30, 7, Collector::output, &c), 0);
  valkka_frame_sink_fn sink;
  void *user;
  ASSERT_EQ(valkka_manager_get_input_filter(m, fs, &sink, &user), 0);

  // Frames through the input filter (the writer thread), 40 ms apart from kT0.
  size_t written = 0;
  auto write = [&](size_t n) {
    if (!written) {
      valkka_frame_t config = view(VALKKA_FRAME_CONFIG, clip, 0, kT0, 3);
      ASSERT_EQ(sink(user, &config), 0);
    }
    for (size_t i = 0; i < n; i++, written++) {
      valkka_frame_t f = view(VALKKA_FRAME_ENCODED, clip, written % clip.packets.size(),
                              kT0 + 40 * (int64_t)written, 3);
      ASSERT_EQ(sink(user, &f), 0) << "frame " << written;
    }
  };
  auto event_reached = [&](int64_t t) {
    for (const auto &e : c.blocks())
      if (e.max_ms >= t) return true;
    return false;
  };
  write(60);
  const int64_t last1 = kT0 + 40 * 59;
  ASSERT_TRUE(c.wait_for([&] { return event_reached(last1); }, 5s));
  ASSERT_TRUE(seek_and_wait(m, last1 + 5000));  // past the end: clamps to the newest frame
  ASSERT_FALSE(c.shown().empty());
  EXPECT_EQ(c.shown().back().mstime, last1);

  write(60);
  const int64_t last2 = kT0 + 40 * 119;
  ASSERT_TRUE(c.wait_for([&] { return event_reached(last2); }, 5s));
  c.clear();
  ASSERT_TRUE(seek_and_wait(m, last2));
  ASSERT_EQ(c.shown().size(), 1u);
  EXPECT_EQ(c.shown()[0].mstime, last2) << "the seek after the new-block event sees the new frames";
  c.clear();
  ASSERT_TRUE(seek_and_wait(m, last1 + 20));  // and the older data is still there
  ASSERT_EQ(c.shown().size(), 1u);
  EXPECT_EQ(c.shown()[0].mstime, last1);
  EXPECT_EQ(state_of(m).decode_errors, 0u);
  valkka_manager_destroy(m);
}

TEST(ManagerFsEvents, WrapUnderThePausedPlayheadMovesItToTheOldestData) {
  TempDir tmp;
  Clip clip = make_clip(8, 25, 50, 320, 180);
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0);  // a small FS that wraps soon
  valkka_manager_params_t mp{};
  mp.struct_size = sizeof mp;
  mp.table_interval_ms = 100;  // appends below bypass the writer: no new-block events
  valkka_manager_t *m = valkka_manager_create(&mp);
  ASSERT_NE(m, nullptr);
  Collector c;
  valkka_fs_t *fs = nullptr;
  ASSERT_EQ(valkka_manager_open_fs(m, dir.c_str(), nullptr, nullptr, &fs), 0);
  ASSERT_EQ(valkka_manager_set_time_callback(m, Collector::time, &c), 0);
  ASSERT_EQ(valkka_manager_map(m, fs, VALKKA_MANAGER_NO_SLOT, 1, 1, Collector::output, &c), 0);
  size_t written = 0;
  auto append = [&](size_t n) {
    for (size_t i = 0; i < n; i++, written++) {
      if (!written) {
        valkka_frame_t config = view(VALKKA_FRAME_CONFIG, clip, 0, kT0, 0);
        ASSERT_EQ(valkka_fs_append(fs, 1, &config), 0);
      }
      valkka_frame_t f = view(VALKKA_FRAME_ENCODED, clip, written % clip.packets.size(),
                              kT0 + 40 * (int64_t)written, 0);
      ASSERT_EQ(valkka_fs_append(fs, 1, &f), 0) << valkka_last_error();
    }
  };
  append(50);
  const int64_t playhead = kT0 + 400;
  ASSERT_TRUE(seek_and_wait(m, playhead));
  // Write on until the FS's oldest data is newer than the playhead.
  int64_t first = 0, last = 0;
  for (int round = 0; round < 200; round++) {
    append(25);
    ASSERT_EQ(valkka_fs_time_range(fs, &first, &last), 0);
    if (first > playhead + 1000) break;
  }
  ASSERT_GT(first, playhead + 1000) << "the FS did not wrap";
  // Defined behaviour: the playhead moves to the oldest data still recorded, and its frames show.
  ASSERT_TRUE(wait_state(
      m,
      [&](const valkka_manager_state_t &s) {
        return s.current_ms >= first && s.seeks >= 2 && s.state == VALKKA_PLAYBACK_PAUSED;
      },
      5s))
      << "playhead " << state_of(m).current_ms << ", oldest data " << first;
  int64_t now = 0;
  ASSERT_EQ(valkka_manager_get_current_time(m, &now), 0);
  int64_t f2 = 0, l2 = 0;
  ASSERT_EQ(valkka_fs_time_range(fs, &f2, &l2), 0);
  EXPECT_GE(now, first);
  EXPECT_LE(now, l2);
  std::vector<int64_t> beats = c.heartbeats();
  ASSERT_FALSE(beats.empty());
  EXPECT_EQ(beats.back(), now);
  EXPECT_EQ(state_of(m).state, (uint32_t)VALKKA_PLAYBACK_PAUSED);
  valkka_manager_destroy(m);
}
