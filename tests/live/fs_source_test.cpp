/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera whose URL names a stream of an FS another writer records (valkkafs:///DIR?stream=ID):
// the live pipeline shows the recording's live edge, decoded, without a connection to the
// camera. The writer here is the FS's own writer thread fed by a synthetic camera; the viewer's
// camera opens the FS a second time, read-only, as a process beside the recorder does.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "fs_test_util.h"
#include "live_recorder.h"

using namespace std::chrono_literals;
using namespace fstest;

namespace {

int64_t wall_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

TEST(LiveFsSource, ShowsTheLiveEdgeOfARecordingDecoded) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  valkka_plugins_load();
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 18, 64), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  ASSERT_EQ(valkka_fs_writer_start(fs, nullptr), 0) << valkka_last_error();
  ASSERT_EQ(valkka_fs_map(fs, 0, 1), 0);
  valkka_live_config_t config{};
  config.struct_size = sizeof config;
  valkka_live_t *live = valkka_live_create(&config);
  ASSERT_NE(live, nullptr) << valkka_last_error();
  Recorder rec;
  ASSERT_EQ(valkka_live_set_status_callback(live, Recorder::status, &rec), 0);

  // The camera, recorded.
  valkka_option_t size[] = {{"width", "320"}, {"height", "180"}};
  valkka_camera_t cam{};
  cam.struct_size = sizeof cam;
  cam.slot = 0;
  cam.url = "synthetic://0";
  cam.options = size;
  cam.n_options = 2;
  ASSERT_EQ(valkka_live_add_camera(live, &cam, valkka_fs_sink, fs), 0) << valkka_last_error();

  // The viewer's tile: the recording's stream 1.
  const std::string url = "valkkafs://" + dir + "?stream=1";
  valkka_camera_t view{};
  view.struct_size = sizeof view;
  view.slot = 1;
  view.name = "door";
  view.url = url.c_str();
  ASSERT_EQ(valkka_live_add_camera(live, &view, Recorder::record_sink, rec.tap(1)), 0)
      << valkka_last_error();
  ASSERT_EQ(valkka_live_set_frame_callback(live, 1, Recorder::picture_sink, rec.tap(1)), 0);
  // A URL that names no FS stream: the camera says why, and nothing else suffers.
  valkka_camera_t bad{};
  bad.struct_size = sizeof bad;
  bad.slot = 2;
  bad.url = "valkkafs://relative/dir?stream=1";
  ASSERT_EQ(valkka_live_add_camera(live, &bad, nullptr, nullptr), 0) << valkka_last_error();
  // An FS an HTTP server serves is a valkkafs:// URL too; where none answers (port 1) the camera
  // says why, without the password of its URL.
  valkka_option_t reach[] = {{"ca_file", "/nonexistent/ca.pem"}};
  valkka_camera_t remote{};
  remote.struct_size = sizeof remote;
  remote.slot = 3;
  remote.url = "valkkafs://http://viewer:fs-pw-27182@127.0.0.1:1/fs0?stream=1";
  remote.options = reach;
  remote.n_options = 1;
  ASSERT_EQ(valkka_live_add_camera(live, &remote, nullptr, nullptr), 0) << valkka_last_error();

  const bool shown = rec.wait_for(
      [&] {
        return rec.state(1) == VALKKA_STREAM_STREAMING && rec.counts(1).pictures >= 50 &&
               !rec.events(2).empty() && !rec.events(2).back().reason.empty() &&
               !rec.events(3).empty() && !rec.events(3).back().reason.empty();
      },
      30s);
  const SlotCounts seen = rec.counts(1);
  const int64_t lag = wall_ms() - seen.last_mstime;
  const auto bad_events = rec.events(2), remote_events = rec.events(3);
  valkka_live_destroy(live);
  valkka_fs_close(fs);
  ASSERT_TRUE(shown) << "pictures " << seen.pictures << ", state " << rec.state(1);
  EXPECT_GE(seen.config, 1u);
  EXPECT_FALSE(seen.time_went_back);
  EXPECT_FALSE(seen.wrong_slot);
  EXPECT_EQ(seen.picture_width, 320u);
  EXPECT_NE(bad_events.back().reason.find("ABSOLUTE/DIR"), std::string::npos)
      << bad_events.back().reason;
  const std::string why = remote_events.back().reason;
  EXPECT_EQ(why.find("ABSOLUTE/DIR"), std::string::npos) << "the URL was not taken: " << why;
  EXPECT_EQ(why.find("fs-pw-27182"), std::string::npos) << why;
  EXPECT_NE(why.find("127.0.0.1:1/fs0"), std::string::npos) << why;
  std::printf("%llu pictures from the FS; the newest frame %lld ms behind the wall clock\n",
              (unsigned long long)seen.pictures, (long long)lag);
}

}  // namespace
