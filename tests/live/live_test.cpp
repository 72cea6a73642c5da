/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The live pipeline: cameras in threads, recording, status, reconnects, decoding, teardown.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "live_recorder.h"

using namespace std::chrono_literals;

namespace {

// How long a wait may take before the test fails: only a failing run waits this long, so it is
// generous (ThreadSanitizer and a loaded machine are many times slower).
constexpr auto kPatience = 30s;
// A synthetic camera's frames are 1000 / 25 ms apart on its own clock (source-synthetic's fps).
constexpr int64_t kFrameStepMs = 40;

struct LiveDeleter {
  void operator()(valkka_live_t *live) const { valkka_live_destroy(live); }
};
using LivePtr = std::unique_ptr<valkka_live_t, LiveDeleter>;

LivePtr make_live(valkka_live_config_t config = {}) {
  config.struct_size = sizeof config;
  valkka_plugins_load();
  valkka_live_t *live = valkka_live_create(&config);
  EXPECT_NE(live, nullptr) << valkka_last_error();
  return LivePtr(live);
}

CameraSpec synthetic(uint32_t slot, std::vector<std::pair<std::string, std::string>> extra = {}) {
  CameraSpec spec{slot,
                  "cam" + std::to_string(slot),
                  "synthetic://" + std::to_string(slot),
                  "",
                  {{"width", "320"}, {"height", "180"}, {"seconds", "2"}}};
  for (auto &o : extra) spec.options.push_back(o);
  return spec;
}

// Waits until no thread of the cameras in `slots` is left, after `rec` was told they stopped:
// a sink that still ran is counted in after_stop, which the caller checks.
bool camera_threads_ended(Recorder &rec, std::initializer_list<uint32_t> slots) {
  for (uint32_t slot : slots) rec.stopped(slot);
  return rec.wait_for(
      [&] {
        for (uint32_t slot : slots)
          if (threads_named("vk-src-" + std::to_string(slot)) ||
              threads_named("vk-dec-" + std::to_string(slot)))
            return false;
        return true;
      },
      kPatience);
}

valkka_stream_stats_t stats_of(valkka_live_t *live, uint32_t slot) {
  valkka_stream_stats_t stats{};
  stats.struct_size = sizeof stats;
  EXPECT_EQ(valkka_live_get_stats(live, slot, &stats), 0) << valkka_last_error();
  return stats;
}

}  // namespace

