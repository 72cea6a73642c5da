/* SPDX-License-Identifier: LGPL-2.1-or-later */
// storage-http through the core's API: an FS served over HTTP reads as the same FS opened
// locally (table, streams, every frame byte for byte, from many threads at once), status.json
// comes by conditional GET, and each way a server can fail is a clear error code and message,
// never a crash, a wrong read, a hang or a password shown.
#include <thread>

#include "faulty_server.h"
#include "http_fs_fixture.h"
#include "loopback.h"

using namespace fstest;
using namespace httptest;

namespace {

TEST_F(HttpStorage, ReadsAsTheSameFsOpenedLocally) {
  FaultyServer server(tmp_->path());
  int err = 0;
  valkka_fs_t *remote = open_url(server.url("/fs"), &err);
  ASSERT_NE(remote, nullptr) << valkka_last_error();
  expect_same_as_local(remote);
  // Kept alive: one connection carries the reads of one thread.
  const size_t requests = server.log().size();
  EXPECT_GT(requests, 20u);
  EXPECT_LE(server.connections(), 2);
  valkka_fs_close(remote);
}

// Reads of many threads at once share the directory's connections and never mix their bodies.
TEST_F(HttpStorage, ThreadsReadAtOnce) {
  FaultyServer server(tmp_->path());
  auto want = local_frames();
  int err = 0;
  valkka_fs_t *remote = open_url(server.url("/fs/"), &err);
  ASSERT_NE(remote, nullptr) << valkka_last_error();
  std::vector<int> mismatches(6, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; t++)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; round++)
        for (uint32_t b = 0; b < 16; b++) {
          auto got = frames_of(remote, (b + (uint32_t)t) % 16);
          const auto &w = want[(b + (uint32_t)t) % 16];
          bool ok = got.size() == w.size();
          for (size_t i = 0; ok && i < got.size(); i++) ok = same(got[i], w[i]);
          mismatches[t] += !ok;
        }
    });
  for (auto &th : threads) th.join();
  for (int t = 0; t < 6; t++) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  valkka_fs_close(remote);
}

TEST_F(HttpStorage, StatusComesByConditionalGet) {
  FaultyServer server(tmp_->path());
  int err = 0;
  valkka_fs_t *remote = open_url(server.url("/fs"), &err);
  ASSERT_NE(remote, nullptr) << valkka_last_error();
  auto load = [&] {
    char *data = nullptr;
    size_t len = 0;
    EXPECT_EQ(valkka_fs_load_file(remote, "status.json", &data, &len), 0) << valkka_last_error();
    std::string text(data ? data : "", len);
    EXPECT_EQ(data ? data[len] : 'x', '\0');
    valkka_fs_free_file(data);
    return text;
  };
  auto status_answers = [&] {
    std::vector<std::string> out;
    for (const auto &line : server.log())
      if (line.find("/fs/status.json") != std::string::npos) out.push_back(line);
    return out;
  };
  EXPECT_EQ(load(), "{\"state\": \"recording\"}\n");
  EXPECT_EQ(load(), "{\"state\": \"recording\"}\n");
  EXPECT_EQ(status_answers(),
            (std::vector<std::string>{"200 /fs/status.json", "304 /fs/status.json"}));
  write_status("{\"state\": \"stopped\"}\n");
  EXPECT_EQ(load(), "{\"state\": \"stopped\"}\n");
  EXPECT_EQ(status_answers().back(), "200 /fs/status.json");
  char *data = nullptr;
  size_t len = 0;
  EXPECT_EQ(valkka_fs_load_file(remote, "nothing.json", &data, &len), VALKKA_ENOENT);
  EXPECT_NE(std::string(valkka_last_error()).find("404 Not Found"), std::string::npos)
      << valkka_last_error();
  valkka_fs_close(remote);
  write_status("{\"state\": \"recording\"}\n");
}

struct Fault {
  const char *prefix;
  int code;
  const char *says;
};

