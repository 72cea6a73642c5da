/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The server dies mid-recording and comes back on the same port: the camera goes STREAMING ->
// RECONNECTING -> STREAMING at its first attempt after the server listens again, the recording
// resumes with a gap as long as the outage, and nothing recorded before it is lost. And a server
// that freezes with the connection open: STALLED, then RECONNECTING once the socket timeout
// passes, never a hang. And a UDP-only server restarted: reconnected over UDP, TCP not tried again.
#include <gtest/gtest.h>

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "recording.h"

using namespace std::chrono_literals;

namespace {

// How long a wait may take before the test fails: only a failing run waits this long.
constexpr auto kPatience = 30s;
// Frames before and after the outage: two seconds of the 25 fps stream each.
constexpr uint64_t kFramesAround = 50;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

size_t count_state(const std::vector<StatusEvent> &events, uint32_t state, size_t from = 0) {
  return size_t(std::count_if(events.begin() + std::ptrdiff_t(std::min(from, events.size())),
                              events.end(),
                              [&](const StatusEvent &e) { return e.state == state; }));
}

// A recording of `url` as camera 0, reconnected quickly (backoff 250 ms doubling up to
// `backoff_max_ms`), with a socket timeout of 2 s; nullptr, the test failed, when it cannot start.
std::unique_ptr<rtsp_test::RecordingRig> quick_rig(const std::string &url,
                                                   uint32_t backoff_max_ms) {
  valkka_live_config_t config{};
  config.backoff_initial_ms = 250;
  config.backoff_max_ms = backoff_max_ms;
  auto rig = std::make_unique<rtsp_test::RecordingRig>(config);
  if (!rig->ok() || rig->add_camera(0, url, {{"timeout_ms", "2000"}}) != 0) {
    ADD_FAILURE() << "cannot record " << url << ": " << valkka_last_error();
    return nullptr;
  }
  return rig;
}

TEST(RtspReconnect, ServerRestartMidRecording) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<rtsp_test::RecordingRig> rig_owned = quick_rig(server->url("/cam0"), 2000);
  ASSERT_NE(rig_owned, nullptr);
  rtsp_test::RecordingRig &rig = *rig_owned;
  Recorder &rec = rig.recorder();
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(0) == VALKKA_STREAM_STREAMING; }, kPatience));
  ASSERT_TRUE(rec.wait_for([&] { return rig.accepted(0).encoded >= kFramesAround; }, kPatience));

  server->stop();
  const int64_t stopped_ms = wall_ms();  // down from here on at the latest
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(0) == VALKKA_STREAM_RECONNECTING; }, kPatience))
      << "the lost server went unnoticed";
  // The outage lasts until the camera was refused three times after losing the stream (backoff
  // 250, 500 and 1000 ms, about two seconds), and its next wait is the cap.
  ASSERT_TRUE(rec.wait_for(
      [&] { return count_state(rec.events(0), VALKKA_STREAM_RECONNECTING) >= 4; }, kPatience))
      << "refused attempts not reported";

  const int64_t restarting_ms = wall_ms();  // down until here at least
  std::string err;
  ASSERT_TRUE(server->start(&err)) << err;
  const size_t listening = rec.events(0).size();
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(0) == VALKKA_STREAM_STREAMING; }, kPatience));
  // Back at the first attempt that found the server listening: at most the attempt that was on
  // its way as it came back failed more.
  EXPECT_LE(count_state(rec.events(0), VALKKA_STREAM_RECONNECTING, listening), 1u)
      << "attempts failed after the server listened again";
  const uint64_t back = rig.accepted(0).encoded;
  ASSERT_TRUE(
      rec.wait_for([&] { return rig.accepted(0).encoded >= back + kFramesAround; }, kPatience))
      << "the recording did not resume";
  rig.stop();

  std::vector<StatusEvent> events = rec.events(0);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events[1].state, (uint32_t)VALKKA_STREAM_STREAMING);
  EXPECT_EQ(events[2].state, (uint32_t)VALKKA_STREAM_RECONNECTING);
  EXPECT_EQ(events[2].error, VALKKA_ECONN) << events[2].reason;
  EXPECT_FALSE(events[2].reason.empty());
  EXPECT_EQ(events.back().state, (uint32_t)VALKKA_STREAM_STREAMING);
  EXPECT_EQ(count_state(events, VALKKA_STREAM_STREAMING), 2u);
  for (const StatusEvent &e : events)
    if (e.state == VALKKA_STREAM_RECONNECTING) {
      EXPECT_LE(e.retry_in_ms, 2000u);
    }

  // The recording: frames before the outage, a gap as long as the server was certainly down,
  // frames after. The camera's clock is ours, but its reports may put a session's frames some
  // hundred ms off it on a loaded machine: half the outage is far above that, and far above the
  // one frame step of a recording that hid the outage.
  std::vector<int64_t> times;
  for (const rtsp_test::Record &r : rig.records())
    if (r.stream_id == 1 && r.kind == VALKKA_FRAME_ENCODED) times.push_back(r.mstime);
  EXPECT_EQ(times, rig.accepted(0).encoded_times) << "recorded frames were lost";
  ASSERT_GE(times.size(), 2 * kFramesAround);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  size_t gap_at = 0;
  for (size_t i = 1; i < times.size(); i++)
    if (times[i] - times[i - 1] > times[gap_at] - (gap_at ? times[gap_at - 1] : times[0]))
      gap_at = i;
  int64_t gap = times[gap_at] - times[gap_at - 1];
  int64_t down = restarting_ms - stopped_ms;
  printf("server down for %lld ms at least, gap in the recording %lld ms\n", (long long)down,
         (long long)gap);
  EXPECT_GE(gap, down / 2);
  EXPECT_GE(gap_at, kFramesAround) << "frames before the outage";
  EXPECT_GE(times.size() - gap_at, kFramesAround) << "the recording did not resume";
}