TEST(LivePipeline, FourSyntheticCamerasStreamAtTheirFrameRate) {
  Recorder rec;
  LivePtr live = make_live();
  ASSERT_EQ(valkka_live_set_status_callback(live.get(), Recorder::status, &rec), 0);
  for (uint32_t slot = 0; slot < 4; slot++) ASSERT_EQ(synthetic(slot).add(live.get(), rec), 0);
  // Streaming, and a first frame through (the state changes as the frame is read).
  ASSERT_TRUE(rec.wait_for(
      [&] {
        for (uint32_t slot = 0; slot < 4; slot++)
          if (rec.state(slot) != VALKKA_STREAM_STREAMING || !rec.counts(slot).encoded) return false;
        return true;
      },
      kPatience));

  // Three seconds of each stream, by its own clock: 75 frames more than now.
  SlotCounts before[4];
  for (uint32_t slot = 0; slot < 4; slot++) before[slot] = rec.counts(slot);
  ASSERT_TRUE(rec.wait_for(
      [&] {
        for (uint32_t slot = 0; slot < 4; slot++)
          if (rec.counts(slot).encoded < before[slot].encoded + 75) return false;
        return true;
      },
      kPatience))
      << "the cameras did not stream 75 frames each";
  for (uint32_t slot = 0; slot < 4; slot++) {
    SlotCounts c = rec.counts(slot);
    // The source times frame k at its start + 40 k ms: every frame it made since `before` came
    // through once when the frames counted span exactly that many steps of its clock.
    const uint64_t frames = c.encoded - before[slot].encoded;
    const int64_t span_ms = c.last_mstime - before[slot].last_mstime;
    EXPECT_EQ(span_ms, int64_t(frames) * kFrameStepMs)
        << "slot " << slot << ": " << frames << " frames over " << span_ms << " ms";
    EXPECT_EQ(c.config, 1u);
    EXPECT_GE(c.keyframes, 3u);
    EXPECT_FALSE(c.wrong_slot);
    EXPECT_FALSE(c.time_went_back);

    std::vector<StatusEvent> events = rec.events(slot);
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[0].state, (uint32_t)VALKKA_STREAM_CONNECTING);
    EXPECT_EQ(events[1].state, (uint32_t)VALKKA_STREAM_STREAMING);
    EXPECT_EQ(events[0].name, "cam" + std::to_string(slot));

    valkka_stream_stats_t stats = stats_of(live.get(), slot);
    EXPECT_EQ(stats.state, (uint32_t)VALKKA_STREAM_STREAMING);
    // The stats' rate is frames per second of our clock over the last second: a thread held up
    // on a loaded machine puts a burst or a pause in it, so it is checked against the stream's
    // own rate within a factor of two (a rate per millisecond, or none, is far outside).
    const double stream_fps = 1000.0 / kFrameStepMs;
    EXPECT_GT(stats.fps, stream_fps / 2) << "slot " << slot;
    EXPECT_LT(stats.fps, stream_fps * 2) << "slot " << slot;
    EXPECT_GT(stats.bitrate, 0.0);
    EXPECT_EQ(stats.codec, (uint32_t)VALKKA_CODEC_H264);
    EXPECT_EQ(stats.width, 320u);
    EXPECT_EQ(stats.height, 180u);
    EXPECT_EQ(stats.reconnects, 0u);
    EXPECT_EQ(stats.record_dropped, 0u);
    EXPECT_GE(stats.frames, c.encoded);
    EXPECT_GT(stats.last_frame_mstime, 0);
  }

  // Destroy joins the cameras' threads: once it returned, no sink runs.
  live.reset();
  EXPECT_TRUE(camera_threads_ended(rec, {0, 1, 2, 3})) << "a camera thread outlived destroy";
  for (uint32_t slot = 0; slot < 4; slot++)
    EXPECT_EQ(rec.counts(slot).after_stop, 0u) << "a sink ran after destroy, slot " << slot;
}

// A missing file is an error only new settings mend: FAILED after settings_attempts (default 3),
// before max_attempts.
TEST(LivePipeline, ABadCameraReconnectsThenFailsWhileOthersStream) {
  Recorder rec;
  valkka_live_config_t config{};
  config.backoff_initial_ms = 100;
  config.backoff_max_ms = 200;
  config.max_attempts = 10;
  LivePtr live = make_live(config);
  ASSERT_EQ(valkka_live_set_status_callback(live.get(), Recorder::status, &rec), 0);
  ASSERT_EQ(synthetic(0).add(live.get(), rec), 0);
  CameraSpec bad{9, "missing", "/nonexistent-dir/missing.mp4", "", {}};
  ASSERT_EQ(bad.add(live.get(), rec), 0);
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(9) == VALKKA_STREAM_FAILED; }, kPatience));

  std::vector<StatusEvent> events = rec.events(9);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].state, (uint32_t)VALKKA_STREAM_CONNECTING);
  for (int i = 1; i <= 2; i++) {
    EXPECT_EQ(events[i].state, (uint32_t)VALKKA_STREAM_RECONNECTING);
    EXPECT_EQ(events[i].error, VALKKA_ENOENT);
    EXPECT_EQ(events[i].attempt, (uint32_t)i);
    EXPECT_NE(events[i].reason.find("missing.mp4"), std::string::npos) << events[i].reason;
  }
  EXPECT_EQ(events[1].retry_in_ms, 100u);
  EXPECT_EQ(events[2].retry_in_ms, 200u);
  EXPECT_EQ(events[3].error, VALKKA_ENOENT);
  EXPECT_FALSE(events[3].reason.empty());

  valkka_stream_stats_t stats = stats_of(live.get(), 9);
  EXPECT_EQ(stats.state, (uint32_t)VALKKA_STREAM_FAILED);
  EXPECT_EQ(stats.reconnects, 2u);
  EXPECT_EQ(stats.last_error, VALKKA_ENOENT);
  EXPECT_EQ(stats.frames, 0u);

  uint64_t streaming = rec.counts(0).encoded;
  ASSERT_TRUE(rec.wait_for([&] { return rec.counts(0).encoded >= streaming + 10; }, kPatience));
  EXPECT_EQ(rec.state(0), (uint32_t)VALKKA_STREAM_STREAMING);
}

