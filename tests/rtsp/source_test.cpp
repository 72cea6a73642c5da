// source-rtsp against the GStreamer test server on loopback and against broken fakes: frames,
// configuration, timing, both transports, every failure with its code, interrupts and timeouts.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "media_support.h"
#include "rtsp_test_util.h"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using media_test::Source;
using Options = std::vector<std::pair<std::string, std::string>>;

namespace {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// NAL unit types of the Annex B units in `f`.
std::vector<int> nal_types(const valkka_frame_t &f) {
  std::vector<int> types;
  for (uint32_t i = 0; i + 3 < f.size; i++)
    if (f.data[i] == 0 && f.data[i + 1] == 0 && f.data[i + 2] == 1) {
      uint8_t header = f.data[i + 3];
      types.push_back(f.codec == VALKKA_CODEC_H265 ? (header >> 1) & 0x3f : header & 0x1f);
    }
  return types;
}

bool has(const std::vector<int> &v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

class RtspSource : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = rtsp_test::start_server().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }
  static std::string url(const std::string &mount) { return server_->url(mount); }

  // Reads `n` ENCODED frames, checking the stream's shape and timing on the way.
  static void expect_stream(Source &src, uint32_t codec, int n) {
    int encoded = 0, configs = 0;
    int64_t last = 0, last_encoded = 0;
    bool first = true;
    auto give_up = Clock::now() + 10s;
    while (encoded < n && Clock::now() < give_up) {
      int err = src.read(2000);
      if (err == VALKKA_ETIMEDOUT) continue;
      ASSERT_EQ(err, 0) << valkka_last_error();
      const valkka_frame_t &f = src.frame();
      ASSERT_TRUE(media_test::is_annexb(f));
      EXPECT_EQ(f.codec, codec);
      EXPECT_GE(f.mstime, last) << "time went back";
      EXPECT_LT(std::llabs(f.mstime - wall_ms()), 2000) << "not wall-clock time";
      last = f.mstime;
      std::vector<int> types = nal_types(f);
      if (first) {
        ASSERT_EQ(f.kind, (uint32_t)VALKKA_FRAME_CONFIG) << "the configuration comes first";
        if (codec == VALKKA_CODEC_H264) {
          EXPECT_TRUE(has(types, 7) && has(types, 8));
        } else {
          EXPECT_TRUE(has(types, 32) && has(types, 33) && has(types, 34));
        }
        first = false;
      }
      if (f.kind == VALKKA_FRAME_CONFIG) {
        configs++;
        continue;
      }
      ASSERT_EQ(f.kind, (uint32_t)VALKKA_FRAME_ENCODED);
      if (encoded == 0) {
        EXPECT_TRUE(f.flags & VALKKA_FRAME_KEYFRAME) << "starts at a keyframe";
      }
      EXPECT_GT(f.mstime, last_encoded) << "frames share a time";
      last_encoded = f.mstime;
      encoded++;
    }
    EXPECT_EQ(encoded, n);
    EXPECT_GE(configs, 1);
  }

  static RtspServerProcess *server_;
};

RtspServerProcess *RtspSource::server_ = nullptr;

TEST_F(RtspSource, H264OverTcpStartsWithConfigAndKnowsItsShape) {
  Source src("source-rtsp", url("/h264"), {});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  expect_stream(src, VALKKA_CODEC_H264, 60);
  valkka_source_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(src.info(&info), 0);
  EXPECT_EQ(info.codec, (uint32_t)VALKKA_CODEC_H264);
  EXPECT_EQ(info.width, 640u);  // read from the SPS at the first keyframe
  EXPECT_EQ(info.height, 360u);
  if (info.fps_num) {
    EXPECT_DOUBLE_EQ(double(info.fps_num) / info.fps_den, 25.0);
  }
}

TEST_F(RtspSource, H265OverTcp) {
  Source src("source-rtsp", url("/h265"), {});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  expect_stream(src, VALKKA_CODEC_H265, 30);
  valkka_source_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(src.info(&info), 0);
  EXPECT_EQ(info.codec, (uint32_t)VALKKA_CODEC_H265);
  EXPECT_EQ(info.width, 640u);
  EXPECT_EQ(info.height, 360u);
}

TEST_F(RtspSource, H264OverUdp) {
  Source src("source-rtsp", url("/h264"), {{"transport", "udp"}});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  expect_stream(src, VALKKA_CODEC_H264, 30);
}

TEST_F(RtspSource, ProbeKnowsSizeAndRateAtOpen) {
  Source src("source-rtsp", url("/cam1"), {{"probe", "1"}});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  valkka_source_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(src.info(&info), 0);
  EXPECT_EQ(info.width, 640u);
  EXPECT_EQ(info.height, 360u);
  ASSERT_GT(info.fps_den, 0u);
  EXPECT_DOUBLE_EQ(double(info.fps_num) / info.fps_den, 25.0);
  expect_stream(src, VALKKA_CODEC_H264, 5);
}