// `transport` `auto` against a server that answers a TCP SETUP with 461 (--udp-only): the first
// connection falls back to UDP and says so. Restarted on its port, the server is reconnected to
// over UDP at once: a second TCP attempt would be refused again and say the fallback again.
TEST(RtspReconnect, AUdpOnlyServerRestartedIsReconnectedOverUdpWithoutTryingTcpAgain) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server({"--udp-only"});
  ASSERT_NE(server, nullptr);
  rtsp_test::LogCapture log;
  std::unique_ptr<rtsp_test::RecordingRig> rig_owned = quick_rig(server->url("/cam0"), 1000);
  ASSERT_NE(rig_owned, nullptr);
  rtsp_test::RecordingRig &rig = *rig_owned;
  Recorder &rec = rig.recorder();
  ASSERT_TRUE(rec.wait_for([&] { return rig.accepted(0).encoded >= 25; }, kPatience));
  const std::string fallback =
      "server refused TCP transport (461 Unsupported transport): using UDP";
  EXPECT_EQ(log.count(fallback), 1) << log.text();

  server->stop();
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(0) == VALKKA_STREAM_RECONNECTING; }, kPatience))
      << "the lost server went unnoticed";
  std::string err;
  ASSERT_TRUE(server->start(&err)) << err;
  ASSERT_TRUE(rec.wait_for([&] { return count_state(rec.events(0), VALKKA_STREAM_STREAMING) >= 2; },
                           kPatience))
      << "no reconnection after the server came back";
  const uint64_t back = rig.accepted(0).encoded;
  ASSERT_TRUE(rec.wait_for([&] { return rig.accepted(0).encoded >= back + 25; }, kPatience))
      << "the recording did not resume";
  rig.stop();

  EXPECT_EQ(log.count(fallback), 1) << log.text();
  for (const StatusEvent &e : rec.events(0))
    if (e.state == VALKKA_STREAM_STREAMING) {
      EXPECT_EQ(e.transport, "udp");
    }
}

// The pid of this process's child running the test server (the helper keeps it private).
pid_t server_pid() {
  DIR *tasks = opendir("/proc/self/task");
  if (!tasks) return -1;
  pid_t found = -1;
  while (dirent *task = readdir(tasks)) {
    std::ifstream children(std::string("/proc/self/task/") + task->d_name + "/children");
    pid_t pid;
    while (found < 0 && children >> pid) {
      std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
      std::string name;
      if (std::getline(comm, name) && name.rfind("valkka-test-rts", 0) == 0) found = pid;
    }
  }
  closedir(tasks);
  return found;
}

TEST(RtspReconnect, FrozenServerStallsThenReconnects) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  pid_t pid = server_pid();
  ASSERT_GT(pid, 0) << "cannot find the server process";
  valkka_live_config_t config{};
  config.stall_ms = 500;
  config.stall_reconnect_ms = 10000;  // the source's own timeout ends the stream first
  config.backoff_initial_ms = 250;
  config.backoff_max_ms = 500;
  rtsp_test::RecordingRig rig(config);
  ASSERT_TRUE(rig.ok());
  Recorder &rec = rig.recorder();
  ASSERT_EQ(rig.add_camera(0, server->url("/cam2"), {{"timeout_ms", "1500"}}), 0);
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(0) == VALKKA_STREAM_STREAMING; }, kPatience));
  ASSERT_TRUE(rec.wait_for([&] { return rig.accepted(0).encoded >= 25; }, kPatience));

  // Frozen: the connection stays open and nothing comes. Thawed on every way out of the test.
  ASSERT_EQ(kill(pid, SIGSTOP), 0);
  struct Thaw {
    pid_t pid;
    ~Thaw() { kill(pid, SIGCONT); }
  } thaw{pid};
  EXPECT_TRUE(rec.wait_for([&] { return rec.state(0) == VALKKA_STREAM_STALLED; }, kPatience));
  ASSERT_TRUE(rec.wait_for([&] { return rec.state(0) == VALKKA_STREAM_RECONNECTING; }, kPatience))
      << "a frozen server hangs the camera";
  // Counted from the last frame's arrival: the socket still delivers what was sent before.
  int64_t silence = wall_ms() - rig.accepted(0).last_arrival_ms;
  std::vector<StatusEvent> events = rec.events(0);
  const StatusEvent &lost = events.back();
  printf("frozen server: reconnecting %lld ms after the last frame came: %s\n", (long long)silence,
         lost.reason.c_str());
  EXPECT_EQ(lost.error, VALKKA_ECONN);
  EXPECT_NE(lost.reason.find("nothing received"), std::string::npos) << lost.reason;
  // The source's timeout (1500 ms) ended the stream: not before it, and not the live's own limit
  // for a stream that stopped (stall_reconnect_ms), which would have come much later.
  EXPECT_GE(silence, 1400);
  EXPECT_LT(silence, int64_t(config.stall_reconnect_ms));

  ASSERT_EQ(kill(pid, SIGCONT), 0);
  size_t seen = rec.events(0).size();
  EXPECT_TRUE(rec.wait_for(
      [&] {
        std::vector<StatusEvent> e = rec.events(0);
        return e.size() > seen && e.back().state == VALKKA_STREAM_STREAMING;
      },
      kPatience))
      << "no recovery after the server thawed";
  rig.stop();
}

}  // namespace