// A server that breaks an answer: the open (whose recovery reads the table and blocks) fails
// with the code and words of the fault, and nothing is read into the wrong place.
TEST_F(HttpStorage, BrokenAnswersAreClearErrors) {
  FaultyServer server(tmp_->path());
  const Fault faults[] = {
      {"truncate", VALKKA_EIO, "(truncated)"},
      {"wronglen", VALKKA_EIO, "for a range of"},
      {"wrongrange", VALKKA_EIO, "answered bytes"},
      {"toolong", VALKKA_EIO, "(too long)"},
      {"416", VALKKA_ERANGE, "416 Range Not Satisfiable: the file is shorter than the FS says"},
      {"500", VALKKA_EIO, "500 Internal Server Error"},
      {"norange", VALKKA_EIO, "the server ignores Range requests"},
  };
  for (const Fault &f : faults) {
    SCOPED_TRACE(f.prefix);
    int err = 0;
    const std::string url = server.url(std::string("/") + f.prefix + "/fs");
    valkka_fs_t *fs = open_url(url, &err);
    EXPECT_EQ(fs, nullptr);
    EXPECT_EQ(err, f.code) << valkka_last_error();
    const std::string msg = valkka_last_error();
    EXPECT_NE(msg.find(f.says), std::string::npos) << msg;
    EXPECT_NE(msg.find(url + "/blocktable"), std::string::npos) << msg;
    valkka_fs_close(fs);
  }
}

// Random bytes of the right length: the record checksums hold, so no frame of them is delivered.
TEST_F(HttpStorage, GarbageNeverPassesForFrames) {
  FaultyServer server(tmp_->path());
  auto want = local_frames();
  int err = 0;
  valkka_fs_t *fs = open_url(server.url("/fs"), &err);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  server.set_fault("garbage");
  for (uint32_t b = 0; b < 16; b++) {
    int rc = 0;
    auto got = frames_of(fs, b, &rc);
    EXPECT_TRUE(got.empty()) << "block " << b << ": " << got.size() << " frames of garbage";
  }
  server.set_fault("none");
  for (uint32_t b = 0; b < 16; b++) EXPECT_EQ(frames_of(fs, b).size(), want[b].size()) << b;
  valkka_fs_close(fs);
}

TEST_F(HttpStorage, AStalledServerTimesOutAndReadsResume) {
  FaultyServer server(tmp_->path());
  int err = 0;
  valkka_fs_t *fs = open_url(server.url("/fs"), &err, {{"stall_timeout_ms", "300"}});
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  auto want = local_frames();
  server.set_fault("slow");
  int rc = 0;
  EXPECT_TRUE(frames_of(fs, 0, &rc).empty());
  EXPECT_EQ(rc, VALKKA_EIO);
  EXPECT_NE(std::string(valkka_last_error()).find("/fs/blocks: stalled 0.3 s (no data)"),
            std::string::npos)
      << valkka_last_error();
  server.set_fault("500");
  EXPECT_TRUE(frames_of(fs, 1, &rc).empty());
  EXPECT_EQ(rc, VALKKA_EIO);
  server.set_fault("none");
  auto got = frames_of(fs, 0, &rc);
  EXPECT_EQ(got.size(), want[0].size()) << valkka_last_error();
  valkka_fs_close(fs);
  // A stall on a new connection: the open's first read of the table.
  EXPECT_EQ(open_url(server.url("/slow/fs"), &err, {{"stall_timeout_ms", "300"}}), nullptr);
  EXPECT_EQ(err, VALKKA_EIO);
  EXPECT_NE(std::string(valkka_last_error()).find("/slow/fs/blocktable: stalled 0.3 s (no data)"),
            std::string::npos)
      << valkka_last_error();
}

TEST_F(HttpStorage, UnreachableAndMissing) {
  FaultyServer server(tmp_->path());
  int err = 0;
  const std::string refused = "http://127.0.0.1:" + std::to_string(testsupport::free_port()) +
                              "/fs";
  EXPECT_EQ(open_url(refused, &err), nullptr);
  EXPECT_EQ(err, VALKKA_EIO);
  EXPECT_NE(std::string(valkka_last_error()).find(refused + "/valkkafs.json: connection refused"),
            std::string::npos)
      << valkka_last_error();
  EXPECT_EQ(open_url(server.url("/nofs"), &err), nullptr);
  EXPECT_EQ(err, VALKKA_ENOENT);
  EXPECT_NE(std::string(valkka_last_error()).find("404 Not Found"), std::string::npos)
      << valkka_last_error();
}

