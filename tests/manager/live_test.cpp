/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The original design's first test, with a synthetic camera: one stream recorded live through the
// manager's input filter (the FS writer thread), watched through the global time range and the
// new-block callback as blocks arrive, then played back through the manager. And playback
// started on a recording in progress reaches the frames written after it started.
#include <gtest/gtest.h>

#include <thread>

#include "manager_support.h"

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

struct Recording {
  TempDir tmp;
  valkka_manager_t *m = nullptr;
  valkka_fs_t *fs = nullptr;
  valkka_live_t *live = nullptr;
  Collector c;

  void start(uint32_t progress_ms = 200) {
    const std::string dir = tmp.sub("fs");
    ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 256), 0) << valkka_last_error();
    m = valkka_manager_create(nullptr);
    ASSERT_NE(m, nullptr) << valkka_last_error();
    valkka_manager_fs_params_t fp{};
    fp.struct_size = sizeof fp;
    fp.progress_ms = progress_ms;
    ASSERT_EQ(valkka_manager_open_fs(m, dir.c_str(), nullptr, &fp, &fs), 0) << valkka_last_error();
    ASSERT_EQ(valkka_manager_set_block_callback(m, Collector::block, &c), 0);
    ASSERT_EQ(valkka_manager_set_time_callback(m, Collector::time, &c), 0);
    ASSERT_EQ(valkka_manager_map(m, fs, /*write_slot*/ 0, /*read_slot*/ 10, /*id*/ 1,
                                 Collector::output, &c),
              0);
    valkka_frame_sink_fn sink = nullptr;
    void *user = nullptr;
    ASSERT_EQ(valkka_manager_get_input_filter(m, fs, &sink, &user), 0);
    live = valkka_live_create(nullptr);
    ASSERT_NE(live, nullptr);
    valkka_option_t options[] = {{"width", "192"}, {"height", "108"}, {"seconds", "2"}};
    valkka_camera_t cam{};
    cam.struct_size = sizeof cam;
    cam.slot = 0;
    cam.url = "synthetic://5";
    cam.options = options;
    cam.n_options = 3;
    ASSERT_EQ(valkka_live_add_camera(live, &cam, sink, user), 0) << valkka_last_error();
  }
  void stop_camera() {
    valkka_live_destroy(live);
    live = nullptr;
  }
  ~Recording() {
    valkka_live_destroy(live);
    valkka_manager_destroy(m);
  }
};

std::pair<int64_t, int64_t> range_of(valkka_manager_t *m) {
  int64_t first = 0, last = 0;
  EXPECT_EQ(valkka_manager_get_time_range(m, &first, &last), 0);
  return {first, last};
}

}  // namespace

TEST(ManagerLive, RecordOneStreamThenPlayItBack) {
  Recording r;
  r.start();
  if (HasFatalFailure()) return;
  // Blocks arrive: the range grows from a fixed start, each event within it.
  ASSERT_TRUE(r.c.wait_for([&] { return range_of(r.m).first != 0; }, 5s));
  auto early = range_of(r.m);
  ASSERT_TRUE(r.c.wait_for([&] { return range_of(r.m).second > early.second + 1500; }, 10s));
  auto later = range_of(r.m);
  EXPECT_EQ(later.first, early.first);
  std::vector<valkka_fs_block_event_t> events = r.c.blocks();
  ASSERT_GE(events.size(), 3u) << "progress events every 200 ms";
  int64_t previous = 0;
  for (const auto &e : events) {
    EXPECT_GE(e.min_ms, later.first);
    EXPECT_LE(e.max_ms, later.second);
    EXPECT_GE(e.max_ms, previous);
    previous = e.max_ms;
  }
  int64_t f = 0, l = 0;
  ASSERT_EQ(valkka_manager_get_time_range_by_fs(r.m, r.fs, &f, &l), 0);
  EXPECT_EQ(f, later.first);
  r.stop_camera();

  // The whole recording, played back as fast as it decodes: every frame, in order.
  auto all = range_of(r.m);
  valkka_fs_stream_info_t streams[4];
  streams[0].struct_size = sizeof streams[0];
  ASSERT_EQ(valkka_fs_get_streams(r.fs, streams, 4), 1);
  r.c.clear();
  ASSERT_TRUE(seek_and_wait(r.m, all.first));
  ASSERT_EQ(valkka_manager_play(r.m, VALKKA_MANAGER_SPEED_FAST), 0);
  ASSERT_TRUE(wait_state(
      r.m, [](const valkka_manager_state_t &s) { return s.at_end != 0; }, 20s));
  std::vector<Shown> shown = r.c.shown();
  ASSERT_EQ(shown.size(), streams[0].frames);
  for (size_t i = 1; i < shown.size(); i++) ASSERT_GT(shown[i].mstime, shown[i - 1].mstime);
  // The range starts with the camera's CONFIG frame, stamped a moment before its first picture.
  EXPECT_GE(shown.front().mstime, all.first);
  EXPECT_LT(shown.front().mstime, all.first + 40);
  EXPECT_EQ(shown.back().mstime, all.second);
  EXPECT_EQ(shown.front().slot, 10u);
  EXPECT_EQ(state_of(r.m).decode_errors, 0u);
  EXPECT_FALSE(r.c.bad_picture());
}

TEST(ManagerLive, PlaybackOfARecordingInProgressReachesNewFrames) {
  Recording r;
  r.start();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(r.c.wait_for([&] { return range_of(r.m).second > range_of(r.m).first + 1500; }, 10s));
  auto at_start = range_of(r.m);
  ASSERT_TRUE(seek_and_wait(r.m, at_start.first));
  ASSERT_EQ(valkka_manager_play(r.m, 2.0), 0);
  // At 2x the playhead catches up with the recording and follows it.
  EXPECT_TRUE(r.c.wait_for(
      [&] {
        std::vector<Shown> shown = r.c.shown();
        return !shown.empty() && shown.back().mstime > at_start.second + 1000;
      },
      10s))
      << "no frame recorded after playback started was presented";
  std::vector<Shown> shown = r.c.shown();
  for (size_t i = 1; i < shown.size(); i++) ASSERT_GT(shown[i].mstime, shown[i - 1].mstime);
  EXPECT_EQ(state_of(r.m).decode_errors, 0u);
}
