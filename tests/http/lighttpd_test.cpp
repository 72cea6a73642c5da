/* SPDX-License-Identifier: LGPL-2.1-or-later */
// storage-http against a real server, Debian's lighttpd as the tests serve an FS
// (tests/support/http_server.h): the FS reads as the local one, and status.json is asked for
// again by its ETag and answered 304 while unchanged.
#include <chrono>
#include <thread>

#include "http_fs_fixture.h"
#include "http_server.h"

using namespace httptest;
using testsupport::HttpServer;

namespace {

// The answers for `path`, once there are `n` of them (bounded wait: lighttpd logs an answer a
// moment after it).
std::vector<std::string> answers_for(const HttpServer &server, const std::string &path, size_t n) {
  std::vector<std::string> out;
  for (int i = 0; i < 500 && out.size() < n; i++) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    out.clear();
    for (const auto &line : server.requests())
      if (line.size() > 4 && line.substr(4) == path) out.push_back(line);
  }
  return out;
}

TEST_F(HttpStorage, LighttpdServesItAsTheLocalFs) {
  HttpServer server(HttpServer::Options{{{"/fs", tmp_->sub("fs")}}, false, "", ""});
  std::string start_err;
  ASSERT_TRUE(server.start(&start_err)) << start_err;
  int err = 0;
  valkka_fs_t *fs = open_url(server.url("/fs"), &err);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  expect_same_as_local(fs);
  for (int i = 0; i < 2; i++) {
    char *data = nullptr;
    size_t len = 0;
    EXPECT_EQ(valkka_fs_load_file(fs, "status.json", &data, &len), 0) << valkka_last_error();
    EXPECT_EQ(std::string(data ? data : "", len), "{\"state\": \"recording\"}\n");
    valkka_fs_free_file(data);
  }
  EXPECT_EQ(answers_for(server, "/fs/status.json", 2),
            (std::vector<std::string>{"200 /fs/status.json", "304 /fs/status.json"}));
  valkka_fs_close(fs);
}

}  // namespace
