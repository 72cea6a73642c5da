/* SPDX-License-Identifier: LGPL-2.1-or-later */
// source-file and codec-ffmpeg on real files made with the ffmpeg CLI.
#include <gtest/gtest.h>

#include <memory>

#include "media_support.h"
#include "pacing_check.h"

using namespace media_test;

namespace {

class MediaFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    h264_ = dir_->path() + "/out.mp4";
    mpeg4_ = dir_->path() + "/mpeg4.mp4";
    hevc_ = dir_->path() + "/out.mkv";
    made_h264_ = make_test_video(h264_, "-c:v libx264 -g 25", 3);
    made_mpeg4_ = make_test_video(mpeg4_, "-c:v mpeg4", 1);
    made_hevc_ = ffmpeg_has_encoder("libx265") &&
                 make_test_video(hevc_, "-c:v libx265 -x265-params log-level=error -g 25", 2);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static Source open(const std::string &path, const char *loop, const char *realtime = "0") {
    return Source("source-file", path, {{"loop", loop}, {"realtime", realtime}});
  }

  // Reads a finite source to its end: the frames, checking shape and times on the way.
  static std::vector<valkka_frame_t> read_all(Source &source, uint32_t codec,
                                              std::vector<std::vector<uint8_t>> *payloads) {
    std::vector<valkka_frame_t> frames;
    int err;
    while ((err = source.read()) == 0) {
      valkka_frame_t f = source.frame();
      if (payloads) payloads->emplace_back(f.data, f.data + f.size);
      f.data = nullptr;
      frames.push_back(f);
      EXPECT_EQ(f.codec, codec);
      EXPECT_TRUE(is_annexb(source.frame())) << "frame " << frames.size();
      if (frames.size() > 1) {  // a CONFIG frame may share its time with the next frame
        const valkka_frame_t &before = frames[frames.size() - 2];
        if (before.kind == VALKKA_FRAME_CONFIG) {
          EXPECT_GE(f.mstime, before.mstime);
        } else {
          EXPECT_GT(f.mstime, before.mstime);
        }
      }
      if (frames.size() > 10000) break;
    }
    EXPECT_EQ(err, VALKKA_EOS) << valkka_last_error();
    EXPECT_EQ(source.read(), VALKKA_EOS);  // and stays at the end
    return frames;
  }

  static void check_once_through(const std::string &path, uint32_t codec) {
    Source source = open(path, "0");
    ASSERT_EQ(source.open_error(), 0) << source.open_message();
    valkka_source_info_t info{};
    info.struct_size = sizeof info;
    ASSERT_EQ(source.info(&info), 0);
    EXPECT_EQ(info.codec, codec);
    EXPECT_EQ(info.width, 320u);
    EXPECT_EQ(info.height, 240u);
    EXPECT_EQ(info.fps_num / (info.fps_den ? info.fps_den : 1), 25u);
    std::vector<valkka_frame_t> frames = read_all(source, codec, nullptr);
    ASSERT_GE(frames.size(), 2u);
    EXPECT_EQ(frames[0].kind, (uint32_t)VALKKA_FRAME_CONFIG);
    EXPECT_EQ(frames[1].kind, (uint32_t)VALKKA_FRAME_ENCODED);
    EXPECT_TRUE(frames[1].flags & VALKKA_FRAME_KEYFRAME);
    EXPECT_EQ((long)frames.size() - 1, ffprobe_packets(path));
  }

  static TempDir *dir_;
  static std::string h264_, mpeg4_, hevc_;
  static bool made_h264_, made_mpeg4_, made_hevc_;
};

TempDir *MediaFile::dir_;
std::string MediaFile::h264_, MediaFile::mpeg4_, MediaFile::hevc_;
bool MediaFile::made_h264_, MediaFile::made_mpeg4_, MediaFile::made_hevc_;

}  // namespace

TEST_F(MediaFile, H264Mp4ReadsEveryFrameThenEnds) {
  ASSERT_TRUE(made_h264_);
  check_once_through(h264_, VALKKA_CODEC_H264);
}

TEST_F(MediaFile, H265MkvReadsEveryFrameThenEnds) {
  if (!made_hevc_) GTEST_SKIP() << "this ffmpeg has no libx265 encoder";
  check_once_through(hevc_, VALKKA_CODEC_H265);
}

