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
#include "live_lines.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

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
  ASSERT_TRUE(first)
      << "play --live showed no frame of every camera: " << err
      << "\nits output: " << read_text(play.out_path).size() << " bytes"
      << "\nthe recorder: " << read_text(rec.out_path) << read_text(rec.err_path) << "\nthe FS: "
      << shell_output("VALKKA_LOG=info \"$VALKKA_TEST_BIN_DIR/valkka\" fs inspect " + dir, true);
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
