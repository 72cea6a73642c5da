/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka record`'s cameras (README.md, "Recording"): `--file PATH ...` records files as cameras,
// looped, after the synthetic ones; each camera's state goes to stderr as it changes, from
// `connecting` to `failed: REASON` for one whose settings cannot work.
#include <string>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

size_t count_of(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) n++;
  return n;
}

// Two synthetic cameras (H.264) and two one-second H.265 clips, the second given as a bare
// argument after the first (`--file a b`): 3 s of recording replays each clip about three times.
TEST(RecordFiles, FilesAreLoopedCamerasAfterTheSyntheticOnes) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), a = tmp.sub("a.mp4"), b = tmp.sub("b.mkv");
  ASSERT_TRUE(make_clip(a, 1, "libx265", false));
  ASSERT_TRUE(make_clip(b, 1, "libx265", false));
  const int64_t packets = video_packets(a);
  ASSERT_GT(packets, 0);
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
  CliResult r = cli_run(
      {"record", "--fs", fs, "--synthetic", "2", "--file", a, b, "--duration", "3"}, tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("cams=4 streaming=4"), std::string::npos) << r.out;
  auto streams = fs_streams(fs, tmp.path());
  ASSERT_EQ(streams.size(), 4u) << r.err;
  for (uint32_t id = 1; id <= 4; id++) {
    EXPECT_EQ(streams[id].name, "camera " + std::to_string(id - 1)) << id;
    EXPECT_EQ(streams[id].codec, id <= 2 ? "H264" : "H265") << id;
  }
  for (uint32_t id : {3u, 4u})
    EXPECT_GT(streams[id].frames, packets + 1) << "stream " << id << " was not looped";
}

// A synthetic camera whose width no source takes beside one that records: the bad one goes from
// connecting to failed, with a reason naming the option, once; the other records on.
TEST(RecordCameraStates, ConnectingThenFailedWithItsReason) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [
      {"name": "door", "url": "synthetic://0"},
      {"name": "gate", "url": "synthetic://1", "options": {"width": 99999}}]})");
  CliResult r = cli_run({"record", "--config", config, "--duration", "2"}, tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count_of(r.err, "valkka: record: door: connecting\n"), 1u) << r.err;
  EXPECT_EQ(count_of(r.err, "valkka: record: gate: connecting\n"), 1u) << r.err;
  const std::string failed = "valkka: record: gate: failed: ";
  ASSERT_EQ(count_of(r.err, failed), 1u) << r.err;
  const size_t at = r.err.find(failed) + failed.size();
  const std::string reason = r.err.substr(at, r.err.find('\n', at) - at);
  EXPECT_NE(reason.find("width"), std::string::npos) << reason;
  EXPECT_LT(r.err.find("gate: connecting"), r.err.find(failed)) << r.err;
  EXPECT_EQ(r.err.find("door: failed"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("cams=2 streaming=1 "), std::string::npos) << r.out;
  EXPECT_GT(fs_streams(fs, tmp.path())[1].frames, 25) << r.err;
}

}  // namespace
