/* SPDX-License-Identifier: LGPL-2.1-or-later */
// source-synthetic: distinct cameras, stream shape, timing, timeouts and interrupts.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <future>
#include <thread>

#include "media_support.h"
#include "pacing_check.h"

using namespace media_test;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

Source synthetic(int camera, std::vector<std::pair<std::string, std::string>> options) {
  return Source("source-synthetic", "synthetic://" + std::to_string(camera), std::move(options));
}

long ms_since(Clock::time_point start) {
  return (long)std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Decodes the CONFIG frame and first keyframe of a source and describes the picture.
Picture first_picture(Source &source) {
  Decoder decoder(VALKKA_CODEC_H264);
  EXPECT_EQ(decoder.open_error(), 0) << valkka_last_error();
  for (int i = 0; i < 2; i++) {
    EXPECT_EQ(source.read(), 0) << valkka_last_error();
    EXPECT_EQ(decoder.send(source.frame()), 0) << valkka_last_error();
  }
  EXPECT_EQ(decoder.drain(), VALKKA_EOS);
  EXPECT_EQ(decoder.pictures().size(), 1u);
  return decoder.pictures().empty() ? Picture{} : decoder.pictures()[0];
}

}  // namespace

TEST(MediaSynthetic, FourCamerasShowFourDifferentPictures) {
  std::vector<Picture> pictures;
  for (int cam = 0; cam < 4; cam++) {
    Source source = synthetic(cam, {{"realtime", "0"}, {"seconds", "1"}});
    ASSERT_EQ(source.open_error(), 0) << source.open_message();
    pictures.push_back(first_picture(source));
    EXPECT_EQ(pictures.back().width, 640u);
    EXPECT_EQ(pictures.back().height, 360u);
    EXPECT_EQ(pictures.back().pixfmt, (uint32_t)VALKKA_PIXFMT_YUV420P);
    EXPECT_TRUE(pictures.back().flags & VALKKA_FRAME_KEYFRAME);
  }
  for (size_t a = 0; a < pictures.size(); a++)
    for (size_t b = a + 1; b < pictures.size(); b++) {
      const Picture &p = pictures[a], &q = pictures[b];
      double distance = std::sqrt((p.mean_y - q.mean_y) * (p.mean_y - q.mean_y) +
                                  (p.mean_u - q.mean_u) * (p.mean_u - q.mean_u) +
                                  (p.mean_v - q.mean_v) * (p.mean_v - q.mean_v));
      EXPECT_GT(distance, 10.0) << "cameras " << a << " and " << b << " look alike";
    }
}

TEST(MediaSynthetic, ConfigThenKeyframesEveryGopWithEvenlySpacedTimes) {
  Source source = synthetic(1, {{"realtime", "0"}, {"seconds", "2"}, {"fps", "25"}});
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  valkka_source_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(source.info(&info), 0);
  EXPECT_EQ(info.codec, (uint32_t)VALKKA_CODEC_H264);
  EXPECT_EQ(info.width, 640u);
  EXPECT_EQ(info.height, 360u);
  EXPECT_EQ(info.fps_num, 25u);
  EXPECT_EQ(info.fps_den, 1u);

  ASSERT_EQ(source.read(), 0);
  EXPECT_EQ(source.frame().kind, (uint32_t)VALKKA_FRAME_CONFIG);
  EXPECT_EQ(source.frame().codec, (uint32_t)VALKKA_CODEC_H264);
  EXPECT_TRUE(is_annexb(source.frame()));
  EXPECT_GT(source.frame().size, 8u);
  // 120 frames: more than the 50-frame clip, so the replay loops twice.
  int64_t previous = 0;
  for (int i = 0; i < 120; i++) {
    ASSERT_EQ(source.read(), 0) << "frame " << i;
    const valkka_frame_t &f = source.frame();
    EXPECT_EQ(f.kind, (uint32_t)VALKKA_FRAME_ENCODED);
    EXPECT_TRUE(is_annexb(f));
    EXPECT_EQ((f.flags & VALKKA_FRAME_KEYFRAME) != 0, i % 25 == 0) << "frame " << i;
    if (i > 0) {
      EXPECT_EQ(f.mstime - previous, 40) << "frame " << i;
    }
    previous = f.mstime;
  }
}

