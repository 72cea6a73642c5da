/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The reconnect timings every camera gets by default (README, "RTSP cameras": exponential backoff
// capped at 10 s; live.h: a first wait of 500 ms that doubles after each failure): a camera
// whose server refuses every connection, in a live pipeline made with the default config as
// `valkka record` and the kiosk make theirs. Each RECONNECTING event announces the wait before
// the next attempt, and that attempt's failure comes no sooner than the wait.
#include <algorithm>
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "live_recorder.h"
#include "rtsp_test_util.h"

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// The waits live.h documents for the defaults: 500 ms, doubling, held at the 10 s cap. The last
// two show the cap holds once reached.
const std::vector<uint32_t> kSchedule = {500, 1000, 2000, 4000, 8000, 10000, 10000};

std::vector<StatusEvent> reconnecting(const std::vector<StatusEvent> &events) {
  std::vector<StatusEvent> out;
  for (const StatusEvent &e : events)
    if (e.state == VALKKA_STREAM_RECONNECTING) out.push_back(e);
  return out;
}

TEST(RtspBackoffDefault, ARefusedCameraWaits500MsFirstThenDoublesUpTo10s) {
  rtsp_test::RefusingPort port;
  Recorder rec;
  valkka_live_t *live = valkka_live_create(nullptr);
  ASSERT_NE(live, nullptr) << valkka_last_error();
  ASSERT_EQ(valkka_live_set_status_callback(live, Recorder::status, &rec), 0);
  ASSERT_EQ(CameraSpec({0, "refused", port.url(), "", {}}).add(live, rec), 0)
      << valkka_last_error();
  // Waits the schedule's waits twice over and a minute more for a loaded machine.
  uint32_t waits_ms = 0;
  for (size_t i = 0; i + 1 < kSchedule.size(); i++) waits_ms += kSchedule[i];
  const bool all_came =
      rec.wait_for([&] { return reconnecting(rec.events(0)).size() >= kSchedule.size(); },
                   milliseconds(2 * waits_ms + 60000));
  valkka_live_destroy(live);

  const std::vector<StatusEvent> events = rec.events(0);
  const std::vector<StatusEvent> retries = reconnecting(events);
  ASSERT_TRUE(all_came) << retries.size() << " RECONNECTING events of " << kSchedule.size();
  ASSERT_EQ(events.front().state, (uint32_t)VALKKA_STREAM_CONNECTING);
  for (const StatusEvent &e : events)
    EXPECT_TRUE(e.state == VALKKA_STREAM_CONNECTING || e.state == VALKKA_STREAM_RECONNECTING)
        << "state " << valkka_stream_state_name(e.state) << ": " << e.reason;

  // The first attempt's cost (open and fail) as this machine ran it now; later attempts cost
  // about as much. A wait may overrun by ten of them, and by the first wait in any case.
  const auto first_attempt = duration_cast<milliseconds>(retries[0].at - events.front().at);
  const milliseconds overrun = std::max(milliseconds(kSchedule[0]), 10 * first_attempt);
  for (size_t i = 0; i < kSchedule.size(); i++) {
    SCOPED_TRACE("RECONNECTING event " + std::to_string(i + 1));
    EXPECT_EQ(retries[i].attempt, i + 1);
    EXPECT_EQ(retries[i].retry_in_ms, kSchedule[i]);
    EXPECT_EQ(retries[i].error, VALKKA_ECONN) << retries[i].reason;
    if (i + 1 == kSchedule.size()) break;
    const auto gap = duration_cast<milliseconds>(retries[i + 1].at - retries[i].at);
    EXPECT_GE(gap.count(), kSchedule[i]) << "the next attempt came before the announced wait";
    EXPECT_LT(gap, milliseconds(kSchedule[i]) + overrun)
        << "first attempt took " << first_attempt.count() << " ms";
  }
}

}  // namespace