// Basic auth by URL userinfo: the right password reads, a wrong one is a 401 that names the URL
// without it.
TEST_F(HttpStorage, PasswordsStayOutOfMessages) {
  FaultyServer server(tmp_->path());
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  int err = 0;
  valkka_fs_t *fs = open_url("http://user:secret@" + host + "/auth/fs", &err);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_GT(frames_of(fs, 0).size(), 0u);
  valkka_fs_close(fs);
  EXPECT_EQ(open_url("http://user:wrongpass77@" + host + "/auth/fs", &err), nullptr);
  EXPECT_EQ(err, VALKKA_EACCES);
  const std::string msg = valkka_last_error();
  EXPECT_NE(msg.find("http://***@" + host + "/auth/fs/valkkafs.json: 401 Unauthorized"),
            std::string::npos)
      << msg;
  EXPECT_EQ(msg.find("wrongpass77"), std::string::npos) << msg;
  // Refused at the first read after the open: the password stays out of that message too.
  fs = open_url("http://user:secret@" + host + "/auth/fs", &err);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  server.set_fault("500");
  int rc = 0;
  EXPECT_TRUE(frames_of(fs, 0, &rc).empty());
  EXPECT_EQ(rc, VALKKA_EIO);
  const std::string read_msg = valkka_last_error();
  EXPECT_NE(read_msg.find("http://***@" + host + "/auth/fs/blocks: 500 Internal Server Error"),
            std::string::npos)
      << read_msg;
  EXPECT_EQ(read_msg.find("secret"), std::string::npos) << read_msg;
  valkka_fs_close(fs);
}

TEST_F(HttpStorage, BearerToken) {
  FaultyServer server(tmp_->path());
  int err = 0;
  valkka_fs_t *fs = open_url(server.url("/bearer/fs"), &err, {{"bearer_token", "tok123"}});
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_GT(frames_of(fs, 0).size(), 0u);
  valkka_fs_close(fs);
  const std::string file = tmp_->sub("token");
  FILE *f = fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("tok123\nnot this line\n", f);
  fclose(f);
  fs = open_url(server.url("/bearer/fs"), &err, {{"bearer_token_file", file.c_str()}});
  EXPECT_NE(fs, nullptr) << valkka_last_error();
  valkka_fs_close(fs);
  EXPECT_EQ(open_url(server.url("/bearer/fs"), &err, {{"bearer_token", "badtoken9"}}), nullptr);
  EXPECT_EQ(err, VALKKA_EACCES);
  EXPECT_EQ(std::string(valkka_last_error()).find("badtoken9"), std::string::npos);
  EXPECT_EQ(open_url(server.url("/bearer/fs"), &err), nullptr);
  EXPECT_EQ(err, VALKKA_EACCES);
}

TEST_F(HttpStorage, BadOptionsAreRefused) {
  FaultyServer server(tmp_->path());
  int err = 0;
  EXPECT_EQ(open_url(server.url("/fs"), &err, {{"ca_fiel", "/x"}}), nullptr);
  EXPECT_EQ(err, VALKKA_EINVAL);
  EXPECT_NE(std::string(valkka_last_error()).find("unknown option \"ca_fiel\""), std::string::npos)
      << valkka_last_error();
  EXPECT_EQ(open_url(server.url("/fs"), &err, {{"stall_timeout_ms", "soon"}}), nullptr);
  EXPECT_EQ(err, VALKKA_EINVAL);
  EXPECT_EQ(open_url(server.url("/fs"), &err, {{"ca_file", "/nonexistent/ca.pem"}}), nullptr);
  EXPECT_EQ(err, VALKKA_EINVAL);
}

}  // namespace