TEST_F(MediaFile, LoopingKeepsGoingWithRisingTimes) {
  ASSERT_TRUE(made_h264_);
  Source source = open("file://" + h264_, "1");
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  ASSERT_EQ(source.read(), 0);
  EXPECT_EQ(source.frame().kind, (uint32_t)VALKKA_FRAME_CONFIG);
  int64_t previous = 0;
  int keyframes = 0;
  for (int i = 0; i < 190; i++) {  // 75 frames a pass: into the third pass
    ASSERT_EQ(source.read(), 0) << "frame " << i << ": " << valkka_last_error();
    const valkka_frame_t &f = source.frame();
    EXPECT_EQ(f.kind, (uint32_t)VALKKA_FRAME_ENCODED);
    if (i > 0) {
      EXPECT_GT(f.mstime, previous) << "frame " << i;
      EXPECT_LT(f.mstime - previous, 200) << "frame " << i;
    }
    if (i % 75 == 0) {
      EXPECT_TRUE(f.flags & VALKKA_FRAME_KEYFRAME) << "pass start " << i;
    }
    keyframes += (f.flags & VALKKA_FRAME_KEYFRAME) != 0;
    previous = f.mstime;
  }
  EXPECT_GE(keyframes, 7);
}

TEST_F(MediaFile, RealTimePacingWaitsAndInterruptStops) {
  ASSERT_TRUE(made_h264_);
  Source source = open(h264_, "1", "1");
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  ASSERT_EQ(source.read(), 0);
  ASSERT_EQ(source.frame().kind, (uint32_t)VALKKA_FRAME_CONFIG);
  expect_real_time_pacing(source, 11);
  EXPECT_EQ(source.interrupt(), 0);
  EXPECT_EQ(source.read(1000), VALKKA_EINTR);
}

TEST_F(MediaFile, OtherCodecsAreRefusedByName) {
  ASSERT_TRUE(made_mpeg4_);
  Source source = open(mpeg4_, "0");
  EXPECT_EQ(source.open_error(), VALKKA_ECODEC);
  EXPECT_NE(source.open_message().find("mpeg4"), std::string::npos) << source.open_message();
}

TEST_F(MediaFile, MissingFileIsENOENT) {
  Source source = open(dir_->path() + "/no-such-file.mp4", "0");
  EXPECT_EQ(source.open_error(), VALKKA_ENOENT) << source.open_message();
}

TEST_F(MediaFile, CodecFfmpegDecodesEveryFrame) {
  ASSERT_TRUE(made_h264_);
  Source source = open(h264_, "0");
  ASSERT_EQ(source.open_error(), 0) << source.open_message();
  std::vector<std::vector<uint8_t>> payloads;
  std::vector<valkka_frame_t> frames = read_all(source, VALKKA_CODEC_H264, &payloads);
  Decoder decoder(VALKKA_CODEC_H264, "2");
  ASSERT_EQ(decoder.open_error(), 0) << valkka_last_error();
  size_t encoded = 0;
  for (size_t i = 0; i < frames.size(); i++) {
    valkka_frame_t f = frames[i];
    f.data = payloads[i].data();
    f.slot = 7;
    ASSERT_EQ(decoder.send(f), 0) << "frame " << i << ": " << valkka_last_error();
    encoded += f.kind == VALKKA_FRAME_ENCODED;
  }
  EXPECT_EQ(decoder.drain(), VALKKA_EOS);
  const std::vector<Picture> &pictures = decoder.pictures();
  ASSERT_EQ(pictures.size(), encoded);
  int64_t previous = 0;
  for (const Picture &p : pictures) {
    EXPECT_EQ(p.width, 320u);
    EXPECT_EQ(p.height, 240u);
    EXPECT_EQ(p.pixfmt, (uint32_t)VALKKA_PIXFMT_YUV420P);
    EXPECT_EQ(p.slot, 7u);
    EXPECT_GE(p.mstime, previous);  // shown in order even though B-frames arrive out of it
    previous = p.mstime;
  }
  EXPECT_TRUE(pictures[0].flags & VALKKA_FRAME_KEYFRAME);
}

