/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka fs fsck` on an FS a recorder is writing, and on one whose recorder was killed: the block
// being written is in progress, not damage (exit 0, as fsck(8)), and the records fsck says are past
// the table are exactly those recovery keeps. Damage still exits 4, a repair 1, then 0.
#include <jansson.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

struct Fsck {
  int status;
  json_t *report;  // owned; NULL when stdout held no JSON object
  std::string out, err;
  ~Fsck() { json_decref(report); }
  uint64_t count(const char *key) const {
    return (uint64_t)json_integer_value(json_object_get(report, key));
  }
  std::string verdict() const {
    const char *v = json_string_value(json_object_get(report, "verdict"));
    return v ? v : "";
  }
};

void fsck(const std::string &tmp, const std::string &dir, const std::string &flags, Fsck *f) {
  std::vector<std::string> args = {"fs", "fsck", dir};
  if (!flags.empty()) args.push_back(flags);
  args.push_back("--json");
  CliResult r = cli_run(args, tmp, 60000);
  f->status = r.status;
  f->out = r.out;
  f->err = r.err;
  f->report = json_loads(r.out.c_str(), 0, nullptr);
}

bool wait_lines(const std::string &path, size_t n, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 50) {
    if (split_lines(read_text(path)).size() >= n) return true;
    usleep(50000);
  }
  return false;
}

// Stops the recorder. kill() returns before every thread of it has stopped, and one still
// writing would add records after they are counted: the stop's report says they all have.
void stop(pid_t pid) {
  ASSERT_EQ(kill(pid, SIGSTOP), 0);
  int st = 0;
  ASSERT_EQ(waitpid(pid, &st, WUNTRACED), pid);
  ASSERT_TRUE(WIFSTOPPED(st)) << "the recorder ended instead: status " << st;
}

// Records past the table, as a read-only open's recovery counts them (it writes nothing).
uint32_t records_past_table(const std::string &dir) {
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  EXPECT_NE(fs, nullptr) << valkka_last_error();
  if (!fs) return 0;
  const uint32_t n = info_of(fs).records_recovered;
  valkka_fs_close(fs);
  return n;
}

TEST(RecordFsck, ARecordingAndAKilledRecorderAreNotDamage) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  // Small blocks, so that the checks below also meet block changes and a wrap.
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 8), 0) << valkka_last_error();
  CliProcess p = cli_start({"record", "--fs", dir, "--synthetic", "2"}, tmp.sub("out.txt"),
                           tmp.sub("err.txt"));
  ASSERT_GT(p.pid, 0);
  ASSERT_TRUE(wait_lines(p.out_path, 2, 30000)) << read_text(p.err_path);

  // While it records: never damage, whatever fsck meets.
  for (int i = 0; i < 6; i++) {
    Fsck f;
    fsck(tmp.path(), dir, "", &f);
    ASSERT_NE(f.report, nullptr) << f.out << f.err;
    EXPECT_EQ(f.status, 0) << "check " << i << ": " << f.out << f.err;
    EXPECT_EQ(f.verdict(), "clean") << f.out;
    EXPECT_EQ(f.count("bad_entries") + f.count("bad_headers") + f.count("bad_records"), 0u)
        << f.out;
    usleep(150000);
  }

  // Stopped (not yet killed) at a moment the table lags the block being written, which it does
  // for up to the sync interval (1 s) after each store: frames arrive every 20 ms.
  uint32_t past = 0;
  for (int attempt = 0; attempt < 50 && !past; attempt++) {
    stop(p.pid);
    if (HasFatalFailure()) break;
    past = records_past_table(dir);
    if (!past) {
      kill(p.pid, SIGCONT);
      usleep(30000);
    }
  }
  kill(p.pid, SIGKILL);
  EXPECT_EQ(cli_wait(p, 15000), -1);
  ASSERT_GT(past, 0u) << "the table never lagged the recorder";

  Fsck f;
  fsck(tmp.path(), dir, "", &f);
  ASSERT_NE(f.report, nullptr) << f.out << f.err;
  EXPECT_EQ(f.status, 0) << f.out << f.err;
  EXPECT_EQ(f.verdict(), "clean");
  EXPECT_EQ(f.count("bad_entries") + f.count("bad_headers") + f.count("bad_records"), 0u) << f.out;
  EXPECT_EQ(f.count("blocks_in_progress"), 1u) << f.out;
  EXPECT_EQ(f.count("records_in_progress"), past) << f.out;
  // The text form says so too.
  CliResult text = cli_run({"fs", "fsck", dir}, tmp.path(), 60000);
  EXPECT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("clean"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1 block(s) in progress"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(std::to_string(past) + " records past the table"), std::string::npos)
      << text.out;
  // A repair finds nothing wrong (exit 0) and writes the block's whole entry, as recovery would:
  // the table then claims every record, and nothing is left past it.
  Fsck repaired;
  fsck(tmp.path(), dir, "--repair", &repaired);
  EXPECT_EQ(repaired.status, 0) << repaired.out << repaired.err;
  EXPECT_EQ(repaired.verdict(), "clean") << repaired.out;
  EXPECT_EQ(repaired.count("entries_rebuilt"), 1u) << repaired.out;
  EXPECT_EQ(records_past_table(dir), 0u);

  // Damage is still damage: exit 4, then a repair exits 1, then the FS checks clean (0).
  {
    std::fstream t(dir + "/blocktable", std::ios::in | std::ios::out | std::ios::binary);
    t.seekp(9);
    t.put('\x55');
  }
  Fsck damaged;
  fsck(tmp.path(), dir, "", &damaged);
  EXPECT_EQ(damaged.status, 4) << damaged.out << damaged.err;
  EXPECT_EQ(damaged.verdict(), "damaged");
  EXPECT_GE(damaged.count("bad_entries"), 1u) << damaged.out;
  Fsck repair;
  fsck(tmp.path(), dir, "--repair", &repair);
  EXPECT_EQ(repair.status, 1) << repair.out << repair.err;
  EXPECT_EQ(repair.verdict(), "repaired");
  Fsck after;
  fsck(tmp.path(), dir, "", &after);
  EXPECT_EQ(after.status, 0) << after.out << after.err;
}

TEST(RecordFsck, CouldNotCheckExits8) {
  TempDir tmp;
  CliResult r = cli_run({"fs", "fsck", tmp.sub("nothing")}, tmp.path(), 60000);
  EXPECT_EQ(r.status, 8) << r.err;
  r = cli_run({"fs", "fsck"}, tmp.path(), 60000);
  EXPECT_EQ(r.status, 16) << r.err;
}

}  // namespace
