/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The fault campaign: one camera behind the fault proxy is stalled, cut mid-frame and sent
// garbage after a valid session, cycle after cycle, while an RTSP camera straight from the server
// and a synthetic camera record beside it into the same FS. The faulty camera's status follows
// each fault (STALLED then RECONNECTING for a stall and nothing else until it thaws, RECONNECTING
// for a cut, recovery after garbage) and comes back STREAMING every time; its recorded times
// never go back; the other two record without a gap and are never lost.
// VALKKA_FAULT_CYCLES sets the number of cycles (default 2; bench/rtsp-faults runs more).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "fault_checks.h"
#include "recording.h"
#include "rtsp_proxy.h"

using namespace std::chrono_literals;

namespace {

constexpr uint32_t kDirect = 0, kSynthetic = 1, kFaulty = 2;

// Garbage after a valid session: bytes that are no RTSP, an interleaved header claiming more than
// any frame, and a reply whose body swallows the stream that follows.
const char kNotRtsp[] = "\x00\xff\x13\x37 GARBAGE, NOT RTSP\r\n\x01\x02\x03\r\n\r\n";
const std::vector<std::string> kGarbage = {
    std::string(kNotRtsp, sizeof kNotRtsp - 1),
    std::string("$\x00\xff\xff", 4) + std::string(600, '\xa5'),
    "RTSP/1.0 200 OK\r\nCSeq: 9999\r\nContent-Length: 200000\r\n\r\n",
};

class Campaign {
 public:
  Campaign() {
    server_ = rtsp_test::start_server();
    if (!server_) return;
    proxy_ = std::make_unique<RtspProxy>(server_->port());
    valkka_live_config_t config{};
    // Long enough that a loaded machine's late frames are no stall; garbage that swallows the
    // stream runs into stall_reconnect_ms.
    config.stall_ms = 1000;
    config.stall_reconnect_ms = 4000;
    config.backoff_initial_ms = 100;
    config.backoff_max_ms = 400;
    rig_ = std::make_unique<rtsp_test::RecordingRig>(config);
  }
  bool ok() const { return server_ && proxy_->ok() && rig_->ok(); }
  rtsp_test::RecordingRig &rig() { return *rig_; }
  RtspProxy &proxy() { return *proxy_; }
  RtspServerProcess &server() { return *server_; }
  Recorder &rec() { return rig_->recorder(); }

  // The faulty camera streams again: STREAMING last, and frames have arrived since.
  bool recovered(size_t events_before, std::chrono::milliseconds timeout) {
    uint64_t frames = rig_->accepted(kFaulty).encoded;
    return rec().wait_for(
        [&] {
          std::vector<StatusEvent> e = rec().events(kFaulty);
          return e.size() > events_before && e.back().state == VALKKA_STREAM_STREAMING &&
                 rig_->accepted(kFaulty).encoded > frames + 25;
        },
        timeout);
  }

