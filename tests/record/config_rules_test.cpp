/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The config file's rules (README.md, "The config file"): every error exits with status 1 and one
// line naming the file and the field; `block_size` is a multiple of 4K from 64K to 1G and
// `blocks` 2 .. 1048576, each bound accepted and the value just past it refused; a key the
// command does not know is named on stderr and ignored, the run recording all the same.
#include <string>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

// A small picture: a 64K block holds its keyframes.
const char *const kSmallCamera =
    R"({"url": "synthetic://0", "options": {"width": 160, "height": 96}})";

std::string with_create(const std::string &dir, const std::string &create) {
  return R"({"fs": {"dir": ")" + dir + R"(", "create": )" + create + R"(}, "cameras": [)" +
         kSmallCamera + "]}";
}

CliResult record_config(const TempDir &tmp, const std::string &text, const char *duration) {
  const std::string path = tmp.sub("cams.json");
  write_text(path, text);
  return cli_run({"record", "--config", path, "--duration", duration}, tmp.path(), 60000);
}

TEST(RecordConfigRules, EachErrorExitsWith1AndNamesTheField) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), fresh = tmp.sub("new"), path = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  const struct {
    std::string text, expect;
  } cases[] = {
      {R"({"fs": ")" + fs + R"(", "cameras": [)", "invalid JSON at line 1"},
      {R"({"fs": ")" + fs + R"("})", "cameras: missing"},
      {R"({"fs": ")" + fs + R"(", "cameras": [{"url": 7}]})", "cameras[0].url: expected a"},
      {R"({"fs": ")" + fs + R"(", "cameras": [{"url": "synthetic://0", "id": 4294967296}]})",
       "cameras[0].id: expected an integer from 1 to 4294967295"},
      // The bounds: the value just past each one.
      {with_create(fresh, R"({"block_size": 61440, "blocks": 4})"),
       "fs.create.block_size: must be a multiple of 4096, at least 64K and at most 1G"},
      {with_create(fresh, R"({"block_size": 1073745920, "blocks": 4})"),
       "fs.create.block_size: must be a multiple of 4096"},
      {with_create(fresh, R"({"block_size": 67584, "blocks": 4})"),
       "fs.create.block_size: must be a multiple of 4096"},
      {with_create(fresh, R"({"block_size": "64K", "blocks": 1})"),
       "fs.create.blocks: expected an integer from 2 to 1048576"},
      {with_create(fresh, R"({"block_size": "64K", "blocks": 1048577})"),
       "fs.create.blocks: expected an integer from 2 to 1048576"},
  };
  for (const auto &c : cases) {
    CliResult r = record_config(tmp, c.text, "1");
    EXPECT_EQ(r.status, 1) << c.text << ": " << r.err;
    EXPECT_TRUE(one_line(r.err)) << c.text << ": " << r.err;
    EXPECT_NE(r.err.find("valkka: record: config " + path + ": " + c.expect), std::string::npos)
        << c.text << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.text;
  }
  EXPECT_EQ(access(fresh.c_str(), F_OK), -1) << "a refused config created its FS";
  CliResult r = cli_run({"record", "--config", tmp.sub("absent.json")}, tmp.path());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err,
            "valkka: record: config " + tmp.sub("absent.json") + ": No such file or directory\n");
}

// The lower bounds create an FS of two 64K blocks and record into it. The upper ones would be a
// petabyte: they are given for an FS that exists, where `create` is checked and then ignored.
TEST(RecordConfigRules, TheBoundsThemselvesAreAccepted) {
  TempDir tmp;
  const std::string small = tmp.sub("small"), existing = tmp.sub("existing");
  CliResult r =
      record_config(tmp, with_create(small, R"({"block_size": 65536, "blocks": 2})"), "2");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("created multi FS " + small + ": 2 blocks of 65536 bytes"),
            std::string::npos)
      << r.err;
  EXPECT_GT(fs_streams(small, tmp.path())[1].frames, 0) << r.err;

  ASSERT_EQ(create_fs(existing, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  r = record_config(tmp, with_create(existing, R"({"block_size": "1G", "blocks": 1048576})"), "2");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.find("created"), std::string::npos) << r.err;
  EXPECT_GT(fs_streams(existing, tmp.path())[1].frames, 0) << r.err;
}

TEST(RecordConfigRules, UnknownKeysAreNamedAndIgnored) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), path = tmp.sub("cams.json");
  const std::string text = R"({"colour": "blue", "fs": {"dir": ")" + fs +
                           R"(", "spare": 1, "create": {"blocks": 8, "block_size": "1M",
                           "fast": true}}, "cameras": [{"url": "synthetic://0", "zoom": 2}]})";
  CliResult r = record_config(tmp, text, "2");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char *key : {"colour", "fs.spare", "fs.create.fast", "cameras[0].zoom"}) {
    const std::string line = "valkka: record: config " + path + ": " + key + ": unknown key";
    EXPECT_NE(r.err.find(line), std::string::npos) << key << ": " << r.err;
  }
  EXPECT_NE(r.err.find("created multi FS " + fs + ": 8 blocks"), std::string::npos) << r.err;
  EXPECT_GT(fs_streams(fs, tmp.path())[1].frames, 25) << "2 s at 25 fps: " << r.err;
}

}  // namespace
