/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Broken cameras next to a good one: a port that accepts and says nothing, one that answers
// garbage, a refused port, a wrong path, an MJPEG stream. Each gets a clear state and reason,
// nothing crashes or hangs, and the good camera streams on at its rate throughout.
#include <gtest/gtest.h>

#include <chrono>

#include "live_recorder.h"
#include "rtsp_test_util.h"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// How long a wait may take before the test fails: only a failing run waits this long.
constexpr auto kPatience = 30s;
// The test server's frames are 1000 / 25 ms apart on its clock.
constexpr int64_t kFrameStepMs = 40;

struct Fault {
  uint32_t slot;
  std::string url;
  std::vector<int> codes;  // acceptable errors
  std::string reason_has;
  bool final_state_failed;
};

bool reconnecting_twice(Recorder &rec, uint32_t slot) {
  int n = 0;
  for (const StatusEvent &e : rec.events(slot))
    if (e.state == VALKKA_STREAM_RECONNECTING) n++;
  return n >= 2;
}

TEST(RtspFaults, BrokenCamerasFailClearlyWhileAGoodOneStreams) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<RtspServerProcess> locked = rtsp_test::start_server({"--auth", "viewer:right"});
  ASSERT_NE(locked, nullptr);
  std::string wrong_password = locked->url("/cam0");
  wrong_password.insert(wrong_password.find("//") + 2, "viewer:wrong@");
  rtsp_test::FakeCamera silent(rtsp_test::FakeCamera::Mode::Silent);
  rtsp_test::FakeCamera garbage(rtsp_test::FakeCamera::Mode::Garbage);
  std::string refused = "rtsp://127.0.0.1:" + std::to_string(rtsp_test::refused_port()) + "/cam0";
  const std::vector<Fault> faults = {
      {1, silent.url(), {VALKKA_ETIMEDOUT}, "no answer within 1000 ms", false},
      {2, garbage.url(), {VALKKA_EFORMAT, VALKKA_ECONN}, "127.0.0.1", false},
      {3, refused, {VALKKA_ECONN}, "refused", false},
      // Only new settings mend these: FAILED after 3 attempts (settings_attempts).
      {4, server->url("/no-such-camera"), {VALKKA_ENOENT}, "404", true},
      {5, server->url("/mjpeg"), {VALKKA_ECODEC}, "mjpeg", true},
      {6, wrong_password, {VALKKA_EACCES}, "401", true},
  };

  Recorder rec;
  valkka_plugins_load();
  valkka_live_config_t config{};
  config.struct_size = sizeof config;
  config.backoff_initial_ms = 200;
  config.backoff_max_ms = 400;
  valkka_live_t *live = valkka_live_create(&config);
  ASSERT_NE(live, nullptr) << valkka_last_error();
  ASSERT_EQ(valkka_live_set_status_callback(live, Recorder::status, &rec), 0);
  const std::vector<std::pair<std::string, std::string>> options = {{"timeout_ms", "1000"}};
  ASSERT_EQ(CameraSpec({0, "good", server->url("/cam0"), "", options}).add(live, rec), 0);
  ASSERT_TRUE(rec.wait_for([&] { return rec.counts(0).encoded >= 25; }, kPatience))
      << "the good camera does not stream";
  const SlotCounts good_before = rec.counts(0);
  for (const Fault &f : faults)
    ASSERT_EQ(
        CameraSpec({f.slot, "fault" + std::to_string(f.slot), f.url, "", options}).add(live, rec),
        0);

  ASSERT_TRUE(rec.wait_for(
      [&] {
        for (const Fault &f : faults)
          if (f.final_state_failed ? rec.state(f.slot) != VALKKA_STREAM_FAILED
                                   : !reconnecting_twice(rec, f.slot))
            return false;
        return true;
      },
      kPatience))
      << "a broken camera hangs or is not reported";
  // And six seconds of the good camera from before the faults on: a span its clock's first
  // reports, which may move it by a hundred ms or so, shift by little.
  ASSERT_TRUE(
      rec.wait_for([&] { return rec.counts(0).encoded >= good_before.encoded + 150; }, kPatience))
      << "the good camera stopped";

  for (const Fault &f : faults) {
    std::vector<StatusEvent> events = rec.events(f.slot);
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[0].state, (uint32_t)VALKKA_STREAM_CONNECTING);
    for (size_t i = 1; i < events.size(); i++) {
      const StatusEvent &e = events[i];
      EXPECT_TRUE(e.state == VALKKA_STREAM_RECONNECTING || e.state == VALKKA_STREAM_FAILED)
          << f.url << ": " << valkka_stream_state_name(e.state);
      EXPECT_NE(std::find(f.codes.begin(), f.codes.end(), e.error), f.codes.end())
          << f.url << ": " << valkka_err_name(e.error) << " " << e.reason;
      EXPECT_NE(e.reason.find(f.reason_has), std::string::npos) << f.url << ": " << e.reason;
    }
    printf("%-45s %-13s %s: %s\n", f.url.c_str(), valkka_stream_state_name(events.back().state),
           valkka_err_name(events.back().error), events.back().reason.c_str());
  }
  EXPECT_EQ(rec.events(5).size(), 2u) << "ECODEC is final: no retry";
  // CONNECTING, RECONNECTING twice, FAILED at the third 404 or 401.
  EXPECT_EQ(rec.events(4).size(), 4u);
  EXPECT_EQ(rec.events(6).size(), 4u);

  // The good camera was not held up by the others: it got every frame its camera made meanwhile,
  // counted by the camera's own clock (a frame every 40 ms).
  const SlotCounts good = rec.counts(0);
  const double got = double(good.encoded - good_before.encoded);
  const double made = double(good.last_mstime - good_before.last_mstime) / kFrameStepMs;
  EXPECT_GT(got, 0) << "the good camera had no frame while the others failed";
  EXPECT_NEAR(got, made, made * 0.1) << "frames over " << made * kFrameStepMs << " ms";
  EXPECT_EQ(rec.state(0), (uint32_t)VALKKA_STREAM_STREAMING);
  EXPECT_FALSE(good.time_went_back);

  // Tearing down does not wait on broken cameras: it takes less than one connection attempt of
  // the silent camera took here (its open timeout), whatever the machine's pace.
  const std::vector<StatusEvent> silent_events = rec.events(1);
  const auto attempt = silent_events[1].at - silent_events[0].at;
  auto stop_start = Clock::now();
  valkka_live_destroy(live);
  const auto took = Clock::now() - stop_start;
  printf("destroy took %lld ms, one attempt on the silent camera %lld ms\n",
         (long long)std::chrono::duration_cast<std::chrono::milliseconds>(took).count(),
         (long long)std::chrono::duration_cast<std::chrono::milliseconds>(attempt).count());
  EXPECT_LT(took, attempt);
}

}  // namespace