 private:
  std::unique_ptr<RtspServerProcess> server_;
  std::unique_ptr<RtspProxy> proxy_;
  std::unique_ptr<rtsp_test::RecordingRig> rig_;
};

std::string show(const std::vector<StatusEvent> &events, size_t from) {
  std::string out;
  for (size_t i = from; i < events.size(); i++)
    out += std::string(" ") + valkka_stream_state_name(events[i].state) + "(" +
           valkka_err_name(events[i].error) + ": " + events[i].reason + ")";
  return out;
}

TEST(RtspFaultCampaign, FaultyCameraRecoversOthersRecordWithoutGap) {
  Campaign c;
  ASSERT_TRUE(c.ok());
  const std::vector<std::pair<std::string, std::string>> options = {{"timeout_ms", "2000"}};
  ASSERT_EQ(c.rig().add_camera(kDirect, c.server().url("/cam0"), options), 0);
  ASSERT_EQ(c.rig().add_camera(kSynthetic, "synthetic://1"), 0);
  ASSERT_EQ(c.rig().add_camera(kFaulty, c.proxy().url("/cam1"), options), 0);
  Recorder &rec = c.rec();
  ASSERT_TRUE(rec.wait_for(
      [&] {
        for (uint32_t s : {kDirect, kSynthetic, kFaulty})
          if (rec.state(s) != VALKKA_STREAM_STREAMING) return false;
        return true;
      },
      15s));
  // A second of each stream recorded before the first fault.
  ASSERT_TRUE(rec.wait_for(
      [&] {
        for (uint32_t s : {kDirect, kSynthetic, kFaulty})
          if (c.rig().accepted(s).encoded < 25) return false;
        return true;
      },
      30s))
      << "not every camera recorded its first second";

  const int cycles = faults::env_count("VALKKA_FAULT_CYCLES", 2);
  int faults_done = 0;
  for (int cycle = 0; cycle < cycles; cycle++) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    // A stall: the connection stays open and nothing comes, for longer than the socket timeout.
    size_t mark = rec.events(kFaulty).size();
    c.proxy().stall(true);
    EXPECT_TRUE(rec.wait_for(
        [&] {
          return faults::count_state(rec.events(kFaulty), VALKKA_STREAM_RECONNECTING, mark) >= 2;
        },
        10s))
        << "a stall is not noticed";
    size_t thaw = rec.events(kFaulty).size();
    c.proxy().stall(false);
    ASSERT_TRUE(c.recovered(thaw, 15s)) << show(rec.events(kFaulty), mark);
    std::vector<StatusEvent> e = rec.events(kFaulty);
    EXPECT_EQ(e[mark].state, (uint32_t)VALKKA_STREAM_STALLED) << show(e, mark);
    EXPECT_EQ(faults::count_state(e, VALKKA_STREAM_STREAMING, mark), 1u)
        << "streaming while stalled:" << show(e, mark);
    for (size_t i = mark + 1; i < thaw; i++)
      EXPECT_EQ(e[i].state, (uint32_t)VALKKA_STREAM_RECONNECTING) << show(e, mark);
    faults_done++;

    // Cut mid-frame with a reset: one failure, then streaming again.
    mark = rec.events(kFaulty).size();
    uint64_t resets = c.proxy().counters().resets;
    c.proxy().reset_mid_frame();
    ASSERT_TRUE(c.recovered(mark, 15s)) << show(rec.events(kFaulty), mark);
    e = rec.events(kFaulty);
    EXPECT_EQ(c.proxy().counters().resets, resets + 1);
    EXPECT_EQ(e[mark].state, (uint32_t)VALKKA_STREAM_RECONNECTING) << show(e, mark);
    EXPECT_EQ(e[mark].error, VALKKA_ECONN) << show(e, mark);
    EXPECT_EQ(faults::count_state(e, VALKKA_STREAM_STREAMING, mark), 1u) << show(e, mark);
    faults_done++;

    // Garbage after a valid session: skipped, or the session is lost and made again.
    for (const std::string &g : kGarbage) {
      mark = rec.events(kFaulty).size();
      uint64_t sent = c.proxy().counters().garbage;
      c.proxy().inject_garbage(g);
      ASSERT_TRUE(rec.wait_for([&] { return c.proxy().counters().garbage > sent; }, 5s));
      // What it did shows either as an event (the longest to come: a body that swallows the
      // stream until the stall limit ends the session) or as two seconds of frames sent after it
      // and recorded, more than the demux queue and the socket hold: the garbage was skipped.
      const size_t frames = c.rig().accepted(kFaulty).encoded;
      ASSERT_TRUE(rec.wait_for(
          [&] {
            return rec.events(kFaulty).size() > mark ||
                   c.rig().accepted(kFaulty).encoded >= frames + 50;
          },
          30s))
          << "garbage of " << g.size() << " bytes: neither recorded past nor failed";
      if (rec.events(kFaulty).size() > mark || rec.state(kFaulty) != VALKKA_STREAM_STREAMING) {
        ASSERT_TRUE(c.recovered(mark, 15s)) << show(rec.events(kFaulty), mark);
      }
      printf("garbage %zu bytes:%s\n", g.size(), show(rec.events(kFaulty), mark).c_str());
      faults_done++;
    }
  }
  c.rig().stop();

  std::vector<rtsp_test::Record> records = c.rig().records();
  for (uint32_t s : {kDirect, kSynthetic}) {
    faults::Coverage cov = faults::coverage(records, s + 1);
    printf("healthy camera %u: %s\n", s, faults::describe(cov).c_str());
    EXPECT_TRUE(faults::recorded_without_gap(cov, 50)) << "camera " << s;
    double expected = 25.0 * double(cov.last_ms - cov.first_ms) / 1000.0;
    EXPECT_NEAR(double(cov.frames), expected, expected * 0.1) << "camera " << s;
    // Never lost; a loaded machine may delay its frames past the stall time for a moment.
    std::vector<StatusEvent> e = rec.events(s);
    EXPECT_EQ(faults::bad_transition(e), "") << "camera " << s;
    EXPECT_EQ(faults::count_state(e, VALKKA_STREAM_RECONNECTING), 0u)
        << "camera " << s << ":" << show(e, 0);
    EXPECT_EQ(e.back().state, (uint32_t)VALKKA_STREAM_STREAMING) << "camera " << s;
  }
  faults::Coverage faulty = faults::coverage(records, kFaulty + 1);
  printf("faulty camera: %s\n", faults::describe(faulty).c_str());
  EXPECT_TRUE(faulty.ordered);
  EXPECT_GE(faulty.frames, 50u) << "the faulty camera recorded between its faults";
  EXPECT_GT(faults_done, 0) << "no fault was made";
  EXPECT_EQ(faults::bad_transition(rec.events(kFaulty)), "");
  EXPECT_EQ(rec.events(kFaulty).back().state, (uint32_t)VALKKA_STREAM_STREAMING);
  rtsp_test::Accepted accepted = c.rig().accepted(kFaulty);
  std::vector<int64_t> times;
  for (const rtsp_test::Record &r : records)
    if (r.stream_id == kFaulty + 1 && r.kind == VALKKA_FRAME_ENCODED) times.push_back(r.mstime);
  EXPECT_EQ(times, accepted.encoded_times) << "recorded frames were lost";
  printf("campaign: cycles=%d faults=%d healthy_frames=%llu faulty_frames=%llu\n", cycles,
         faults_done,
         (unsigned long long)(faults::coverage(records, kDirect + 1).frames +
                              faults::coverage(records, kSynthetic + 1).frames),
         (unsigned long long)faulty.frames);
}

}  // namespace
