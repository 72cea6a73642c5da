/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka record` without --duration runs until SIGINT or SIGTERM; each stops it cleanly: exit
// 0, the frames recorded so far on disk, and an FS that fsck finds clean (the writer flushed and
// synced, the table updated, the FS closed) rather than one that needs recovery. SIGHUP (a
// service manager's reload) without --config changes nothing: logged, and the recording goes on.
#include <signal.h>
#include <unistd.h>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

// Waits until the file holds at least `n` lines, at most `timeout_ms`.
bool wait_lines(const std::string &path, size_t n, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 50) {
    if (split_lines(read_text(path)).size() >= n) return true;
    usleep(50000);
  }
  return false;
}

// `hup_first`: a SIGHUP before `sig`, which must leave the recorder running.
void stop_with(int sig, bool hup_first = false) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
  CliProcess p = cli_start({"record", "--fs", dir, "--synthetic", "2"}, tmp.sub("out.txt"),
                           tmp.sub("err.txt"));
  ASSERT_GT(p.pid, 0);
  // Two status lines: at least a second of recording.
  bool running = wait_lines(p.out_path, 2, 30000);
  if (running && hup_first) {
    kill(p.pid, SIGHUP);
    running = wait_for_text(p.err_path, "SIGHUP ignored: no --config", 10000) &&
              wait_lines(p.out_path, 4, 30000);  // still recording after it
  }
  if (running) kill(p.pid, sig);
  const int status = cli_wait(p, 15000);
  const std::string out = read_text(p.out_path), err = read_text(p.err_path);
  ASSERT_TRUE(running) << "no status lines: " << out << err;
  EXPECT_EQ(status, 0) << err;
  const std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
  EXPECT_NE(err.find(name + ": stopped"), std::string::npos) << err;

  valkka_fs_fsck_report_t report{};
  report.struct_size = sizeof report;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &report), 0) << valkka_last_error();
  EXPECT_EQ(report.bad_entries, 0u);
  EXPECT_EQ(report.bad_records, 0u);

  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  // Closed cleanly: the table already held everything, recovery found nothing more.
  valkka_fs_info_t info = info_of(fs);
  EXPECT_EQ(info.records_recovered, 0u);
  EXPECT_EQ(info.entries_rebuilt, 0u);
  std::vector<valkka_fs_stream_info_t> streams(4);
  streams[0].struct_size = sizeof streams[0];
  ASSERT_EQ(valkka_fs_get_streams(fs, streams.data(), 4), 2);
  for (int i = 0; i < 2; i++)
    EXPECT_GE(streams[i].frames, 25u) << "stream " << streams[i].stream_id;
  valkka_fs_close(fs);
}

TEST(RecordSignals, SigintStopsCleanly) { stop_with(SIGINT); }

TEST(RecordSignals, SigtermStopsCleanly) { stop_with(SIGTERM); }

TEST(RecordSignals, SighupWithoutConfigIsIgnored) { stop_with(SIGTERM, true); }

}  // namespace
