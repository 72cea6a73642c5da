/* SPDX-License-Identifier: LGPL-2.1-or-later */
// "Recording never waits on decoding" (README, "RTSP cameras, decoders"; live.h): a camera
// recorded as the kiosk records one (the manager runs the FS's writer and hands out its input
// filter as the record sink) while its live picture callback, on the camera's decoder thread,
// blocks from its first picture until the whole clip has been read. The source still reaches
// the clip's end in real time, the FS writes every frame the source read, and the decoder side
// drops what it cannot take.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include <gtest/gtest.h>

#include "fs_test_util.h"
#include "live_recorder.h"
#include "media_support.h"

namespace {

using namespace std::chrono_literals;

constexpr uint32_t kSlot = 0, kStream = 1;
constexpr double kClipSeconds = 4;

// The camera's picture callback: the first picture holds the decoder thread until release()
// (at most two minutes, so that a failing test cannot hang).
class BlockingPictures {
 public:
  static int sink(void *user, const valkka_frame_t *) {
    auto *self = static_cast<BlockingPictures *>(user);
    std::unique_lock<std::mutex> guard(self->lock_);
    self->pictures_++;
    self->released_changed_.wait_for(guard, 120s, [self] { return self->released_; });
    return 0;
  }
  void release() {
    std::lock_guard<std::mutex> guard(lock_);
    released_ = true;
    released_changed_.notify_all();
  }
  int count() {
    std::lock_guard<std::mutex> guard(lock_);
    return pictures_;
  }

 private:
  std::mutex lock_;
  std::condition_variable released_changed_;
  bool released_ = false;
  int pictures_ = 0;
};

// Releases the callback before the live object (declared earlier) joins the decoder thread.
struct ReleaseFirst {
  BlockingPictures &pictures;
  ~ReleaseFirst() { pictures.release(); }
};

int ignore_playback(void *, const valkka_frame_t *) { return 0; }

TEST(LiveDecodeBlocked, TheFsTakesEveryFrameWhileTheDecoderIsBlocked) {
  fstest::TempDir tmp;
  const std::string clip = tmp.sub("clip.mp4");
  // A keyframe every 10 frames: the decoder starts at the first one after its callback is set.
  ASSERT_TRUE(media_test::make_test_video(clip, "-c:v libx264 -g 10 -bf 0", kClipSeconds));
  const long clip_frames = media_test::ffprobe_packets(clip);
  ASSERT_GT(clip_frames, 0);
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(fstest::create_fs(dir, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();

  std::unique_ptr<valkka_fs_t, decltype(&valkka_fs_close)> fs(fstest::open_fs(dir),
                                                              valkka_fs_close);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::unique_ptr<valkka_manager_t, decltype(&valkka_manager_destroy)> manager(
      valkka_manager_create(nullptr), valkka_manager_destroy);
  ASSERT_NE(manager, nullptr) << valkka_last_error();
  ASSERT_EQ(valkka_manager_add_fs(manager.get(), fs.get(), nullptr), 0) << valkka_last_error();
  ASSERT_EQ(valkka_manager_map(manager.get(), fs.get(), kSlot, kSlot, kStream, ignore_playback,
                               nullptr),
            0)
      << valkka_last_error();
  valkka_frame_sink_fn record_sink = nullptr;
  void *record_user = nullptr;
  ASSERT_EQ(valkka_manager_get_input_filter(manager.get(), fs.get(), &record_sink, &record_user),
            0);

  Recorder statuses;
  BlockingPictures pictures;
  std::unique_ptr<valkka_live_t, decltype(&valkka_live_destroy)> live(valkka_live_create(nullptr),
                                                                      valkka_live_destroy);
  ASSERT_NE(live, nullptr) << valkka_last_error();
  ReleaseFirst release_first{pictures};
  ASSERT_EQ(valkka_live_set_status_callback(live.get(), Recorder::status, &statuses), 0);
  const valkka_option_t play_once = {"loop", "0"};
  valkka_camera_t cam{};
  cam.struct_size = sizeof cam;
  cam.slot = kSlot;
  cam.url = clip.c_str();
  cam.options = &play_once;
  cam.n_options = 1;
  ASSERT_EQ(valkka_live_add_camera(live.get(), &cam, record_sink, record_user), 0)
      << valkka_last_error();
  ASSERT_EQ(valkka_live_set_frame_callback(live.get(), kSlot, BlockingPictures::sink, &pictures), 0)
      << valkka_last_error();

  // The clip plays in real time: ten times its length, and half a minute more, is plenty.
  const auto bound = std::chrono::milliseconds(static_cast<int>(kClipSeconds * 10000)) + 30s;
  const bool ended =
      statuses.wait_for([&] { return statuses.state(kSlot) == VALKKA_STREAM_ENDED; }, bound);
  const int pictures_by_end = pictures.count();
  // The camera's counters are final once it ended; released now, so that a source stuck behind
  // the decoder (the failure looked for) can still end and be stopped.
  pictures.release();
  valkka_stream_stats_t stats{};
  stats.struct_size = sizeof stats;
  ASSERT_EQ(valkka_live_get_stats(live.get(), kSlot, &stats), 0);
  ASSERT_TRUE(ended) << "the source never reached the clip's end: state "
                     << valkka_stream_state_name(statuses.state(kSlot));
  EXPECT_EQ(pictures_by_end, 1) << "the decoder thread was not held for the whole clip";
  EXPECT_GT(stats.decode_dropped, 0u) << "the decoder side never fell behind";
  EXPECT_EQ(stats.record_dropped, 0u);
  EXPECT_GT(stats.frames, static_cast<uint64_t>(clip_frames)) << "the clip's frames and a CONFIG";

  // Stopping the cameras, then the manager (its writer writes what is queued), leaves the FS
  // with what the camera's record sink was given.
  live.reset();
  manager.reset();
  valkka_fs_stream_stats_t written{};
  written.struct_size = sizeof written;
  ASSERT_EQ(valkka_fs_get_stream_stats(fs.get(), kStream, &written), 0) << valkka_last_error();
  EXPECT_EQ(written.frames, stats.frames) << "frames the source read (CONFIG included)";
  EXPECT_EQ(written.dropped + written.too_big + written.errors, 0u);
  fs.reset();

  // Read back from disk: every picture of the clip, counted by ffprobe, is in the FS.
  fs.reset(fstest::open_fs(dir, VALKKA_FS_READONLY));
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  valkka_fs_stream_info_t streams[2] = {};
  streams[0].struct_size = sizeof streams[0];
  ASSERT_EQ(valkka_fs_get_streams(fs.get(), streams, 2), 1);
  EXPECT_EQ(streams[0].stream_id, kStream);
  EXPECT_EQ(streams[0].frames, static_cast<uint64_t>(clip_frames));
}

}  // namespace
