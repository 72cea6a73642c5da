/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera's substream (README.md, "The config file": "substream", "record"), through `valkka
// record --config` against two GStreamer RTSP servers on 127.0.0.1, one serving the camera's
// 1280x720 main stream, the other its 640x360 substream: both recorded as two streams of one
// camera (the stream table names the sub "NAME/sub" of the main's id), `valkka play` decoding each
// at its own size; "record": "sub" records the substream alone, as the camera; a bad "record" is a
// one-line config error.
#include <gtest/gtest.h>
#include <jansson.h>

#include <map>
#include <set>
#include <string>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"
#include "rtsp_server_process.h"

using namespace fstest;
using namespace recordtest;

namespace {

// Both servers at a low rate: the test needs frames of each, not load.
RtspServerProcess *main_server = nullptr, *sub_server = nullptr;

class RecordSubstream : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    main_server = new RtspServerProcess({"--width", "1280", "--height", "720", "--fps", "10"});
    sub_server = new RtspServerProcess({"--width", "640", "--height", "360", "--fps", "10"});
  }
  static void TearDownTestSuite() {
    delete main_server;
    delete sub_server;
    main_server = sub_server = nullptr;
  }
  void SetUp() override {
    std::string err;
    if (!main_server->running()) {
      ASSERT_TRUE(main_server->start(&err)) << err;
    }
    if (!sub_server->running()) {
      ASSERT_TRUE(sub_server->start(&err)) << err;
    }
  }

  // Records camera "door" (`extra` added to its config) for 3 s into a new FS; the FS's dir.
  std::string record(const std::string &extra) {
    const std::string fs = tmp_.sub("fs"), config = tmp_.sub("cams.json");
    EXPECT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
    write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [{"name": "door", "url": ")" +
                           main_server->url("/h264") + R"(", "substream": ")" +
                           sub_server->url("/h264") + "\"" + extra + "}]}");
    CliResult r = cli_run({"record", "--config", config, "--duration", "3"}, tmp_.path(), 60000);
    EXPECT_EQ(r.status, 0) << r.err;
    return fs;
  }

  // The sizes `valkka play --json` decodes of each stream ("1280x720"), by stream id.
  std::map<uint32_t, std::set<std::string>> played_sizes(const std::string &fs) {
    CliResult r =
        cli_run({"play", "--fs", fs, "--from", "1", "--speed", "max", "--json"}, tmp_.path());
    EXPECT_EQ(r.status, 0) << r.err;
    std::map<uint32_t, std::set<std::string>> sizes;
    for (const std::string &line : split_lines(r.out)) {
      json_t *row = json_loads(line.c_str(), 0, nullptr);
      if (!row) continue;
      sizes[(uint32_t)json_integer_value(json_object_get(row, "stream"))].insert(
          std::to_string(json_integer_value(json_object_get(row, "width"))) + "x" +
          std::to_string(json_integer_value(json_object_get(row, "height"))));
      json_decref(row);
    }
    return sizes;
  }

  TempDir tmp_;
};

// The stream table's entry of `id`: {name, camera_id}; {"(none)", 0} when absent.
std::pair<std::string, uint32_t> named(const std::vector<valkka_fs_stream_info_t> &streams,
                                       uint32_t id) {
  for (const auto &s : streams)
    if (s.stream_id == id) return {s.name, s.camera_id};
  return {"(none)", 0};
}

TEST_F(RecordSubstream, BothStreamsAreRecordedAsOneCamera) {
  const std::string fs = record("");
  const auto streams = streams_of(fs);
  ASSERT_EQ(streams.size(), 2u) << "the main (1) and the substream (2001)";
  EXPECT_EQ(named(streams, 1), std::make_pair(std::string("door"), 0u));
  EXPECT_EQ(named(streams, 2001), std::make_pair(std::string("door/sub"), 1u));
  const auto sizes = played_sizes(fs);
  EXPECT_EQ(sizes.at(1), std::set<std::string>{"1280x720"});
  EXPECT_EQ(sizes.at(2001), std::set<std::string>{"640x360"});
  // The CLI lists the substream as the main's.
  CliResult r = cli_run({"fs", "inspect", fs}, tmp_.path());
  EXPECT_NE(r.out.find("door/sub"), std::string::npos) << r.out;
}

TEST_F(RecordSubstream, RecordSubRecordsTheSubstreamAloneAsTheCamera) {
  const std::string fs = record(R"(, "record": "sub", "sub_id": 7)");
  const auto streams = streams_of(fs);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(named(streams, 7), std::make_pair(std::string("door"), 0u));
  EXPECT_EQ(played_sizes(fs).at(7), std::set<std::string>{"640x360"});
}

TEST_F(RecordSubstream, RecordMainLeavesTheSubstreamOut) {
  const std::string fs = record(R"(, "record": "main")");
  const auto streams = streams_of(fs);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(named(streams, 1), std::make_pair(std::string("door"), 0u));
  EXPECT_EQ(played_sizes(fs).at(1), std::set<std::string>{"1280x720"});
}

TEST_F(RecordSubstream, ABadRecordValueIsAOneLineConfigError) {
  const std::string config = tmp_.sub("bad.json");
  write_text(config, R"({"fs": ")" + tmp_.sub("fs") +
                         R"(", "cameras": [{"url": "synthetic://0", "substream": "synthetic://0",
                          "record": "everything"}]})");
  CliResult r = cli_run({"record", "--config", config, "--duration", "1"}, tmp_.path());
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("config " + config +
                       ": cameras[0].record: expected \"main\", \"sub\" or \"both\""),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