TEST(MediaSynthetic, ReadTimesOutWhenTheNextFrameIsNotDue) {
  Source source =
      synthetic(0, {{"fps", "1"}, {"seconds", "2"}, {"width", "160"}, {"height", "96"}});
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  ASSERT_EQ(source.read(), 0);  // CONFIG
  ASSERT_EQ(source.read(), 0);  // frame 0 is due at once
  const int64_t frame0_ms = source.frame().mstime;
  auto start = Clock::now();
  EXPECT_EQ(source.read(50), VALKKA_ETIMEDOUT);
  EXPECT_GE(ms_since(start), 45);
  // The timed-out read left frame 1 where it was: the next read waits for it, a second later.
  ASSERT_EQ(source.read(5000), 0);
  EXPECT_EQ(source.frame().mstime - frame0_ms, 1000);
}

TEST(MediaSynthetic, InterruptEndsABlockedReadQuickly) {
  Source source =
      synthetic(0, {{"fps", "1"}, {"seconds", "2"}, {"width", "160"}, {"height", "96"}});
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  ASSERT_EQ(source.read(), 0);
  // Frame 1 is due a second after this point at the earliest: the source's clock starts with
  // the read of frame 0.
  const Clock::time_point before_frame0 = Clock::now();
  ASSERT_EQ(source.read(), 0);
  std::atomic<bool> reading{false};
  auto result = std::async(std::launch::async, [&] {
    reading = true;
    return source.read(5000);
  });
  for (int i = 0; i < 1000 && !reading; i++) std::this_thread::sleep_for(1ms);
  // Time for the read to block. Should it not have yet, it sees the interrupt on entry: a pass
  // that proves less, never a false failure.
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(source.interrupt(), 0);
  EXPECT_EQ(result.get(), VALKKA_EINTR);
  // Woken by the interrupt, not by frame 1 falling due (the read then says EINTR as well).
  EXPECT_LT(ms_since(before_frame0), 1000) << "the interrupt did not wake the read";
  EXPECT_EQ(source.read(0), VALKKA_EINTR);  // and it stays interrupted
}

TEST(MediaSynthetic, RealTimeReplayKeepsTheFrameRate) {
  Source source =
      synthetic(2, {{"fps", "50"}, {"seconds", "1"}, {"width", "160"}, {"height", "96"}});
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  ASSERT_EQ(source.read(), 0);
  expect_real_time_pacing(source, 26);
}

TEST(MediaSynthetic, H265WhenLibx265IsThere) {
  Source source = synthetic(3, {{"realtime", "0"},
                                {"seconds", "1"},
                                {"codec", "h265"},
                                {"width", "320"},
                                {"height", "180"}});
  if (source.open_error() == VALKKA_ECODEC) GTEST_SKIP() << "no libx265: " << source.open_message();
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  Decoder decoder(VALKKA_CODEC_H265);
  ASSERT_EQ(decoder.open_error(), 0) << valkka_last_error();
  ASSERT_EQ(source.read(), 0);
  EXPECT_EQ(source.frame().kind, (uint32_t)VALKKA_FRAME_CONFIG);
  EXPECT_EQ(source.frame().codec, (uint32_t)VALKKA_CODEC_H265);
  ASSERT_EQ(decoder.send(source.frame()), 0);
  for (int i = 0; i < 25; i++) {
    ASSERT_EQ(source.read(), 0);
    EXPECT_EQ((source.frame().flags & VALKKA_FRAME_KEYFRAME) != 0, i == 0);
    ASSERT_EQ(decoder.send(source.frame()), 0) << valkka_last_error();
  }
  EXPECT_EQ(decoder.drain(), VALKKA_EOS);
  ASSERT_EQ(decoder.pictures().size(), 25u);
  EXPECT_EQ(decoder.pictures()[0].width, 320u);
  EXPECT_EQ(decoder.pictures()[0].height, 180u);
}

TEST(MediaSynthetic, RefusesBadUrlsAndOptions) {
  EXPECT_EQ(Source("source-synthetic", "synthetic://x", {}).open_error(), VALKKA_EINVAL);
  EXPECT_EQ(Source("source-synthetic", "rtsp://host/1", {}).open_error(), VALKKA_EINVAL);
  EXPECT_EQ(synthetic(0, {{"fps", "0"}}).open_error(), VALKKA_EINVAL);
  EXPECT_EQ(synthetic(0, {{"width", "641"}}).open_error(), VALKKA_EINVAL);
  EXPECT_EQ(synthetic(0, {{"codec", "vp9"}}).open_error(), VALKKA_ECODEC);
}
