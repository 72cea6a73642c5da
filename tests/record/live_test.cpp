/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka play --live` beside a `valkka record` process on one FS (multi and single): it follows
// the recorder through the real decoder, each frame once, in order, with its lag; the recorder
// SIGKILLed and started again after a gap, it goes on with the new recording's newest frames, not
// behind by the gap. The lag figures are printed (the machine's load decides them); the only bound
// asserted is the gap's length.
#include <signal.h>
#include <unistd.h>

#include <jansson.h>

#include <cstdio>
#include <map>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

struct LiveLine {
  uint32_t stream;
  int64_t mstime, lag_ms;
};

// The whole lines of `out` (a running play's last one may be still half written).
std::vector<LiveLine> live_lines(std::string out) {
  out.erase(out.find_last_of('\n') == std::string::npos ? 0 : out.find_last_of('\n') + 1);
  std::vector<LiveLine> lines;
  for (const std::string &text : split_lines(out)) {
    json_error_t err;
    json_t *j = json_loads(text.c_str(), 0, &err);
    if (!j) {
      ADD_FAILURE() << "not JSON: " << text;
      continue;
    }
    json_t *lag = json_object_get(j, "lag_ms");
    EXPECT_TRUE(json_is_integer(lag)) << text;
    lines.push_back(LiveLine{(uint32_t)json_integer_value(json_object_get(j, "stream")),
                             json_integer_value(json_object_get(j, "mstime")),
                             json_integer_value(lag)});
    json_decref(j);
  }
  return lines;
}

int64_t wall_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Waits until play printed 25 frames (a second) of each of `streams` streams recorded after
// `after_ms`.
bool wait_frames_after(const std::string &path, size_t streams, int64_t after_ms, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 100) {
    std::map<uint32_t, int> seen;
    size_t full = 0;
    for (const LiveLine &l : live_lines(read_text(path)))
      if (l.mstime > after_ms) full += ++seen[l.stream] == 25;
    if (full >= streams) return true;
    usleep(100000);
  }
  return false;
}

void live_across_recorder_kill(uint32_t kind, const char *cameras) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, kind, 1 << 18, 64), 0) << valkka_last_error();
  const size_t streams = (size_t)atoi(cameras);
  CliProcess rec = cli_start({"record", "--fs", dir, "--synthetic", cameras}, tmp.sub("rec1.out"),
                             tmp.sub("rec1.err"));
  ASSERT_GT(rec.pid, 0);
  CliProcess play = cli_start({"play", "--fs", dir, "--live", "--json"}, tmp.sub("play.out"),
                              tmp.sub("play.err"));
  ASSERT_GT(play.pid, 0);
  const bool first = wait_frames_after(play.out_path, streams, 0, 30000);
  kill(rec.pid, SIGKILL);
  cli_wait(rec, 5000);
  // The recording's gap: longer than it may lag behind the newest frame (PLAY_LIVE_BEHIND_MS).
  const int64_t gap_ms = 3000;
  usleep(gap_ms * 1000);
  const int64_t restart_ms = wall_ms();
  CliProcess rec2 = cli_start({"record", "--fs", dir, "--synthetic", cameras}, tmp.sub("rec2.out"),
                              tmp.sub("rec2.err"));
  // A second of the new recording, then a second more: by then it has caught up.
  const int64_t settled_ms = restart_ms + 2000;
  const bool again = first && wait_frames_after(play.out_path, streams, restart_ms, 30000) &&
                     wait_frames_after(play.out_path, streams, settled_ms, 30000);
  kill(play.pid, SIGTERM);
  const int play_status = cli_wait(play, 15000);
  kill(rec2.pid, SIGTERM);
  EXPECT_EQ(cli_wait(rec2, 15000), 0) << read_text(rec2.err_path);
  const std::string err = read_text(play.err_path);
  ASSERT_TRUE(first) << "play --live showed no frame of every camera: " << err;
  ASSERT_TRUE(again) << "play --live did not go on after the recorder restarted: " << err;
  EXPECT_EQ(play_status, 0) << err;
  EXPECT_NE(err.find("play --live: "), std::string::npos) << err;
  std::printf("%s", err.c_str());

  // Each stream's frames once and in order, across the restart.
  std::map<uint32_t, int64_t> last;
  size_t n = 0;
  for (const LiveLine &l : live_lines(read_text(play.out_path))) {
    EXPECT_GE(l.stream, 1u);
    EXPECT_LE(l.stream, streams);
    EXPECT_GT(l.mstime, last[l.stream]) << "stream " << l.stream << " went back or twice";
    last[l.stream] = l.mstime;
    n++;
    // Not behind by the gap: past it, the newest frames are shown, not the gap's far side late.
    if (l.mstime > settled_ms) {
      EXPECT_LT(l.lag_ms, gap_ms) << "stream " << l.stream << " stayed behind by the gap";
    }
  }
  EXPECT_GE(n, streams * 50);
}

TEST(PlayLive, FollowsAMultiFsRecorderAcrossItsKill) {
  live_across_recorder_kill(VALKKA_FS_MULTI, "2");
}

TEST(PlayLive, FollowsASingleFsRecorderAcrossItsKill) {
  live_across_recorder_kill(VALKKA_FS_SINGLE, "1");
}

// The arguments: --live takes no range nor speed; --duration needs --live.
TEST(PlayLive, Arguments) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 18, 4), 0);
  CliResult r = cli_run({"play", "--fs", dir, "--live", "--from", "0"}, tmp.path());
  EXPECT_EQ(r.status, 2) << r.err;
  r = cli_run({"play", "--fs", dir, "--duration", "1", "--from", "0"}, tmp.path());
  EXPECT_EQ(r.status, 2) << r.err;
  // Nothing recorded within --duration: a clean end, no output.
  r = cli_run({"play", "--fs", dir, "--live", "--duration", "0.5"}, tmp.path());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