TEST_F(MediaFile, OtherPixelFormatsComeOutAsYuv420p) {
  // yuvj420p is relabelled, yuv444p goes through libswscale.
  for (const char *pix_fmt : {"yuvj420p", "yuv444p"}) {
    std::string path = dir_->path() + "/" + pix_fmt + ".mp4";
    ASSERT_TRUE(make_test_video(path, std::string("-c:v libx264 -pix_fmt ") + pix_fmt, 0.4));
    Source source = open(path, "0");
    ASSERT_EQ(source.open_error(), 0) << source.open_message();
    Decoder decoder(VALKKA_CODEC_H264);
    ASSERT_EQ(decoder.open_error(), 0);
    size_t encoded = 0;
    while (source.read() == 0) {
      ASSERT_EQ(decoder.send(source.frame()), 0) << pix_fmt << ": " << valkka_last_error();
      encoded += source.frame().kind == VALKKA_FRAME_ENCODED;
    }
    EXPECT_EQ(decoder.drain(), VALKKA_EOS);
    ASSERT_EQ(decoder.pictures().size(), encoded) << pix_fmt;
    for (const Picture &p : decoder.pictures()) {
      EXPECT_EQ(p.pixfmt, (uint32_t)VALKKA_PIXFMT_YUV420P) << pix_fmt;
      EXPECT_EQ(p.width, 320u);
      EXPECT_EQ(p.height, 240u);
      // testsrc is colourful: neither black nor white on average, chroma off-grey.
      EXPECT_GT(p.mean_y, 40.0) << pix_fmt;
      EXPECT_LT(p.mean_y, 220.0) << pix_fmt;
    }
  }
}

TEST_F(MediaFile, ColourRangeAndSpaceComeFromTheStream) {
  // Flat grey RGB 40: Y 40 in full range, 16 + 40 * 219 / 255 = 50.4 in limited range (the same
  // for every matrix, grey has no chroma). What the SPS signals reaches the picture; a picture
  // libswscale converted is limited range whatever the stream's was.
  struct Case {
    const char *name, *args;
    uint32_t range, space;
    double y;
  };
  const Case cases[] = {
      {"yuvj420p", "-pix_fmt yuvj420p", VALKKA_COLOR_RANGE_FULL, VALKKA_COLOR_SPACE_UNKNOWN, 40},
      {"yuvj420p-bt601", "-pix_fmt yuvj420p -colorspace smpte170m", VALKKA_COLOR_RANGE_FULL,
       VALKKA_COLOR_SPACE_BT601, 40},
      {"tv-bt709", "-pix_fmt yuv420p -color_range tv -colorspace bt709", VALKKA_COLOR_RANGE_LIMITED,
       VALKKA_COLOR_SPACE_BT709, 50.4},
      {"tv-bt2020", "-pix_fmt yuv420p -color_range tv -colorspace bt2020nc",
       VALKKA_COLOR_RANGE_LIMITED, VALKKA_COLOR_SPACE_BT2020, 50.4},
      {"unsignalled", "-pix_fmt yuv420p", VALKKA_COLOR_RANGE_UNKNOWN, VALKKA_COLOR_SPACE_UNKNOWN,
       50.4},
      {"yuvj444p", "-pix_fmt yuvj444p", VALKKA_COLOR_RANGE_LIMITED, VALKKA_COLOR_SPACE_UNKNOWN,
       50.4},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = dir_->path() + "/grey-" + c.name + ".mp4";
    ASSERT_TRUE(make_lavfi_video(path, "color=c=0x282828:size=320x240:rate=25",
                                 std::string(c.args) + " -c:v libx264", 0.4));
    Source source = open(path, "0");
    ASSERT_EQ(source.open_error(), 0) << source.open_message();
    Decoder decoder(VALKKA_CODEC_H264);
    ASSERT_EQ(decoder.open_error(), 0);
    while (source.read() == 0) ASSERT_EQ(decoder.send(source.frame()), 0) << valkka_last_error();
    EXPECT_EQ(decoder.drain(), VALKKA_EOS);
    ASSERT_FALSE(decoder.pictures().empty());
    for (const Picture &p : decoder.pictures()) {
      EXPECT_EQ(p.pixfmt, (uint32_t)VALKKA_PIXFMT_YUV420P);
      EXPECT_EQ(p.color_range, c.range);
      EXPECT_EQ(p.color_space, c.space);
      EXPECT_NEAR(p.mean_y, c.y, 1.5);
    }
  }
}