// settings_attempts UINT32_MAX: a missing file is retried as any failure, to max_attempts.
TEST(LivePipeline, SettingsErrorsRetriedToMaxAttemptsWhenAsked) {
  Recorder rec;
  valkka_live_config_t config{};
  config.struct_size = sizeof config;
  config.backoff_initial_ms = 50;
  config.backoff_max_ms = 50;
  config.max_attempts = 5;
  config.settings_attempts = UINT32_MAX;
  LivePtr live = make_live(config);
  ASSERT_EQ(valkka_live_set_status_callback(live.get(), Recorder::status, &rec), 0);
  ASSERT_EQ(CameraSpec({9, "missing", "/nonexistent-dir/missing.mp4", "", {}}).add(live.get(), rec),
            0);
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(9) == VALKKA_STREAM_FAILED; }, kPatience));
  std::vector<StatusEvent> events = rec.events(9);
  ASSERT_EQ(events.size(), 6u);  // CONNECTING, 4 x RECONNECTING, FAILED
  EXPECT_EQ(events[4].state, (uint32_t)VALKKA_STREAM_RECONNECTING);
  EXPECT_EQ(events[4].attempt, 4u);
  EXPECT_EQ(events[5].error, VALKKA_ENOENT);
}

TEST(LivePipeline, CredentialsNeverReachStatusOrLogs) {
  static std::mutex log_lock;
  static std::string logged;
  valkka_log_set_callback(
      [](void *, valkka_log_level_t, const char *, const char *message) {
        std::lock_guard<std::mutex> guard(log_lock);
        logged += message;
        logged += "\n";
      },
      nullptr);
  valkka_log_level_t level = valkka_log_get_level();
  valkka_log_set_level(VALKKA_LOG_DEBUG);

  Recorder rec;
  valkka_live_config_t config{};
  config.max_attempts = 1;
  LivePtr live = make_live(config);
  ASSERT_EQ(valkka_live_set_status_callback(live.get(), Recorder::status, &rec), 0);
  // source-file hands the URL to libavformat, whose RTSP client meets a closed port.
  CameraSpec cam{3, "door", "rtsp://user:secret@127.0.0.1:1/x", "source-file", {}};
  ASSERT_EQ(cam.add(live.get(), rec), 0);
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(3) == VALKKA_STREAM_FAILED; }, kPatience));
  live.reset();
  valkka_log_set_level(level);
  valkka_log_set_callback(nullptr, nullptr);

  for (const StatusEvent &e : rec.events(3)) EXPECT_EQ(e.reason.find("secret"), std::string::npos);
  EXPECT_NE(rec.events(3).back().reason.find("***@127.0.0.1:1"), std::string::npos)
      << rec.events(3).back().reason;
  std::lock_guard<std::mutex> guard(log_lock);
  EXPECT_NE(logged.find("***@127.0.0.1:1"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("secret"), std::string::npos) << logged;
}

TEST(LivePipeline, DecodedFrameCallbackReceivesPictures) {
  Recorder rec;
  LivePtr live = make_live();
  ASSERT_EQ(synthetic(5, {{"gop", "5"}}).add(live.get(), rec), 0);
  // Set mid-stream: the decoder starts at the next keyframe with the stream's configuration.
  ASSERT_TRUE(rec.wait_for([&] { return rec.counts(5).encoded >= 3; }, kPatience));
  ASSERT_EQ(valkka_live_set_frame_callback(live.get(), 5, Recorder::picture_sink, rec.tap(5)), 0)
      << valkka_last_error();
  ASSERT_TRUE(rec.wait_for([&] { return rec.counts(5).pictures >= 10; }, kPatience));
  SlotCounts c = rec.counts(5);
  EXPECT_EQ(c.picture_width, 320u);
  EXPECT_EQ(c.picture_height, 180u);
  EXPECT_EQ(c.picture_slot, 5u);
  EXPECT_GE(stats_of(live.get(), 5).decoded, 10u);

  // Removing the callback stops the decoder: the camera streams on, and no picture comes.
  ASSERT_EQ(valkka_live_set_frame_callback(live.get(), 5, nullptr, nullptr), 0);
  const SlotCounts removed = rec.counts(5);
  ASSERT_TRUE(rec.wait_for(
      [&] { return rec.counts(5).encoded >= removed.encoded + 10 && !threads_named("vk-dec-5"); },
      kPatience))
      << "the camera stopped with its decoder, or the decoder thread lives on";
  EXPECT_EQ(rec.counts(5).pictures, removed.pictures) << "pictures after the callback was removed";
  EXPECT_EQ(stats_of(live.get(), 5).decoded, removed.pictures);
}

