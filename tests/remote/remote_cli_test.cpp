/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka fs inspect`, `play` (a range, and --live) and `export` of an FS that Debian's lighttpd
// serves on 127.0.0.1, against the same commands on the FS directory itself: what comes over HTTP
// is the local answer, byte for byte. TLS with the site's CA given by option and refused without
// it; basic auth with a good and a bad password (the password in no output); the server stopped
// under a `play --live` and started again (said once, then followed on).
#include <signal.h>
#include <unistd.h>

#include <jansson.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "cli_process.h"
#include "fs_test_util.h"
#include "http_server.h"
#include "iso_time.h"
#include "live_lines.h"

using namespace fstest;
using namespace recordtest;
using testsupport::HttpServer;

namespace {

const char *kPassword = "s3cret-Pa55";

// `valkka ARGS` run to its end, its output in `tmp`.
CliResult valkka(const std::vector<std::string> &args, const TempDir &tmp, int timeout_ms = 90000) {
  return cli_run(args, tmp.path(), timeout_ms);
}

// A server for `dir` at /fs0, started; fails the test when it does not start.
std::unique_ptr<HttpServer> serve(const std::string &dir, bool tls = false,
                                  const std::string &user = "") {
  HttpServer::Options o;
  o.mounts = {{"/fs0", dir}};
  o.tls = tls;
  o.user = user;
  o.password = user.empty() ? "" : kPassword;
  auto server = std::make_unique<HttpServer>(o);
  std::string err;
  EXPECT_TRUE(server->start(&err)) << err;
  return server;
}

// The recorded time range of the FS by `fs inspect --json` ([first, last]); {0, 0} on failure.
std::pair<int64_t, int64_t> time_range(const std::string &json) {
  json_t *root = json_loads(json.c_str(), 0, nullptr);
  json_t *range = json_object_get(root, "time_range");
  std::pair<int64_t, int64_t> out{json_integer_value(json_array_get(range, 0)),
                                  json_integer_value(json_array_get(range, 1))};
  json_decref(root);
  return out;
}

// One recording of four synthetic cameras for the suite, and its server.
class RemoteCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    dir_ = tmp_->sub("fs");
    ASSERT_EQ(create_fs(dir_, VALKKA_FS_MULTI, 1 << 18, 64), 0) << valkka_last_error();
    CliResult r = valkka({"record", "--fs", dir_, "--synthetic", "4", "--duration", "4"}, *tmp_);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static TempDir *tmp_;
  static std::string dir_;
};
TempDir *RemoteCli::tmp_ = nullptr;
std::string RemoteCli::dir_;

TEST_F(RemoteCli, InspectPlayAndExportOverHttpAreTheLocalOnes) {
  auto server = serve(dir_);
  const std::string url = server->url("/fs0");
  TempDir tmp;

  CliResult local = valkka({"fs", "inspect", dir_, "--json"}, tmp);
  CliResult remote = valkka({"fs", "inspect", url, "--json"}, tmp);
  ASSERT_EQ(local.status, 0) << local.err;
  ASSERT_EQ(remote.status, 0) << remote.err << server->log();
  EXPECT_EQ(remote.out, local.out);
  const auto [first_ms, last_ms] = time_range(local.out);
  ASSERT_GT(last_ms, first_ms + 2000);

  // A range from mid-recording: the seek, then every stream on one clock, as locally.
  const std::string from = mgr_test::iso_time(first_ms + 1234, 0);
  const std::string to = mgr_test::iso_time(first_ms + 3000, 0);
  local =
      valkka({"play", "--fs", dir_, "--from", from, "--to", to, "--speed", "max", "--json"}, tmp);
  remote =
      valkka({"play", "--fs", url, "--from", from, "--to", to, "--speed", "max", "--json"}, tmp);
  ASSERT_EQ(local.status, 0) << local.err;
  ASSERT_EQ(remote.status, 0) << remote.err;
  EXPECT_GT(split_lines(local.out).size(), 4u * 40);
  EXPECT_EQ(remote.out, local.out);

  // Every camera into a directory: the files byte-identical.
  const std::string out_local = tmp.sub("local"), out_remote = tmp.sub("remote");
  local = valkka({"export", "--fs", dir_, "--all", "--from", from, "--to", to, "--recorder",
                  "site-a", out_local},
                 tmp);
  remote = valkka({"export", "--fs", url, "--all", "--from", from, "--to", to, "--recorder",
                   "site-a", out_remote},
                  tmp);
  ASSERT_EQ(local.status, 0) << local.err;
  ASSERT_EQ(remote.status, 0) << remote.err;
  const std::string names = shell_output("ls " + out_local);
  ASSERT_EQ(split_lines(names).size(), 4u) << names;
  EXPECT_EQ(shell_output("ls " + out_remote), names);
  for (const std::string &name : split_lines(names))
    EXPECT_EQ(shell_output("cmp " + out_local + "/" + name + " " + out_remote + "/" + name +
                               " && echo same",
                           true),
              "same\n")
        << name;
}

// A server that stops under a playback at real time: the clock waits at the blocks it cannot
// read (asked for again each half second), says so once, and when the server is back plays on:
// no block is skipped (a skipped one is a second without frames), and it ends at --to.
TEST(RemotePlay, WaitsForAServerThatStopsAndSkipsNoBlock) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  // Small blocks and every frame a keyframe: a block each 0.7 s, more than the window loads
  // ahead (9 in 6 s).
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 16, 128), 0) << valkka_last_error();
  const std::string config = tmp.sub("cameras.json");
  write_text(config, "{\"fs\": {\"dir\": \"" + dir +
                         "\"}, \"cameras\": ["
                         "{\"url\": \"synthetic://0\", \"id\": 1, \"options\": {\"gop\": 1}}, "
                         "{\"url\": \"synthetic://1\", \"id\": 2, \"options\": {\"gop\": 1}}]}");
  CliResult r = valkka({"record", "--config", config, "--duration", "6"}, tmp);
  ASSERT_EQ(r.status, 0) << r.err;
  r = valkka({"fs", "inspect", dir, "--json"}, tmp);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto [first_ms, last_ms] = time_range(r.out);
  auto server = serve(dir);
  CliProcess play = cli_start({"play", "--fs", server->url("/fs0"), "--from",
                               mgr_test::iso_time(first_ms, 0), "--json"},
                              tmp.sub("play.out"), tmp.sub("play.err"));
  ASSERT_GT(play.pid, 0);
  // Playing: the window holds the first blocks, the later ones are still to be read.
  ASSERT_TRUE(wait_for_text(play.out_path, "\n", 30000)) << read_text(play.err_path);
  server->stop();
  const bool said = wait_for_text(play.err_path, "connection refused", 20000);
  std::string err;
  const bool back = server->start(&err);
  const int status = cli_wait(play, 60000);
  const std::string play_err = read_text(play.err_path);
  ASSERT_TRUE(said) << play_err;
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(status, 0) << play_err;

  std::map<uint32_t, int64_t> last;
  int64_t widest = 0;
  for (const std::string &line : split_lines(read_text(play.out_path))) {
    json_t *j = json_loads(line.c_str(), 0, nullptr);
    ASSERT_NE(j, nullptr) << line;
    const uint32_t stream = (uint32_t)json_integer_value(json_object_get(j, "stream"));
    const int64_t t = json_integer_value(json_object_get(j, "mstime"));
    json_decref(j);
    if (last[stream]) widest = std::max(widest, t - last[stream]);
    last[stream] = t;
  }
  EXPECT_EQ(last.size(), 2u);
  for (const auto &[stream, t] : last) EXPECT_GE(t, last_ms - 200) << "stream " << stream;
  // Frames 40 ms apart; a clock at real time on a loaded machine may pass a few, never a block.
  EXPECT_LT(widest, 500) << play_err;
}

TEST_F(RemoteCli, TlsIsVerifiedAndTheSitesCaIsTakenByOption) {
  auto server = serve(dir_, true);
  const std::string url = server->url("/fs0");
  ASSERT_EQ(url.rfind("https://", 0), 0u) << url;
  TempDir tmp;
  CliResult refused = valkka({"fs", "inspect", url}, tmp);
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("certificate"), std::string::npos) << refused.err;
  CliResult taken = valkka({"fs", "inspect", url, "--ca-file", server->ca_file()}, tmp);
  EXPECT_EQ(taken.status, 0) << taken.err << server->log();
  EXPECT_NE(taken.out.find("streams     4"), std::string::npos) << taken.out;
}

TEST_F(RemoteCli, BasicAuthTakesTheGoodPasswordAndNeverPrintsOne) {
  auto server = serve(dir_, false, "viewer");
  TempDir tmp;
  CliResult good = valkka({"fs", "inspect", server->url("/fs0")}, tmp);
  EXPECT_EQ(good.status, 0) << good.err;
  EXPECT_NE(good.out.find("ValkkaFS http://"), std::string::npos) << good.out;

  std::string bad_url = server->url("/fs0");
  bad_url.replace(bad_url.find(kPassword), strlen(kPassword), "wrong-Pa55");
  CliResult bad = valkka({"fs", "inspect", bad_url}, tmp);
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("401"), std::string::npos) << bad.err;
  CliResult none = valkka({"fs", "inspect", server->url("/fs0", false)}, tmp);
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("401"), std::string::npos) << none.err;
  for (const CliResult *r : {&good, &bad, &none}) {
    EXPECT_EQ((r->out + r->err).find(kPassword), std::string::npos) << r->out << r->err;
    EXPECT_EQ((r->out + r->err).find("wrong-Pa55"), std::string::npos) << r->out << r->err;
  }
}

// A recorder at work, its FS served: play --live of the URL follows it; the server stopped for
// two seconds is said once, and the frames recorded meanwhile and after are shown when it is back.
TEST(RemoteLive, FollowsARecorderAndGoesOnWhenItsServerReturns) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 18, 64), 0) << valkka_last_error();
  CliProcess rec = cli_start({"record", "--fs", dir, "--synthetic", "2"}, tmp.sub("rec.out"),
                             tmp.sub("rec.err"));
  ASSERT_GT(rec.pid, 0);
  auto server = serve(dir);
  CliProcess play = cli_start({"play", "--fs", server->url("/fs0"), "--live", "--json"},
                              tmp.sub("play.out"), tmp.sub("play.err"));
  ASSERT_GT(play.pid, 0);
  const bool first = wait_frames_after(play.out_path, 2, 0, 30000);
  server->stop();
  const bool said = first && wait_for_text(play.err_path, "connection refused", 10000);
  usleep(2000 * 1000); /* the outage: the recorder goes on meanwhile */
  std::string err;
  const bool back = server->start(&err);
  const int64_t back_ms = wall_ms();
  const bool again = back && wait_frames_after(play.out_path, 2, back_ms, 30000);
  kill(play.pid, SIGTERM);
  const int play_status = cli_wait(play, 15000);
  kill(rec.pid, SIGTERM);
  EXPECT_EQ(cli_wait(rec, 15000), 0) << read_text(rec.err_path);
  const std::string play_err = read_text(play.err_path);
  ASSERT_TRUE(first) << "play --live of the URL showed no frame of every camera: " << play_err;
  ASSERT_TRUE(said) << "the server's stop was not said: " << play_err;
  ASSERT_TRUE(back) << err;
  ASSERT_TRUE(again) << "play --live did not go on when the server returned: " << play_err;
  EXPECT_EQ(play_status, 0) << play_err;
  std::printf("%s", play_err.c_str());

  // Each stream's frames once and in order, across the outage.
  std::map<uint32_t, int64_t> last;
  for (const LiveLine &l : live_lines(read_text(play.out_path))) {
    EXPECT_GT(l.mstime, last[l.stream]) << "stream " << l.stream << " went back or twice";
    last[l.stream] = l.mstime;
  }
  EXPECT_EQ(last.size(), 2u);
}

}  // namespace
