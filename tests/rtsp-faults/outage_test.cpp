/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera that stays down for an hour: the fault proxy refuses its connections while the
// recorder keeps trying, with the live pipeline's backoff scaled down by kScale (first wait and
// cap 1/kScale of the defaults, 500 ms and 10 s) so an hour of the default schedule passes in
// seconds. Every attempt is reported, the wait doubles from the first to the cap and stays there,
// the attempts count up without a gap, the camera never gives up, memory does not grow, and
// when the camera returns it streams again within one capped wait. A synthetic camera records
// beside it all along without a gap.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "fault_checks.h"
#include "recording.h"
#include "rtsp_proxy.h"

using namespace std::chrono_literals;

namespace {

constexpr uint32_t kScale = 200;
constexpr uint32_t kInitialMs = 500 / kScale + 1;  // 3: the default first wait, scaled
constexpr uint32_t kCapMs = 10000 / kScale;        // 50: the default cap, scaled
constexpr uint32_t kCamera = 0, kSynthetic = 1;

// About what this test's own status log grew by from `from` events to `to`, in kB: an hour of
// attempts is thousands of events, all kept, and part of the RSS the test samples. The log is one
// vector that doubles (libstdc++) plus each event's strings past the short-string buffer.
long log_kb(const std::vector<StatusEvent> &events, size_t from, size_t to) {
  const size_t malloc_overhead = 16, sso = 15;
  auto capacity = [](size_t n) {
    size_t c = 1;
    while (c < n) c *= 2;
    return c;
  };
  size_t bytes = (capacity(to) - capacity(from)) * sizeof(StatusEvent);
  for (size_t i = from; i < to && i < events.size(); i++)
    for (const std::string *text : {&events[i].name, &events[i].reason})
      if (text->capacity() > sso) bytes += text->capacity() + 1 + malloc_overhead;
  return long(bytes / 1024);
}

// Waits, scaled back to the default schedule, as seconds of simulated outage.
double simulated_s(const std::vector<StatusEvent> &events, size_t from) {
  double ms = 0;
  for (size_t i = from; i < events.size(); i++)
    if (events[i].state == VALKKA_STREAM_RECONNECTING) ms += double(events[i].retry_in_ms) * kScale;
  return ms / 1000.0;
}

TEST(RtspOutage, CameraDownForAnHourOfSimulatedTime) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  RtspProxy proxy(server->port());
  ASSERT_TRUE(proxy.ok());
  valkka_live_config_t config{};
  config.backoff_initial_ms = kInitialMs;
  config.backoff_max_ms = kCapMs;
  rtsp_test::RecordingRig rig(config);
  ASSERT_TRUE(rig.ok());
  Recorder &rec = rig.recorder();
  ASSERT_EQ(rig.add_camera(kCamera, proxy.url("/cam2"), {{"timeout_ms", "2000"}}), 0);
  ASSERT_EQ(rig.add_camera(kSynthetic, "synthetic://2"), 0);
  ASSERT_TRUE(rec.wait_for(
      [&] {
        return rec.state(kCamera) == VALKKA_STREAM_STREAMING &&
               rec.state(kSynthetic) == VALKKA_STREAM_STREAMING;
      },
      15s));
  std::this_thread::sleep_for(1s);

  const double hours = faults::env_count("VALKKA_OUTAGE_HOURS", 1);
  const size_t mark = rec.events(kCamera).size();
  proxy.set_down(true);
  long rss_early = 0;
  size_t events_early = 0;
  // Bounded: refused connections fail at once, so an hour of the schedule takes
  // 3600 s / kScale plus the attempts themselves.
  ASSERT_TRUE(rec.wait_for(
      [&] {
        std::vector<StatusEvent> e = rec.events(kCamera);
        if (!rss_early && faults::count_state(e, VALKKA_STREAM_RECONNECTING, mark) >= 60) {
          rss_early = faults::rss_kb();
          events_early = e.size();
        }
        return simulated_s(e, mark) >= hours * 3600;
      },
      std::chrono::milliseconds(int64_t(hours * 3600 * 1000 / kScale * 4 + 30000))))
      << "the attempts stopped or slowed down";
  long rss_late = faults::rss_kb();
  const size_t back = rec.events(kCamera).size();
  const long log_growth_kb = log_kb(rec.events(kCamera), events_early, back);
  proxy.set_down(false);
  ASSERT_TRUE(rec.wait_for(
      [&] {
        std::vector<StatusEvent> e = rec.events(kCamera);
        return e.size() > back && e.back().state == VALKKA_STREAM_STREAMING;
      },
      10s))
      << "the camera did not come back";
  std::this_thread::sleep_for(1s);
  rig.stop();

  std::vector<StatusEvent> e = rec.events(kCamera);
  const size_t attempts = faults::count_state(e, VALKKA_STREAM_RECONNECTING, mark);
  EXPECT_EQ(faults::bad_transition(e), "");
  EXPECT_EQ(faults::count_state(e, VALKKA_STREAM_FAILED), 0u);
  // The first failure is the lost session, the rest are refused connections; the wait doubles
  // from the first to the cap, then stays at the cap.
  uint32_t expected_wait = kInitialMs;
  for (size_t i = mark; i < e.size() && e[i].state == VALKKA_STREAM_RECONNECTING; i++) {
    SCOPED_TRACE("attempt " + std::to_string(i - mark + 1) + ": " + e[i].reason);
    EXPECT_EQ(e[i].attempt, uint32_t(i - mark + 1));
    EXPECT_EQ(e[i].retry_in_ms, expected_wait);
    EXPECT_EQ(e[i].error, VALKKA_ECONN);
    if (i > mark) {
      EXPECT_NE(e[i].reason.find("refused"), std::string::npos);
    }
    expected_wait = std::min(expected_wait * 2, kCapMs);
    if (HasFailure()) break;
  }
  EXPECT_EQ(e.back().state, (uint32_t)VALKKA_STREAM_STREAMING);
  EXPECT_EQ(e.back().attempt, uint32_t(attempts)) << "the attempts before it succeeded";

  std::vector<rtsp_test::Record> records = rig.records();
  faults::Coverage synthetic = faults::coverage(records, kSynthetic + 1);
  faults::Coverage camera = faults::coverage(records, kCamera + 1);
  printf("outage: %.1f h simulated, %zu attempts, camera %s; synthetic %s; RSS %ld -> %ld kB, "
         "of which this test's status log %ld kB\n",
         simulated_s(e, mark) / 3600, attempts, faults::describe(camera).c_str(),
         faults::describe(synthetic).c_str(), rss_early, rss_late, log_growth_kb);
  EXPECT_TRUE(faults::recorded_without_gap(synthetic, 50));
  EXPECT_EQ(faults::count_state(rec.events(kSynthetic), VALKKA_STREAM_RECONNECTING), 0u);
  EXPECT_TRUE(camera.ordered);
  EXPECT_GT(camera.frames, 25u);
  if (!faults::sanitized()) {
    ASSERT_GT(rss_early, 0);
    // Hundreds of failed opens: an allocation kept per attempt would show here.
    EXPECT_LT(rss_late - rss_early - log_growth_kb, 4096)
        << "kB grown over " << attempts - 60 << " attempts, besides the test's own log";
  }
}

}  // namespace