TEST(LivePipeline, StallIsReportedAndRecovers) {
  Recorder rec;
  valkka_live_config_t config{};
  config.stall_ms = 300;
  config.stall_reconnect_ms = 5000;
  LivePtr live = make_live(config);
  ASSERT_EQ(valkka_live_set_status_callback(live.get(), Recorder::status, &rec), 0);
  ASSERT_EQ(synthetic(1, {{"fps", "1"}}).add(live.get(), rec), 0);
  ASSERT_TRUE(rec.wait_for(
      [&] {
        std::vector<StatusEvent> e = rec.events(1);
        return e.size() >= 4;
      },
      kPatience));
  std::vector<StatusEvent> events = rec.events(1);
  EXPECT_EQ(events[1].state, (uint32_t)VALKKA_STREAM_STREAMING);
  EXPECT_EQ(events[2].state, (uint32_t)VALKKA_STREAM_STALLED);
  EXPECT_EQ(events[2].error, VALKKA_ETIMEDOUT);
  EXPECT_EQ(events[3].state, (uint32_t)VALKKA_STREAM_STREAMING);
}

TEST(LivePipeline, CamerasComeAndGoAndMisuseIsRefused) {
  Recorder rec;
  LivePtr live = make_live();
  valkka_live_destroy(nullptr);
  ASSERT_EQ(synthetic(2).add(live.get(), rec), 0);
  EXPECT_EQ(synthetic(2).add(live.get(), rec), VALKKA_EEXIST);
  EXPECT_EQ(CameraSpec({4, "", "", "", {}}).add(live.get(), rec), VALKKA_EINVAL);
  EXPECT_EQ(CameraSpec({4, "", "x", "source-nope", {}}).add(live.get(), rec), VALKKA_ENOENT);
  EXPECT_EQ(valkka_live_remove_camera(live.get(), 77), VALKKA_ENOENT);
  EXPECT_EQ(valkka_live_set_frame_callback(live.get(), 77, Recorder::picture_sink, &rec),
            VALKKA_ENOENT);
  valkka_stream_stats_t small{};
  small.struct_size = 8;
  EXPECT_EQ(valkka_live_get_stats(live.get(), 2, &small), VALKKA_EINVAL);

  ASSERT_TRUE(rec.wait_for([&] { return rec.counts(2).encoded >= 2; }, kPatience));
  EXPECT_EQ(valkka_live_remove_camera(live.get(), 2), 0);
  EXPECT_TRUE(camera_threads_ended(rec, {2})) << "the camera's thread outlived its removal";
  EXPECT_EQ(rec.counts(2).after_stop, 0u) << "a sink ran after the camera was removed";
  valkka_stream_stats_t stats{};
  stats.struct_size = sizeof stats;
  EXPECT_EQ(valkka_live_get_stats(live.get(), 2, &stats), VALKKA_ENOENT);

  // From a callback, calls that wait for camera threads are refused instead of deadlocking.
  std::atomic<valkka_live_t *> target{live.get()};
  rec.status_hook = [&](uint32_t slot) { return valkka_live_remove_camera(target.load(), slot); };
  ASSERT_EQ(valkka_live_set_status_callback(live.get(), Recorder::status, &rec), 0);
  ASSERT_EQ(synthetic(6).add(live.get(), rec), 0);
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(6) == VALKKA_STREAM_STREAMING; }, kPatience));
  EXPECT_EQ(rec.hook_result, VALKKA_ESTATE);
}
