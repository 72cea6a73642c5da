/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Camera credentials never leave the URL they came in: a recording of RTSP cameras that need a
// password (one straight from the server, one with '@', '/' and '#' in its password,
// percent-encoded, one behind the fault proxy that cuts it mid-run, one with a wrong password,
// one with reserved characters typed unescaped, one with its password in the URL's query) with
// VALKKA_LOG=debug, then `valkka fs inspect`,
// `valkka play --json`, `valkka export` and `valkka probe` of it: no output, and no file of the
// FS or of the export, holds a password, percent-encoded or as basic authentication's base64.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "cli_process.h"
#include "media_support.h"
#include "rtsp_proxy.h"
#include "rtsp_server_process.h"
#include "rtsp_test_util.h"
#include "secrets.h"

using namespace std::chrono_literals;
using recordtest::CliResult;
using security::Credential;

namespace {

const std::vector<std::string> kDebug = {"VALKKA_LOG=debug"};

bool wait_for_text(const std::string &path, const std::string &needle, std::chrono::seconds limit) {
  for (auto end = std::chrono::steady_clock::now() + limit;
       std::chrono::steady_clock::now() < end;) {
    if (recordtest::read_text(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

TEST(Credentials, NeverInRecordInspectPlayExportProbeOrTheFs) {
  const Credential viewer{"viewer", security::unique_password("Vw-")};
  const Credential admin{"admin", "p@ss/w#rd-" + security::unique_password("")};
  const Credential wrong{"viewer", security::unique_password("NotIt-")};
  const Credential typo{"viewer", "ty/po#" + security::unique_password("")};
  const Credential query{"viewer", security::unique_password("Qy-")};
  const std::vector<Credential> all = {viewer, admin, wrong, typo, query};
  const std::string query_args = "?channel=1&user=" + query.user + "&password=" + query.password;

  RtspServerProcess server(
      {"--auth", viewer.user + ":" + viewer.password, "--auth", admin.user + ":" + admin.password});
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  RtspProxy proxy(server.port());
  ASSERT_TRUE(proxy.ok());
  const std::string host = "127.0.0.1:" + std::to_string(server.port());

  media_test::TempDir tmp;
  const std::string fs = tmp.path() + "/fs", config = tmp.path() + "/cams.json";
  recordtest::write_text(config, R"({"fs": {"dir": ")" + fs +
                                     R"(", "create": {"blocks": 32, "block_size": "256K"}},
    "cameras": [
      {"name": "door", "url": "rtsp://)" +
                                     viewer.userinfo() + "@" + host + R"(/cam0"},
      {"name": "yard", "url": "rtsp://)" +
                                     admin.userinfo() + "@" + host + R"(/cam1"},
      {"name": "gate", "url": ")" + proxy.url("/cam2", viewer.userinfo()) +
                                     R"("},
      {"name": "wrong", "url": "rtsp://)" +
                                     wrong.userinfo() + "@" + host + R"(/cam3"},
      {"name": "typo", "url": "rtsp://)" +
                                     typo.user + ":" + typo.password + "@127.0.0.1:" +
                                     std::to_string(rtsp_test::refused_port()) + R"(/cam4"},
      {"name": "query", "url": "rtsp://127.0.0.1:)" +
                                     std::to_string(rtsp_test::refused_port()) + "/cam5" +
                                     query_args + R"("}]})");

  // Recording, with the proxied camera cut once it streams, so reconnect reasons are printed.
  recordtest::CliProcess rec =
      recordtest::cli_start({"record", "--config", config, "--duration", "6"},
                            tmp.path() + "/record.out", tmp.path() + "/record.err", kDebug);
  ASSERT_TRUE(wait_for_text(tmp.path() + "/record.err", "gate: streaming", 30s))
      << recordtest::read_text(tmp.path() + "/record.err");
  proxy.reset_mid_frame();
  EXPECT_EQ(recordtest::cli_wait(rec, 60000), 0);
  std::vector<std::pair<std::string, std::string>> outputs = {
      {"record stdout", recordtest::read_text(tmp.path() + "/record.out")},
      {"record stderr", recordtest::read_text(tmp.path() + "/record.err")}};
  const std::string &record_err = outputs[1].second;
  // The run did what the checks rely on: every kind of message was printed.
  for (const char *line : {"door: streaming", "yard: streaming", "gate: reconnecting in",
                           "wrong: reconnecting in", "401", "typo: ", "query: ", "valkka debug"})
    EXPECT_NE(record_err.find(line), std::string::npos) << line << " missing:\n" << record_err;

  CliResult json = recordtest::cli_run({"fs", "inspect", fs, "--json"}, tmp.path(), 60000, kDebug);
  ASSERT_EQ(json.status, 0) << json.err;
  outputs.push_back({"fs inspect --json stdout", json.out});
  outputs.push_back({"fs inspect --json stderr", json.err});
  CliResult text = recordtest::cli_run({"fs", "inspect", fs}, tmp.path(), 60000, kDebug);
  outputs.push_back({"fs inspect stdout", text.out});
  outputs.push_back({"fs inspect stderr", text.err});

  const size_t range = json.out.find("\"time_range\"");
  ASSERT_NE(range, std::string::npos) << json.out;
  const long long first =
      std::strtoll(json.out.c_str() + json.out.find('[', range) + 1, nullptr, 10);
  ASSERT_GT(first, 0) << json.out;
  const std::string from = std::to_string(first), to = std::to_string(first + 2000);
  CliResult play = recordtest::cli_run({"play", "--fs", fs, "--from", from, "--to", to, "--speed",
                                        "max", "--json"},
                                       tmp.path(), 60000, kDebug);
  EXPECT_EQ(play.status, 0) << play.err;
  EXPECT_TRUE(play.out.find("\"stream\":2,") != std::string::npos ||
              play.out.find("\"stream\": 2,") != std::string::npos)
      << "yard not played";
  outputs.push_back({"play --json stdout", play.out});
  outputs.push_back({"play --json stderr", play.err});

  const std::string mp4 = tmp.path() + "/out/door.mp4";
  ASSERT_EQ(mkdir((tmp.path() + "/out").c_str(), 0700), 0);
  CliResult exported =
      recordtest::cli_run({"export", "--fs", fs, "--stream", "1", "--from", from, "--to", to, mp4},
                          tmp.path(), 60000, kDebug);
  EXPECT_EQ(exported.status, 0) << exported.err;
  outputs.push_back({"export stdout", exported.out});
  outputs.push_back({"export stderr", exported.err});

  CliResult probe_query = recordtest::cli_run({"probe", "rtsp://" + host + "/h264" + query_args},
                                              tmp.path(), 60000, kDebug);
  EXPECT_EQ(probe_query.status, 1) << probe_query.err;
  outputs.push_back({"probe stdout (query)", probe_query.out});
  outputs.push_back({"probe stderr (query)", probe_query.err});
  for (const Credential *c : {&viewer, &wrong}) {
    CliResult probe = recordtest::cli_run(
        {"probe", "rtsp://" + c->userinfo() + "@" + host + "/h264"}, tmp.path(), 60000, kDebug);
    EXPECT_EQ(probe.status, c == &viewer ? 0 : 1) << probe.err;
    outputs.push_back({"probe stdout (" + c->password + ")", probe.out});
    outputs.push_back({"probe stderr (" + c->password + ")", probe.err});
  }

  for (const auto &o : outputs) EXPECT_EQ(security::find_leak(all, o.second, o.first), "");
  EXPECT_EQ(security::find_leak_in_tree(all, fs), "");
  EXPECT_EQ(security::find_leak_in_tree(all, tmp.path() + "/out"), "");
  // The one place they are meant to be.
  EXPECT_NE(security::find_leak(all, recordtest::read_text(config), "config"), "");
}

}  // namespace
