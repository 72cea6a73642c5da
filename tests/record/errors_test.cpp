/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka record`'s errors before any recording, as README.md ("Recording") promises: bad
// arguments (exit 2), a missing FS, no plugins, a camera whose source plugin is missing (exit 1).
// Each prints one line on stderr and nothing on stdout.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

// Checks a run failed as the README says, with `expect` in its one line; a failure exits 1, a
// usage error 2.
void expect_one_line_failure(const CliResult &r, const std::string &expect, const std::string &what,
                             int status = 1) {
  EXPECT_EQ(r.status, status) << what << ": " << r.err;
  EXPECT_TRUE(one_line(r.err)) << what << ": " << r.err;
  EXPECT_EQ(r.err.rfind("valkka: record: ", 0), 0u) << what << ": " << r.err;
  EXPECT_NE(r.err.find(expect), std::string::npos) << what << ": " << r.err;
  EXPECT_EQ(r.out, "") << what;
}

TEST(RecordErrors, BadArgumentsFailWithOneLine) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [{"url": "synthetic://0"}]})");
  const struct {
    std::vector<std::string> args;
    std::string expect;
    int status = 2;
  } cases[] = {
      {{}, "--config FILE or --fs DIR is required"},
      {{"--fs", fs}, "--fs needs cameras"},
      {{"--fs", fs, "--synthetic"}, "--synthetic needs a value"},
      {{"--fs", fs, "--synthetic", "0"}, "--synthetic 0: expected a camera count from 1 to 64"},
      {{"--fs", fs, "--synthetic", "65"}, "--synthetic 65: expected a camera count"},
      {{"--fs", fs, "--synthetic", "two"}, "--synthetic two: expected a camera count"},
      {{"--fs", fs, "--synthetic", "1", "--duration", "0"}, "--duration 0: expected seconds"},
      {{"--fs", fs, "--synthetic", "1", "--duration", "1s"}, "--duration 1s: expected seconds"},
      {{"--fs", fs, "--synthetic", "1", "--loud"}, "unknown option '--loud'"},
      {{"--fs", fs, "--synthetic", "1", "extra"}, "unexpected argument 'extra'"},
      {{"--config", config, "--fs", fs}, "--config cannot be combined with --fs"},
      {{"--fs", fs, "--file", tmp.sub("absent.mp4")}, "--file " + tmp.sub("absent.mp4") + ": ", 1},
  };
  for (const auto &c : cases) {
    std::vector<std::string> args{"record"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    std::string what;
    for (const std::string &a : args) what += a + " ";
    expect_one_line_failure(cli_run(args, tmp.path()), c.expect, what, c.status);
  }
}

// An FS over HTTP is a viewer's: `valkka record` refuses it, and a config's "recorders", in one
// line that shows no password.
TEST(RecordErrors, AnFsOverHttpIsNoPlaceToRecord) {
  TempDir tmp;
  const std::string url = "https://rec:rec-pw-14142@127.0.0.1:1/fs0";
  const std::string refused = "an FS over HTTP is read-only: record on the recorder's own disk";
  CliResult r = cli_run({"record", "--fs", url, "--synthetic", "1"}, tmp.path());
  expect_one_line_failure(r, "--fs: " + refused, "--fs URL");
  EXPECT_EQ(r.err.find("rec-pw-14142"), std::string::npos) << r.err;
  const std::string config = tmp.sub("cams.json");
  write_text(config, R"({"cameras": [{"url": "synthetic://0", "fs": ")" + url + R"("}]})");
  r = cli_run({"record", "--config", config}, tmp.path());
  expect_one_line_failure(r, "cameras[0].fs: " + refused, "a camera's fs URL");
  EXPECT_EQ(r.err.find("rec-pw-14142"), std::string::npos) << r.err;
  write_text(config, R"({"fs": ")" + tmp.sub("fs") + R"(", "recorders": [")" + url +
                         R"("], "cameras": [{"url": "synthetic://0"}]})");
  r = cli_run({"record", "--config", config}, tmp.path());
  expect_one_line_failure(r, "recorders[0]: recorders are for a viewer", "recorders");
}

TEST(RecordErrors, AMissingFsFailsWithOneLine) {
  TempDir tmp;
  ASSERT_EQ(mkdir(tmp.sub("empty").c_str(), 0700), 0);
  for (const std::string &dir : {tmp.sub("nowhere"), tmp.sub("empty")}) {
    CliResult r =
        cli_run({"record", "--fs", dir, "--synthetic", "1", "--duration", "1"}, tmp.path());
    expect_one_line_failure(r, "--fs: " + dir + ": ", dir);
  }
}

// The CLI also scans the install directory (<libdir>/valkka/plugins): this holds where nothing
// is installed there, as on CI.
TEST(RecordErrors, NoPluginsFailsWithOneLine) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), none = tmp.sub("no-plugins");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  ASSERT_EQ(mkdir(none.c_str(), 0700), 0);
  ASSERT_EQ(plugin_files(valkka_plugin_dir()).size(), 0u)
      << "plugins are installed in " << valkka_plugin_dir() << ": no run can find none";
  CliResult r = cli_run({"record", "--fs", fs, "--synthetic", "1", "--duration", "1"}, tmp.path(),
                        60000, {"VALKKA_PLUGIN_PATH=" + none});
  EXPECT_EQ(r.err, std::string("valkka: record: no plugins found in $VALKKA_PLUGIN_PATH or ") +
                       valkka_plugin_dir() + "\n");
  expect_one_line_failure(r, "no plugins found", "no plugins");
}

// Every plugin of the build but source-synthetic: the FS opens, the synthetic camera cannot.
TEST(RecordErrors, AMissingSourcePluginFailsWithOneLine) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), plugins = tmp.sub("plugins");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  ASSERT_EQ(mkdir(plugins.c_str(), 0700), 0);
  const std::vector<std::string> built = plugin_files(build_plugin_dir());
  ASSERT_GE(built.size(), 2u) << build_plugin_dir();
  for (const std::string &name : built) {
    if (name == "source-synthetic.so") continue;
    ASSERT_EQ(symlink((build_plugin_dir() + "/" + name).c_str(), (plugins + "/" + name).c_str()),
              0);
  }
  CliResult r = cli_run({"record", "--fs", fs, "--synthetic", "1", "--duration", "1"}, tmp.path(),
                        60000, {"VALKKA_PLUGIN_PATH=" + plugins});
  expect_one_line_failure(r, "--synthetic camera 0: no source plugin named 'source-synthetic'",
                          "no source-synthetic");
}

// Two cameras, the second's plugin (source-rtsp) missing: every camera's plugin is checked before
// any starts or any FS is created, so the first camera prints no `connecting` line before the
// error, and the FS the config would create is not.
TEST(RecordErrors, ALaterCamerasMissingSourcePluginFailsWithOneLine) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), plugins = tmp.sub("plugins"), config = tmp.sub("c.json");
  ASSERT_EQ(mkdir(plugins.c_str(), 0700), 0);
  const std::vector<std::string> built = plugin_files(build_plugin_dir());
  ASSERT_GE(built.size(), 2u) << build_plugin_dir();
  size_t linked = 0;
  for (const std::string &name : built) {
    if (name == "source-rtsp.so") continue;
    ASSERT_EQ(symlink((build_plugin_dir() + "/" + name).c_str(), (plugins + "/" + name).c_str()),
              0);
    linked += name == "source-synthetic.so";
  }
  ASSERT_EQ(linked, 1u) << "the first camera's plugin must be there";
  write_text(config, R"({"fs": {"dir": ")" + fs + R"(", "create": {"blocks": 4}},
    "cameras": [{"url": "synthetic://0"}, {"url": "rtsp://127.0.0.1:9/none"}]})");
  CliResult r = cli_run({"record", "--config", config, "--duration", "1"}, tmp.path(), 60000,
                        {"VALKKA_PLUGIN_PATH=" + plugins});
  expect_one_line_failure(r, "cameras[1]: no source plugin named 'source-rtsp'", "no source-rtsp");
  struct stat st;
  EXPECT_NE(stat(fs.c_str(), &st), 0) << "the FS was created before the error";
}

}  // namespace
