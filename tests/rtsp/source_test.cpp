/* SPDX-License-Identifier: LGPL-2.1-or-later */
// source-rtsp against the GStreamer test server on loopback and against broken fakes: frames,
// configuration, timing, both transports, every failure with its code, interrupts and timeouts.
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "media_support.h"
#include "rtsp_proxy.h"
#include "rtsp_test_util.h"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using media_test::Source;
using Options = std::vector<std::pair<std::string, std::string>>;

namespace {

// How long a loop or a wait may take before the test fails: only a failing run takes this long.
constexpr auto kPatience = 30s;
// How far a frame's time may be off our clock: source-rtsp's default clock_tolerance_ms, past
// which a camera's RTCP clock is not used. The test server's clock is ours, but its reports on a
// loaded machine put frames ahead of us by a hundred ms and more.
constexpr int64_t kClockToleranceMs = 5000;

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
  static std::string url(const std::string &mount) { return server_->url(mount); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    started_ms_ = wall_ms();
  }

  // Reads `n` ENCODED frames, checking the stream's shape and timing on the way.
  void expect_stream(Source &src, uint32_t codec, int n) {
    int encoded = 0, configs = 0;
    int64_t last = 0, last_encoded = 0;
    bool first = true;
    auto give_up = Clock::now() + kPatience;
    while (encoded < n && Clock::now() < give_up) {
      int err = src.read(2000);
      const int64_t read_ms = wall_ms();
      if (err == VALKKA_ETIMEDOUT) continue;
      ASSERT_EQ(err, 0) << valkka_last_error();
      const valkka_frame_t &f = src.frame();
      ASSERT_TRUE(media_test::is_annexb(f));
      EXPECT_EQ(f.codec, codec);
      EXPECT_GE(f.mstime, last) << "time went back";
      // Wall-clock time: made after this test began, and received by the time the read returned,
      // as far as the camera's clock may be off ours.
      EXPECT_GE(f.mstime, started_ms_ - kClockToleranceMs) << "not wall-clock time";
      EXPECT_LE(f.mstime, read_ms + kClockToleranceMs) << "not wall-clock time";
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
  int64_t started_ms_ = 0;
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
    // Without its own deadline the open would wait on a silent camera for ever.
    EXPECT_LT(took, kPatience) << "the open timeout did not hold";
    EXPECT_EQ(silent.accepted(), 1);
  }
  for (const Options &bad : {Options{{"transport", "sctp"}}, Options{{"timeout_ms", "0"}},
                             Options{{"clock_tolerance_ms", "x"}}, Options{{"probe", "2"}}}) {
    Source src("source-rtsp", url("/h264"), bad);
    EXPECT_EQ(src.open_error(), VALKKA_EINVAL) << bad[0].first;
    EXPECT_NE(src.open_message().find(bad[0].first), std::string::npos) << src.open_message();
  }
}

// README's default timeout_ms: a silent camera opened without the option times out after 5000 ms,
// and the error says so, as it says any timeout it was given (FailuresSayWhatWentWrong).
TEST_F(RtspSource, ASilentCameraTimesOutAfterTheDefault5000Ms) {
  rtsp_test::FakeCamera silent(rtsp_test::FakeCamera::Mode::Silent);
  Source src("source-rtsp", silent.url(), {});
  EXPECT_EQ(src.open_error(), VALKKA_ETIMEDOUT) << src.open_message();
  EXPECT_NE(src.open_message().find("no answer within 5000 ms"), std::string::npos)
      << src.open_message();
  EXPECT_EQ(silent.accepted(), 1);
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

// Reads until an ENCODED frame arrives (or the patience runs out).
int read_encoded(Source &src, int timeout_ms) {
  auto give_up = Clock::now() + kPatience;
  while (Clock::now() < give_up) {
    int err = src.read(timeout_ms);
    if (err == VALKKA_ETIMEDOUT) continue;
    if (err || src.frame().kind == VALKKA_FRAME_ENCODED) return err;
  }
  return VALKKA_ETIMEDOUT;
}

// Whether thread `tid` of this process waits in a futex (a condition variable, a mutex) now.
bool waits_in_futex(pid_t tid) {
  std::ifstream syscall_file("/proc/self/task/" + std::to_string(tid) + "/syscall");
  long number = -1;
  return syscall_file >> number && number == SYS_futex;
}

TEST_F(RtspSlowSource, InterruptEndsABlockedRead) {
  // Through a proxy that then stalls: no frame can end the read, only the interrupt or the
  // source's timeouts, which are long (kLongMs) so that the two cannot be taken for each other.
  RtspProxy proxy(server_->port());
  ASSERT_TRUE(proxy.ok());
  const int kLongMs = 30000;
  Source src("source-rtsp", proxy.url("/h264"), {{"timeout_ms", std::to_string(kLongMs)}});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  ASSERT_EQ(read_encoded(src, 2000), 0) << valkka_last_error();
  proxy.stall(true);

  // The interrupt comes once this thread is seen waiting inside the read.
  const pid_t reader = pid_t(syscall(SYS_gettid));
  std::atomic<bool> reading{false}, seen_waiting{false};
  Clock::time_point interrupted_at;
  std::thread interrupter([&] {
    auto give_up = Clock::now() + kPatience;
    while (!(seen_waiting = reading && waits_in_futex(reader)) && Clock::now() < give_up)
      std::this_thread::sleep_for(1ms);
    interrupted_at = Clock::now();
    src.interrupt();
  });
  reading = true;
  // Frames sent before the stall took hold may still come; none after them.
  int err = 0, before_stall = 0;
  while ((err = src.read(kLongMs)) == 0 && before_stall < 10) before_stall++;
  auto returned_at = Clock::now();
  interrupter.join();
  EXPECT_TRUE(seen_waiting) << "the read was never seen waiting";
  EXPECT_EQ(err, VALKKA_EINTR) << valkka_err_name(err);
  auto latency =
      std::chrono::duration_cast<std::chrono::milliseconds>(returned_at - interrupted_at);
  printf("interrupt -> read returned in %lld ms (%d frames from before the stall)\n",
         (long long)latency.count(), before_stall);
  EXPECT_LT(latency, std::chrono::milliseconds(kLongMs / 2)) << "ended by a timeout, not at once";
  auto again = Clock::now();
  EXPECT_EQ(src.read(kLongMs), VALKKA_EINTR) << "reads after an interrupt return at once";
  EXPECT_LT(Clock::now() - again, std::chrono::milliseconds(kLongMs / 2));
  proxy.stall(false);
}

TEST_F(RtspSlowSource, ReadTimeoutsLeaveTheStreamIntact) {
  Source src("source-rtsp", server_->url("/h264"), {});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  ASSERT_EQ(read_encoded(src, 2000), 0) << valkka_last_error();
  // Frames are 500 ms apart: 100 ms reads time out between them, and the frames go on after.
  int timeouts = 0, frames = 0;
  int64_t last = src.frame().mstime;
  auto give_up = Clock::now() + kPatience;
  while ((timeouts < 10 || frames < 4) && Clock::now() < give_up) {
    int err = src.read(100);
    if (err == VALKKA_ETIMEDOUT) {
      timeouts++;
      continue;
    }
    ASSERT_EQ(err, 0) << valkka_last_error();
    EXPECT_GT(src.frame().mstime, last);
    last = src.frame().mstime;
    if (src.frame().kind == VALKKA_FRAME_ENCODED && timeouts) frames++;
  }
  EXPECT_GE(timeouts, 10) << "100 ms reads between frames 500 ms apart did not time out";
  EXPECT_GE(frames, 4) << "frames stopped after read timeouts";
}

}  // namespace
