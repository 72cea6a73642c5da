/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera's options against its source plugin's declared ones (a typo such as "tranport" is
// refused, naming the options there are), `valkka record --check` (the plan printed, nothing
// opened or created), and `valkka plugin-info` showing a source's options.
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

CliResult record(const TempDir &tmp, const std::string &text, bool check) {
  const std::string path = tmp.sub("cams.json");
  write_text(path, text);
  if (check) return cli_run({"record", "--check", "--config", path}, tmp.path());
  return cli_run({"record", "--config", path, "--duration", "1"}, tmp.path());
}

TEST(RecordConfigOptions, AKeyTheSourceDoesNotDeclareIsRefused) {
  TempDir tmp;
  const std::string fresh = tmp.sub("new"), path = tmp.sub("cams.json");
  const std::string fs = R"({"fs": {"dir": ")" + fresh + R"(", "create": {"blocks": 8}}, )";
  struct Case {
    const char *camera;
    std::string expect;
  } cases[] = {
      {R"({"url": "synthetic://0", "options": {"width": 160, "widht": 96}})",
       "cameras[0].options.widht: source-synthetic has no such option (width, height, fps, gop, "
       "seconds, realtime, codec; any source: decoder, decoder_device)\n"},
      {R"({"url": "clip.mp4", "options": {"lop": 0}})",
       "cameras[0].options.lop: source-file has no such option (loop, realtime; any source: "
       "decoder, decoder_device)\n"},
  };
  for (const Case &c : cases) {
    for (bool check : {false, true}) {
      CliResult r = record(tmp, fs + R"("cameras": [)" + c.camera + "]}", check);
      EXPECT_EQ(r.status, 1) << c.camera << ": " << r.err;
      EXPECT_EQ(r.err, "valkka: record: config " + path + ": " + c.expect) << c.camera;
      EXPECT_EQ(r.out, "") << c.camera;
    }
  }
  EXPECT_EQ(access(fresh.c_str(), F_OK), -1) << "a refused config created its FS";
}

TEST(RecordConfigOptions, RtspTyposAreRefused) {
  if (!VALKKA_TEST_RTSP_BUILT) GTEST_SKIP() << "source-rtsp is not built";
  TempDir tmp;
  const std::string path = tmp.sub("cams.json");
  CliResult r = record(tmp, R"({"fs": ")" + tmp.sub("fs") + R"(", "cameras": [{"url":
                       "rtsp://viewer:hunter2@127.0.0.1:1/live", "options": {"tranport": "tcp"}}]})",
                       true);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "valkka: record: config " + path +
                       ": cameras[0].options.tranport: source-rtsp has no such option (transport, "
                       "timeout_ms, clock_tolerance_ms, probe, audio; any source: decoder, "
                       "decoder_device)\n");
}

TEST(RecordCheck, PrintsThePlanAndOpensNothing) {
  TempDir tmp;
  const std::string fresh = tmp.sub("new"), existing = tmp.sub("fs");
  ASSERT_EQ(create_fs(existing, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  const std::string text = R"({"fs": {"dir": ")" + fresh +
                           R"(", "create": {"blocks": 8, "block_size": "64K"}}, "cameras": [
    {"name": "door", "url": "synthetic://0", "options": {"width": 160, "decoder": "codec-ffmpeg"}},
    {"url": "http://viewer:hunter2@127.0.0.1:1/clip.mp4", "id": 5, "audio": false},
    {"name": "yard", "url": "synthetic://1", "fs": ")" +
                           existing + R"("}]})";
  CliResult r = record(tmp, text, true);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "FS " + fresh + ": would be created: multi, 8 blocks of 65536 bytes\n" +
                       "  camera door (cameras[0]): source-synthetic synthetic://0, stream 1, " +
                       "audio 1001, options width=160 decoder=codec-ffmpeg\n" +
                       "  camera camera 1 (cameras[1]): source-file " +
                       "http://***@127.0.0.1:1/clip.mp4, stream 5, no audio\n" + "FS " + existing +
                       ": existing, recorded into\n" +
                       "  camera yard (cameras[2]): source-synthetic synthetic://1, stream 3, " +
                       "audio 1003\n" +
                       "check: 3 cameras into 2 FS; nothing opened, nothing written\n");
  EXPECT_EQ(access(fresh.c_str(), F_OK), -1) << "--check created the FS";
  EXPECT_EQ(fs_streams(existing, tmp.path()).size(), 0u) << "--check wrote into the FS";
}

TEST(PluginInfo, ShowsASourcesOptions) {
  TempDir tmp;
  const std::string dir = std::getenv("VALKKA_PLUGIN_PATH");
  CliResult r = cli_run({"plugin-info", dir + "/source-synthetic.so"}, tmp.path());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("options:\n  width                picture width, even, 16 .. 4096 "
                       "(default 640)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  codec                h264 (default) or h265"), std::string::npos)
      << r.out;
}

}  // namespace