TEST_F(RtspSource, FailuresSayWhatWentWrong) {
  int port = rtsp_test::refused_port();
  {
    Source src("source-rtsp", "rtsp://admin:secret@127.0.0.1:" + std::to_string(port) + "/x", {});
    EXPECT_EQ(src.open_error(), VALKKA_ECONN) << src.open_message();
    EXPECT_EQ(src.open_message().find("secret"), std::string::npos) << src.open_message();
    EXPECT_NE(src.open_message().find("***@127.0.0.1"), std::string::npos) << src.open_message();
  }
  {
    Source src("source-rtsp", url("/no-such-path"), {});
    EXPECT_EQ(src.open_error(), VALKKA_ENOENT) << src.open_message();
    EXPECT_NE(src.open_message().find("404"), std::string::npos) << src.open_message();
  }
  {
    Source src("source-rtsp", url("/mjpeg"), {});
    EXPECT_EQ(src.open_error(), VALKKA_ECODEC) << src.open_message();
    EXPECT_NE(src.open_message().find("mjpeg"), std::string::npos) << src.open_message();
  }
  {
    rtsp_test::FakeCamera garbage(rtsp_test::FakeCamera::Mode::Garbage);
    Source src("source-rtsp", garbage.url(), {{"timeout_ms", "2000"}});
    EXPECT_TRUE(src.open_error() == VALKKA_EFORMAT || src.open_error() == VALKKA_ECONN)
        << valkka_err_name(src.open_error()) << ": " << src.open_message();
    EXPECT_FALSE(src.open_message().empty());
  }
  {
    rtsp_test::FakeCamera silent(rtsp_test::FakeCamera::Mode::Silent);
    auto start = Clock::now();
    Source src("source-rtsp", silent.url(), {{"timeout_ms", "700"}});
    auto took = Clock::now() - start;
    EXPECT_EQ(src.open_error(), VALKKA_ETIMEDOUT) << src.open_message();
    EXPECT_NE(src.open_message().find("700 ms"), std::string::npos) << src.open_message();
    EXPECT_GE(took, 650ms);
    EXPECT_LT(took, 2s) << "the open timeout did not hold";
    EXPECT_EQ(silent.accepted(), 1);
  }
  for (const Options &bad : {Options{{"transport", "sctp"}}, Options{{"timeout_ms", "0"}},
                             Options{{"clock_tolerance_ms", "x"}}, Options{{"probe", "2"}}}) {
    Source src("source-rtsp", url("/h264"), bad);
    EXPECT_EQ(src.open_error(), VALKKA_EINVAL) << bad[0].first;
    EXPECT_NE(src.open_message().find(bad[0].first), std::string::npos) << src.open_message();
  }
}

// A server at 2 frames per second leaves reads waiting long enough to interrupt or time out.
class RtspSlowSource : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = rtsp_test::start_server({"--fps", "2"}).release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }
  static RtspServerProcess *server_;
};

RtspServerProcess *RtspSlowSource::server_ = nullptr;

// Reads until an ENCODED frame arrives (or 5 s pass).
int read_encoded(Source &src, int timeout_ms) {
  auto give_up = Clock::now() + 5s;
  while (Clock::now() < give_up) {
    int err = src.read(timeout_ms);
    if (err == VALKKA_ETIMEDOUT) continue;
    if (err || src.frame().kind == VALKKA_FRAME_ENCODED) return err;
  }
  return VALKKA_ETIMEDOUT;
}

TEST_F(RtspSlowSource, InterruptEndsABlockedReadWithinAFewPolls) {
  Source src("source-rtsp", server_->url("/h264"), {});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  ASSERT_EQ(read_encoded(src, 2000), 0) << valkka_last_error();
  // The next frame is ~500 ms away: the read blocks, and another thread interrupts it.
  Clock::time_point interrupted_at;
  std::thread interrupter([&] {
    std::this_thread::sleep_for(150ms);
    interrupted_at = Clock::now();
    src.interrupt();
  });
  int err = src.read(5000);
  auto returned_at = Clock::now();
  interrupter.join();
  EXPECT_EQ(err, VALKKA_EINTR);
  auto latency =
      std::chrono::duration_cast<std::chrono::milliseconds>(returned_at - interrupted_at);
  printf("interrupt -> read returned in %lld ms\n", (long long)latency.count());
  EXPECT_LT(latency, 300ms);
  auto again = Clock::now();
  EXPECT_EQ(src.read(5000), VALKKA_EINTR) << "reads after an interrupt return at once";
  EXPECT_LT(Clock::now() - again, 50ms);
}

TEST_F(RtspSlowSource, ReadTimeoutsLeaveTheStreamIntact) {
  Source src("source-rtsp", server_->url("/h264"), {});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  ASSERT_EQ(read_encoded(src, 2000), 0) << valkka_last_error();
  int timeouts = 0, frames = 0;
  int64_t last = src.frame().mstime;
  auto until = Clock::now() + 3s;
  while (Clock::now() < until) {
    auto start = Clock::now();
    int err = src.read(100);
    auto took = Clock::now() - start;
    EXPECT_LT(took, 400ms) << "a 100 ms read took too long";
    if (err == VALKKA_ETIMEDOUT) {
      timeouts++;
      continue;
    }
    ASSERT_EQ(err, 0) << valkka_last_error();
    EXPECT_GT(src.frame().mstime, last);
    last = src.frame().mstime;
    if (src.frame().kind == VALKKA_FRAME_ENCODED) frames++;
  }
  EXPECT_GE(timeouts, 10);
  EXPECT_GE(frames, 4) << "frames stopped after read timeouts";
}

}  // namespace
