/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What a config says of its cameras and paths (README.md, "The config file"): `"audio": false`
// records a camera's video only, where the same file with the default records its sound too;
// relative paths (the FS's directory, a file camera) are taken from the current directory, not
// from the config's.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

// Runs the command in `dir` and comes back, so later tests see the directory they started in.
CliResult run_in(const std::string &dir, const std::vector<std::string> &args,
                 const std::string &output_dir) {
  char here[4096];
  EXPECT_NE(getcwd(here, sizeof here), nullptr);
  EXPECT_EQ(chdir(dir.c_str()), 0) << dir;
  CliResult r = cli_run(args, output_dir, 60000);
  EXPECT_EQ(chdir(here), 0) << here;
  return r;
}

TEST(RecordConfigCameras, AudioFalseRecordsTheVideoOnly) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), clip = tmp.sub("clip.mp4"), config = tmp.sub("cams.json");
  ASSERT_TRUE(make_clip(clip, 2, "libx264", true));
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [
      {"name": "mute", "url": ")" +
                         clip + R"(", "audio": false},
      {"name": "loud", "url": ")" +
                         clip + R"("}]})");
  CliResult r = cli_run({"record", "--config", config, "--duration", "2"}, tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;
  auto streams = fs_streams(fs, tmp.path());
  EXPECT_GT(streams[1].frames, 25) << "the muted camera's video";
  EXPECT_GT(streams[2].frames, 25) << "the other camera's video";
  EXPECT_GT(streams[1002].frames, 25) << "the clip has sound: the default records it";
  EXPECT_EQ(streams.count(1001), 0u) << "the muted camera's sound was recorded";
  EXPECT_EQ(streams.size(), 3u);
}

// The config lives in conf/; run from the test's directory, its relative paths are found there.
TEST(RecordConfigCameras, RelativePathsAreTakenFromTheCurrentDirectory) {
  TempDir tmp;
  ASSERT_EQ(mkdir(tmp.sub("conf").c_str(), 0700), 0);
  ASSERT_EQ(mkdir(tmp.sub("clips").c_str(), 0700), 0);
  ASSERT_TRUE(make_clip(tmp.sub("clips/clip.mp4"), 1, "libx264", false));
  write_text(tmp.sub("conf/cams.json"), R"({
      "fs": {"dir": "rel-fs", "create": {"block_size": "1M", "blocks": 4}},
      "cameras": [{"url": "clips/clip.mp4"}]})");
  CliResult r =
      run_in(tmp.path(), {"record", "--config", "conf/cams.json", "--duration", "2"}, tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("created multi FS rel-fs: 4 blocks"), std::string::npos) << r.err;
  EXPECT_EQ(access(tmp.sub("conf/rel-fs").c_str(), F_OK), -1) << "taken from the config's dir";
  EXPECT_GT(fs_streams(tmp.sub("rel-fs"), tmp.path())[1].frames, 25) << r.err;
}

}  // namespace
