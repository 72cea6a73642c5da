/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka record --config FILE`: two cameras into two FS (one created by the config), config files
// that are wrong in one way each (exit non-zero, one line naming the problem), the warning about a
// config others can read, and a camera password that must never reach stdout or stderr.
#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

bool one_line(const std::string &s) { return !s.empty() && s.find('\n') == s.size() - 1; }

TEST(RecordConfig, TwoCamerasIntoTwoFs) {
  TempDir tmp;
  const std::string a = tmp.sub("a"), b = tmp.sub("b"), config = tmp.sub("cams.json");
  CliResult r = cli_run(
      {"fs", "create", a, "--kind", "multi", "--block-size", "1M", "--blocks", "8"}, tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;
  // Camera "yard" names its own FS, created on first use, and its own stream id.
  write_text(config, R"({
    "fs": {"dir": ")" + a +
                         R"("},
    "cameras": [
      {"name": "door", "url": "synthetic://1", "options": {"fps": 25}},
      {"name": "yard", "url": "synthetic://2", "id": 7,
       "fs": {"dir": ")" +
                         b + R"(", "create": {"kind": "single", "block_size": "1M", "blocks": 4}}}
    ]})");
  r = cli_run({"record", "--config", config, "--duration", "2.5"}, tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos)
      << "a 0600 config draws no warning: " << r.err;
  EXPECT_NE(r.err.find("created single FS " + b), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("door: streaming"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("yard: streaming"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("cams=2 streaming=2 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" blocks=2/12 "), std::string::npos) << r.out;

  for (const auto &[dir, id] : {std::make_pair(a, 1u), std::make_pair(b, 7u)}) {
    auto streams = streams_of(dir);
    ASSERT_EQ(streams.size(), 1u) << dir;
    EXPECT_EQ(streams[0].stream_id, id) << dir;
    // 2.5 s at 25 fps, with room for a loaded machine.
    EXPECT_GE(streams[0].frames, 45u) << dir;
    EXPECT_LE(streams[0].frames, 75u) << dir;
    r = cli_run({"fs", "fsck", dir}, tmp.path());
    EXPECT_EQ(r.status, 0) << r.err;
  }
}

TEST(RecordConfig, BadConfigsFailWithOneLineNamingTheProblem) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  const std::string cam = R"({"url": "synthetic://0"})";
  struct Case {
    const char *what;
    std::string text, expect;
  } cases[] = {
      {"no cameras", R"({"fs": ")" + fs + R"("})", "cameras: missing"},
      {"empty cameras", R"({"fs": ")" + fs + R"(", "cameras": []})",
       "cameras: expected a non-empty"},
      {"bad JSON", R"({"fs": ")" + fs + R"(", "cameras": [)" + cam + ",]}",
       "invalid JSON at line 1"},
      {"not an object", "[1, 2]", "top level: expected an object"},
      {"unknown fs",
       R"({"fs": ")" + fs + R"(", "cameras": [)" + cam + R"(, {"url": "synthetic://1", "fs": ")" +
           tmp.sub("nowhere") + R"("}]})",
       "cameras[1].fs: " + tmp.sub("nowhere")},
      {"no fs at all", R"({"cameras": [)" + cam + "]}", "cameras[0].fs: missing"},
      {"no url", R"({"fs": ")" + fs + R"(", "cameras": [{"name": "x"}]})",
       "cameras[0].url: missing"},
      {"bad id", R"({"fs": ")" + fs + R"(", "cameras": [{"url": "synthetic://0", "id": 0}]})",
       "cameras[0].id: expected an integer"},
      {"same id twice",
       R"({"fs": ")" + fs + R"(", "cameras": [{"url": "synthetic://0", "id": 2}, )" +
           R"({"url": "synthetic://1", "id": 2}]})",
       "cameras[1]: stream id 2 is already cameras[0]'s"},
      {"bad option",
       R"({"fs": ")" + fs + R"(", "cameras": [{"url": "synthetic://0", "options": {"fps": [1]}}]})",
       "cameras[0].options.fps: expected a string, number or boolean"},
      {"bad create",
       R"({"fs": {"dir": ")" + tmp.sub("new") + R"(", "create": {"kind": "multi"}}, "cameras": [)" +
           cam + "]}",
       "fs.create: \"blocks\" is missing"},
  };
  for (const Case &c : cases) {
    const std::string path = tmp.sub("bad.json");
    write_text(path, c.text);
    CliResult r = cli_run({"record", "--config", path, "--duration", "1"}, tmp.path());
    EXPECT_NE(r.status, 0) << c.what;
    EXPECT_TRUE(one_line(r.err)) << c.what << ": " << r.err;
    EXPECT_NE(r.err.find("config " + path + ": " + c.expect), std::string::npos)
        << c.what << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.what;
  }
  CliResult r = cli_run({"record", "--config", tmp.sub("absent.json")}, tmp.path());
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(one_line(r.err)) << r.err;
}

TEST(RecordConfig, WarnsWhenOthersCanReadTheConfig) {
  TempDir tmp;
  const std::string path = tmp.sub("open.json");
  write_text(path, R"({"cameras": []})", 0644);
  CliResult r = cli_run({"record", "--config", path}, tmp.path());
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("warning: config " + path + " is readable by everyone"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
}

TEST(RecordConfig, WarnsWhenItsGroupCanReadTheConfigAndNotWhenPrivate) {
  TempDir tmp;
  const std::string path = tmp.sub("cams.json");
  write_text(path, R"({"cameras": []})", 0640);
  CliResult group = cli_run({"record", "--config", path}, tmp.path());
  EXPECT_NE(group.err.find("warning: config " + path + " is readable by its group (mode 640)"),
            std::string::npos)
      << group.err;
  write_text(path, R"({"cameras": []})", 0600);
  CliResult mine = cli_run({"record", "--config", path}, tmp.path());
  EXPECT_EQ(mine.err.find("warning"), std::string::npos) << mine.err;
  EXPECT_TRUE(one_line(mine.err)) << mine.err;
}

// jansson quotes the text near a syntax error when it is short (20 bytes at most): a config
// broken inside or next to a short camera URL named its password on stderr. Line and column
// remain.
TEST(RecordConfig, InvalidJsonNeverQuotesThePassword) {
  TempDir tmp;
  const std::string path = tmp.sub("cams.json");
  const std::string broken[] = {
      R"({"cameras": [{"url": "rtsp://u:hunter2)"
      "\x01"
      R"(@cam/x"}]})",  // a control character
      R"({"cameras": [{"url": "rtsp://u:hunter2)"
      "\xff"
      R"(@cam/x"}]})",                                                     // not UTF-8
      R"({"cameras": [{"url": "rtsp://u:hunter2\q@cam/x"}]})",             // a bad escape
      R"({"cameras": [{"url": "x", "options": {"password": hunter2}}]})",  // a bare word
  };
  for (const std::string &text : broken) {
    write_text(path, text);
    CliResult r = cli_run({"record", "--config", path}, tmp.path());
    EXPECT_NE(r.status, 0) << text;
    EXPECT_TRUE(one_line(r.err)) << r.err;
    EXPECT_NE(r.err.find("invalid JSON at line 1, column "), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("hunter"), std::string::npos) << r.err;
  }
}

// A camera behind a refused port, its password in the URL: the RTSP source reconnects, with
// reasons on stderr, and "secret" never appears, even with the library logging at debug level.
TEST(RecordConfig, CameraPasswordNeverPrinted) {
  if (!VALKKA_TEST_RTSP_BUILT) GTEST_SKIP() << "source-rtsp is not built";
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [
      {"name": "lobby", "url": "synthetic://0"},
      {"name": "gate", "url": "rtsp://user:secret@127.0.0.1:1/x"}]})");
  CliResult r = cli_run({"record", "--config", config, "--duration", "2"}, tmp.path(), 60000,
                        {"VALKKA_LOG=debug"});
  EXPECT_NE(r.status, -1) << "crashed or hung: " << r.err;
  EXPECT_EQ(r.out.find("secret"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("secret"), std::string::npos) << r.err;
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("gate: reconnecting in "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rtsp://***@127.0.0.1:1/x"), std::string::npos)
      << "the reason shows the URL redacted: " << r.err;
}

}  // namespace
