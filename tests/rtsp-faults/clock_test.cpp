/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera whose clock jumps. The fault proxy rewrites the NTP time of its RTCP sender reports
// (the camera's wall clock) and its RTP timestamps (its media clock), mid-session and across
// reconnects, and sends each session's first sender report ahead of its frames (which then come
// in a burst) so the camera's clock times them from the start. Whatever the jump, the recorded
// times rise strictly (across reconnects too), stay within the camera-clock tolerance of our
// clock (a clock an hour off is never used), are never timed far ahead of their arrival (not
// even by a camera clock ahead of ours, which is brought back to it), and a synthetic camera
// beside it records without a gap.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "fault_checks.h"
#include "recording.h"
#include "rtsp_proxy.h"

using namespace std::chrono_literals;

namespace {

constexpr uint32_t kCamera = 0, kSynthetic = 1;
constexpr int64_t kToleranceMs = 5000;  // source-rtsp's default clock_tolerance_ms
constexpr int64_t kHourMs = 3600 * 1000;
constexpr uint32_t kRtpHz = 90000;
// How far ahead of its arrival a frame may be timed: source-rtsp's limit for a camera clock ahead
// of ours (RTSP_CLOCK_AHEAD_MAX_MS, 250 ms) and a frame's spacing, with room to spare.
constexpr int64_t kAheadMs = 500;

struct Step {
  const char *what;
  int64_t ntp_offset_ms;
  int64_t rtp_offset_s;
  bool reconnect;  // cut the session so the next one starts with the clock as it is now
};

const Step kSteps[] = {
    // The first frames wait for the sender report and come in a burst: timed as captured, not
    // ahead of their arrival.
    {"as it is", 0, 0, false},
    {"wall clock an hour back, mid-session", -kHourMs, 0, false},
    {"wall clock an hour ahead, new session", kHourMs, 0, true},
    {"wall clock 3 s ahead, new session", 3000, 0, true},
    {"wall clock 3 s ahead, another session", 3000, 0, true},
    {"wall clock 3 s behind, new session", -3000, 0, true},
    {"media clock 30 s back, mid-session", -3000, -30, false},
    {"media clock an hour ahead, mid-session", -3000, 3600 - 30, false},
};

TEST(RtspCameraClock, JumpsNeverSendTimeBackNorFarFromOurs) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  RtspProxy proxy(server->port());
  ASSERT_TRUE(proxy.ok());
  proxy.sr_first(true);
  valkka_live_config_t config{};
  config.backoff_initial_ms = 100;
  config.backoff_max_ms = 400;
  rtsp_test::RecordingRig rig(config);
  ASSERT_TRUE(rig.ok());
  Recorder &rec = rig.recorder();
  // The frames of a new session wait for its first sender report: a longer socket timeout.
  ASSERT_EQ(rig.add_camera(kCamera, proxy.url("/cam3"), {{"timeout_ms", "5000"}}), 0);
  ASSERT_EQ(rig.add_camera(kSynthetic, "synthetic://3"), 0);
  ASSERT_TRUE(rec.wait_for(
      [&] {
        return rec.state(kCamera) == VALKKA_STREAM_STREAMING &&
               rec.state(kSynthetic) == VALKKA_STREAM_STREAMING;
      },
      15s));

  size_t reconnects = 0;
  for (const Step &step : kSteps) {
    proxy.set_ntp_offset_ms(step.ntp_offset_ms);
    proxy.set_rtp_offset(uint32_t(step.rtp_offset_s * int64_t(kRtpHz)));
    size_t mark = rec.events(kCamera).size();
    size_t frames = rig.accepted(kCamera).encoded;
    if (step.reconnect) {
      proxy.reset_mid_frame();
      reconnects++;
      ASSERT_TRUE(rec.wait_for(
          [&] {
            std::vector<StatusEvent> e = rec.events(kCamera);
            return e.size() > mark && e.back().state == VALKKA_STREAM_STREAMING;
          },
          15s))
          << step.what << ": no new session";
    }
    // Enough of the session for a sender report (every few seconds) and the anchor's window.
    ASSERT_TRUE(rec.wait_for([&] { return rig.accepted(kCamera).encoded >= frames + 100; }, 15s))
        << step.what;
    rtsp_test::Accepted a = rig.accepted(kCamera);
    int64_t lo = INT64_MAX, hi = INT64_MIN, stall = 0;
    for (size_t i = frames; i < a.encoded_times.size(); i++) {
      lo = std::min(lo, a.encoded_times[i] - a.encoded_arrivals[i]);
      hi = std::max(hi, a.encoded_times[i] - a.encoded_arrivals[i]);
      if (i > 0) stall = std::max(stall, a.encoded_arrivals[i] - a.encoded_arrivals[i - 1]);
    }
    printf("%-42s frames timed %+lld .. %+lld ms from their arrival (longest wait %lld ms)\n",
           step.what, (long long)lo, (long long)hi, (long long)stall);
    // Frames held up on the way (for a new session's first sender report, by a proxy or a
    // server starved of CPU) arrive late and are timed as captured: behind their arrival by as
    // long as the wait for them, the wait for the step's first frame included.
    EXPECT_GE(lo, -kToleranceMs - 1000 - stall) << step.what;
    EXPECT_LE(hi, kAheadMs) << step.what;
  }
  rig.stop();

  rtsp_test::Accepted a = rig.accepted(kCamera);
  for (size_t i = 1; i < a.encoded_times.size(); i++)
    ASSERT_GT(a.encoded_times[i], a.encoded_times[i - 1]) << "frame " << i << " went back";
  std::vector<StatusEvent> e = rec.events(kCamera);
  EXPECT_EQ(faults::bad_transition(e), "");
  // One failure per cut and nothing else: a clock jump is no failure.
  EXPECT_EQ(faults::count_state(e, VALKKA_STREAM_RECONNECTING), reconnects);
  EXPECT_EQ(faults::count_state(e, VALKKA_STREAM_STALLED), 0u);
  std::vector<rtsp_test::Record> records = rig.records();
  faults::Coverage camera = faults::coverage(records, kCamera + 1);
  faults::Coverage synthetic = faults::coverage(records, kSynthetic + 1);
  printf("camera %s; synthetic %s; %llu sender reports\n", faults::describe(camera).c_str(),
         faults::describe(synthetic).c_str(), (unsigned long long)proxy.counters().sender_reports);
  EXPECT_TRUE(camera.ordered);
  EXPECT_GE(camera.frames, 50u) << "the camera recorded";
  EXPECT_TRUE(faults::recorded_without_gap(synthetic, 50));
  EXPECT_EQ(faults::count_state(rec.events(kSynthetic), VALKKA_STREAM_RECONNECTING), 0u);
}

}  // namespace
