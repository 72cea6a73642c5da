/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka fs create | inspect | fsck` as a user runs them: exit codes, one-line errors, the
// --json object of DESIGN section 8.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;

struct CliRun {
  int status;
  std::string out, err;
};

std::string valkka_bin() {
  const char *bin = getenv("VALKKA_TEST_BIN_DIR");
  return std::string(bin ? bin : ".") + "/valkka";
}

// `command` through the shell, its stderr kept apart.
CliRun shell(const TempDir &tmp, const std::string &command) {
  std::string errfile = tmp.sub("stderr.txt");
  std::string cmd = command + " 2>" + errfile;
  CliRun r{-1, "", ""};
  FILE *p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(errfile);
  std::stringstream s;
  s << e.rdbuf();
  r.err = s.str();
  return r;
}

CliRun run(const TempDir &tmp, const std::string &args) {
  return shell(tmp, valkka_bin() + " " + args);
}

bool one_line(const std::string &s) { return !s.empty() && s.find('\n') == s.size() - 1; }

TEST(FsCli, CreateInspectFsck) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  CliRun r = run(tmp, "fs create " + dir + " --kind multi --block-size 64K --blocks 6");
  ASSERT_EQ(r.status, 0) << r.err;

  // A malformed value is a usage error (2); a failure of the operation itself exits 1.
  r = run(tmp, "fs create " + tmp.sub("x") + " --kind multi --block-size 65000 --blocks 6");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("multiple of 4096"), std::string::npos) << r.err;
  r = run(tmp, "fs create " + tmp.sub("x") + " --kind multi --block-size 32K --blocks 6");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("at least 64K"), std::string::npos) << r.err;
  r = run(tmp, "fs create " + tmp.sub("x") + " --kind triple --block-size 1M --blocks 6");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(one_line(r.err)) << r.err;
  r = run(tmp, "fs create " + dir + " --kind multi --block-size 1M --blocks 6");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("already holds a ValkkaFS"), std::string::npos) << r.err;
  EXPECT_TRUE(one_line(r.err)) << r.err;
  r = run(tmp, "fs inspect " + tmp.sub("nothing"));
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(one_line(r.err)) << r.err;

  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  for (int k = 0; k < 100; k++) {
    auto data = payload(4, k, 2000);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + 40 * k, k % 25 == 0, data);
    ASSERT_EQ(valkka_fs_append(fs, 4, &f), 0);
  }
  valkka_fs_close(fs);

  r = run(tmp, "fs inspect " + dir + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(one_line(r.out)) << r.out;
  for (const std::string &want :
       {std::string("\"time_range\":[") + std::to_string(T0) + "," + std::to_string(T0 + 3960) +
            "]",
        std::string("\"blocks\":{\"total\":6,\"used\":4,\"void\":2}"),
        std::string("\"streams\":[{\"id\":4,\"codec\":\"H264\",\"frames\":100,\"time_range\":[") +
            std::to_string(T0) + "," + std::to_string(T0 + 3960) + "],\"ranges\":[[" +
            std::to_string(T0) + "," + std::to_string(T0 + 3960) + "]]}]",
        std::string("\"kind\":\"multi\""), std::string("\"block_size\":65536"),
        std::string("\"uuid\":\"")})
    EXPECT_NE(r.out.find(want), std::string::npos) << want << " in " << r.out;
  r = run(tmp, "fs inspect " + dir);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("4 used, 2 void"), std::string::npos) << r.out;

  r = run(tmp, "fs fsck " + dir);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("clean"), std::string::npos) << r.out;

  // Damage entry 1 of the blocktable.
  {
    std::fstream t(dir + "/blocktable", std::ios::in | std::ios::out | std::ios::binary);
    t.seekp(kEntrySize + 9);
    t.put('\x55');
  }
  r = run(tmp, "fs fsck " + dir);
  EXPECT_EQ(r.status, 4) << "damage found, as fsck(8): " << r.err;
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("1 bad entries"), std::string::npos) << r.err;
  r = run(tmp, "fs fsck " + dir + " --repair");
  EXPECT_EQ(r.status, 1) << "damage repaired, as fsck(8): " << r.err;
  EXPECT_NE(r.out.find("1 entries rebuilt"), std::string::npos) << r.out;
  r = run(tmp, "fs fsck " + dir);
  EXPECT_EQ(r.status, 0) << r.err;
}

// inspect --json lists each stream's recorded ranges as valkka_fs_get_ranges gives them (which
// fs_ranges checks against the frames): a stream cut for 5 s inside a block and a recorder
// stopped for a minute show as gaps.
TEST(FsCli, InspectJsonListsEachStreamsRanges) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 20, 4), 0) << valkka_last_error();
  for (int64_t session : {T0, T0 + 60000}) {
    valkka_fs_t *fs = open_fs(dir);
    ASSERT_NE(fs, nullptr) << valkka_last_error();
    for (int k = 0; k < 500; k++) {
      for (uint32_t id : {1u, 2u}) {
        if (id == 2 && k >= 100 && k < 225) continue;  // 5 s without camera 2
        auto data = payload(id, k, 200);
        valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, session + 40 * k, k % 25 == 0, data);
        ASSERT_EQ(valkka_fs_append(fs, id, &f), 0) << valkka_last_error();
      }
    }
    valkka_fs_close(fs);
  }
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::map<uint32_t, std::string> want;
  for (uint32_t id : {1u, 2u}) {
    valkka_fs_range_t got[8] = {};
    got[0].struct_size = sizeof got[0];
    const int n = valkka_fs_get_ranges(fs, id, INT64_MIN, INT64_MAX, got, 8);
    ASSERT_EQ(n, id == 1 ? 2 : 4) << valkka_last_error();
    std::string list = "\"ranges\":[";
    for (int i = 0; i < n; i++)
      list += (i ? ",[" : "[") + std::to_string(got[i].first_ms) + "," +
              std::to_string(got[i].last_ms) + "]";
    want[id] = list + "]}";
  }
  valkka_fs_close(fs);
  CliRun r = run(tmp, "fs inspect " + dir + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const auto &w : want) {
    const size_t at = r.out.find("{\"id\":" + std::to_string(w.first) + ",");
    ASSERT_NE(at, std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(w.second, at), r.out.find("}", at) - w.second.size() + 1)
        << w.second << " in " << r.out;
  }
}

// On a terminal (script(1) gives it one) fsck shows the blocks checked so far on stderr, one line
// rewritten in place; on a pipe stderr stays empty. --json is one object either way.
TEST(FsCli, FsckShowsProgressOnATerminalOnly) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(run(tmp, "fs create " + dir + " --kind multi --block-size 64K --blocks 6").status, 0);
  CliRun r = run(tmp, "fs fsck " + dir);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string fsck = valkka_bin() + " fs fsck " + dir;
  r = shell(tmp, "script -qec '" + fsck + "' /dev/null </dev/null");
  EXPECT_EQ(r.status, 0) << r.out;
  size_t at = 0;
  for (int k = 1; k <= 6; k++) {
    const std::string line = "\rvalkka: fs fsck " + dir + ": checked " + std::to_string(k) +
                             " of 6 blocks";
    at = r.out.find(line, at);
    EXPECT_NE(at, std::string::npos) << line << " in " << r.out;
  }
  EXPECT_NE(r.out.find("clean: 6 blocks checked"), std::string::npos) << r.out;
  r = shell(tmp, "script -qec '" + fsck + " --json' /dev/null </dev/null");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("checked 6 of 6 blocks"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"dir\":"), std::string::npos) << r.out;
}

}  // namespace
