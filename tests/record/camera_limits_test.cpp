/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The camera limits of `valkka record` (README, "The config file"): at most 64 cameras, and a
// warning past 32 streams in one FS (a block-table entry names 32). 64 cameras record, 32 to an
// FS without a warning; 65 are refused with one line and exit 1 before any FS is touched; 33
// streams in one FS are warned of and recorded all the same. Tiny synthetic cameras keep it fast.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <utility>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

// A config of tiny synthetic cameras without sound (one stream each): `counts[i].second` cameras
// into the FS in `counts[i].first`, numbered on across the FS.
std::string cameras_config(const std::vector<std::pair<std::string, int>> &counts) {
  std::string cameras;
  int n = 0;
  for (const auto &[dir, count] : counts) {
    for (int i = 0; i < count; i++, n++) {
      cameras += std::string(n ? ",\n" : "") + R"(  {"name": "cam )" + std::to_string(n) +
                 R"(", "url": "synthetic://)" + std::to_string(n) + R"(", "fs": ")" + dir +
                 R"(", "audio": false,
   "options": {"width": 64, "height": 64, "fps": 5, "seconds": 1}})";
    }
  }
  return "{\"cameras\": [\n" + cameras + "\n]}\n";
}

// Every file of an FS directory with its size and modification time: equal before and after a
// run that must not touch the FS.
std::map<std::string, std::pair<off_t, int64_t>> stamps_of(const std::string &dir) {
  std::map<std::string, std::pair<off_t, int64_t>> out;
  DIR *d = opendir(dir.c_str());
  EXPECT_NE(d, nullptr) << dir;
  while (struct dirent *e = d ? readdir(d) : nullptr) {
    struct stat st;
    if (stat((dir + "/" + e->d_name).c_str(), &st) == 0 && S_ISREG(st.st_mode))
      out[e->d_name] = {st.st_size, st.st_mtim.tv_sec * 1000000000ll + st.st_mtim.tv_nsec};
  }
  if (d) closedir(d);
  return out;
}

// Records the config until every camera streams, then stops it with SIGTERM; returns stderr.
std::string record_until_all_stream(const TempDir &tmp, const std::string &config, int cameras) {
  CliProcess p = cli_start({"record", "--config", config}, tmp.sub("out.txt"), tmp.sub("err.txt"));
  EXPECT_GT(p.pid, 0);
  if (p.pid <= 0) return "";
  const std::string all = "cams=" + std::to_string(cameras) +
                          " streaming=" + std::to_string(cameras) + " ";
  const bool streaming = wait_for_text(p.out_path, all, 120000);
  if (streaming) kill(p.pid, SIGTERM);
  const int status = cli_wait(p, 60000);
  const std::string out = read_text(p.out_path), err = read_text(p.err_path);
  EXPECT_TRUE(streaming) << "no status line with " << all << "\n" << out << err;
  EXPECT_EQ(status, 0) << err;
  return err;
}

TEST(RecordCameraLimits, SixtyFourCamerasRecordAndThirtyTwoToAnFsDrawNoWarning) {
  TempDir tmp;
  const std::string a = tmp.sub("a"), b = tmp.sub("b"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(a, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  ASSERT_EQ(create_fs(b, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  write_text(config, cameras_config({{a, 32}, {b, 32}}));
  const std::string err = record_until_all_stream(tmp, config, 64);
  EXPECT_EQ(err.find("warning"), std::string::npos) << err;
  for (const std::string &dir : {a, b}) {
    const auto streams = streams_of(dir);
    EXPECT_EQ(streams.size(), 32u) << dir;
    for (const valkka_fs_stream_info_t &s : streams)
      EXPECT_GT(s.frames, 0u) << dir << " stream " << s.stream_id;
  }
}

TEST(RecordCameraLimits, SixtyFiveCamerasAreRefusedBeforeTheFsIsTouched) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  const auto before = stamps_of(dir);
  write_text(config, cameras_config({{dir, 65}}));
  CliResult r = cli_run({"record", "--config", config, "--duration", "1"}, tmp.path());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "valkka: record: config " + config + ": cameras: 65 cameras: at most 64\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(stamps_of(dir), before) << "the refused run changed the FS's files";
  EXPECT_TRUE(streams_of(dir).empty());

  r = cli_run({"record", "--fs", dir, "--synthetic", "65", "--duration", "1"}, tmp.path());
  EXPECT_EQ(r.status, 2) << "a usage error: " << r.err;
  EXPECT_EQ(r.err, "valkka: record: --synthetic 65: expected a camera count from 1 to 64\n");
  EXPECT_EQ(stamps_of(dir), before) << "the refused run changed the FS's files";
}

TEST(RecordCameraLimits, ThirtyThreeStreamsInOneFsAreWarnedOfAndRecorded) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  write_text(config, cameras_config({{dir, 33}}));
  const std::string err = record_until_all_stream(tmp, config, 33);
  EXPECT_NE(err.find("valkka: record: warning: 33 streams share FS " + dir +
                     "; a block table entry names 32 streams"),
            std::string::npos)
      << err;
  // Streams seen only past the 32 a block's entry names go unlisted (fs.h): at least 32 are.
  EXPECT_GE(streams_of(dir).size(), 32u);
}

}  // namespace
