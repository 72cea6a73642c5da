/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The HTTP servers a remote FS is read through, checked with the curl CLI: the test fixture
// (tests/support/http_server.h, lighttpd) and ci/serve-fs.sh, what an operator runs. What a
// remote FS relies on: exact byte ranges, ETag, a file that grows or is replaced by rename served
// as it is now, TLS verified by a CA file, basic auth, a server that stops and comes back on the
// same port, nothing listed and nothing written.
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.h"
#include "fs_test_util.h"
#include "http_server.h"
#include "loopback.h"

namespace {

using fstest::TempDir;
using testsupport::HttpServer;

// curl's exit codes the checks tell apart.
constexpr int kCurlCouldNotConnect = 7;
constexpr int kCurlPeerCertificate = 60;

std::string read_text(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string &path, const std::string &text, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << text;
}

// Bytes that tell where in a file they are, so a wrong range shows.
std::string pattern(size_t size, uint32_t seed) {
  const std::vector<uint8_t> p = fstest::payload(seed, 0, static_cast<uint32_t>(size));
  return std::string(p.begin(), p.end());
}

// Bytes compared without printing them: where they first differ, and the sizes.
::testing::AssertionResult same_bytes(const std::string &got, const std::string &want) {
  if (got == want) return ::testing::AssertionSuccess();
  size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) i++;
  return ::testing::AssertionFailure() << "got " << got.size() << " bytes, want " << want.size()
                                       << ", first difference at byte " << i;
}

struct Reply {
  int curl = -1;  // curl's exit code
  int code = 0;   // the HTTP status
  std::string headers, body, err;

  // A response header's value ("" when absent); names are case-insensitive (HTTP/2: lower case).
  std::string header(const std::string &name) const {
    std::istringstream lines(headers);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.size() <= name.size() || line[name.size()] != ':') continue;
      if (strncasecmp(line.c_str(), name.c_str(), name.size()) != 0) continue;
      std::string value = line.substr(name.size() + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
      return value;
    }
    return "";
  }
};

// One request with the curl CLI; `args` go before the URL (-r, -H, --cacert, -X ...). Headers
// and body go to files of `scratch`.
Reply fetch(const TempDir &scratch, const std::string &url, std::vector<std::string> args = {}) {
  const std::string headers = scratch.sub("headers"), body = scratch.sub("body");
  unlink(headers.c_str());
  unlink(body.c_str());
  std::vector<std::string> argv{"curl",  "-sS", "--max-time", "10", "-D",
                                headers, "-o",  body,         "-w", "%{http_code}"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(url);
  const testsupport::RunResult r = testsupport::run(argv);
  Reply reply;
  reply.curl = r.status;
  reply.code = atoi(r.out.c_str());
  reply.err = r.err;
  reply.headers = read_text(headers);
  reply.body = read_text(body);
  return reply;
}

std::string describe(const Reply &r) {
  return "curl exit " + std::to_string(r.curl) + ", HTTP " + std::to_string(r.code) + ": " + r.err +
         r.headers;
}

// A file the recorder appends to (its blocks) is served to its new end at once: a range past
// the old end, asked right after the append, gets the new bytes.
void expect_growing_file_served_as_now(const TempDir &scratch, const std::string &file,
                                       const std::string &url,
                                       const std::vector<std::string> &args) {
  const std::string first = pattern(5000, 1), more = pattern(3000, 2);
  write_text(file, first);
  Reply r = fetch(scratch, url, args);
  ASSERT_EQ(r.code, 200) << describe(r);
  ASSERT_TRUE(same_bytes(r.body, first));

  write_text(file, more, true);
  std::vector<std::string> ranged = args;
  ranged.insert(ranged.end(), {"-r", "5000-"});
  r = fetch(scratch, url, ranged);
  ASSERT_EQ(r.code, 206) << describe(r);
  EXPECT_EQ(r.header("Content-Range"), "bytes 5000-7999/8000");
  EXPECT_TRUE(same_bytes(r.body, more));
}

// A file the recorder replaces by rename (status.json, streams.json) is served new at once, with
// a new ETag: a conditional GET with the old one gets the new file, not 304.
void expect_renamed_file_served_new(const TempDir &scratch, const std::string &dir,
                                    const std::string &url, const std::vector<std::string> &args) {
  write_text(dir + "/status.json", "{\"seq\": 1}\n");
  Reply r = fetch(scratch, url, args);
  ASSERT_EQ(r.code, 200) << describe(r);
  ASSERT_EQ(r.body, "{\"seq\": 1}\n");
  const std::string etag = r.header("ETag");
  ASSERT_FALSE(etag.empty()) << r.headers;

  write_text(dir + "/status.json.tmp", "{\"seq\": 2}\n");  // the same length, as is usual
  ASSERT_EQ(rename((dir + "/status.json.tmp").c_str(), (dir + "/status.json").c_str()), 0);
  std::vector<std::string> conditional = args;
  conditional.insert(conditional.end(), {"-H", "If-None-Match: " + etag});
  r = fetch(scratch, url, conditional);
  ASSERT_EQ(r.code, 200) << describe(r);
  EXPECT_EQ(r.body, "{\"seq\": 2}\n");
  EXPECT_NE(r.header("ETag"), etag);
}

class HttpServerTest : public ::testing::Test {
 protected:
  static constexpr const char *kFs1 = "fs1 \"quoted\" \\";

  void SetUp() override {
    // A directory's name may hold what the server's config language quotes.
    for (const char *d : {"fs0", kFs1}) ASSERT_EQ(mkdir(tmp_.sub(d).c_str(), 0755), 0);
    write_text(tmp_.sub("fs0/blocks"), pattern(100000, 7));
    write_text(tmp_.sub(kFs1) + "/blocks", pattern(100, 8));
  }

  HttpServer::Options options() const {
    HttpServer::Options o;
    o.mounts = {{"/fs0", tmp_.sub("fs0")}, {"/fs1", tmp_.sub(kFs1)}};
    return o;
  }

  Reply get(const std::string &url, std::vector<std::string> args = {}) {
    return fetch(tmp_, url, std::move(args));
  }

  TempDir tmp_;
};

TEST_F(HttpServerTest, ARangeGets206WithTheExactBytesAndAnEtag) {
  HttpServer server(options());
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;

  // --compressed: a server that compresses would say so (Content-Encoding).
  Reply r = get(server.url("/fs0/blocks"), {"-r", "1000-1999", "--compressed"});
  ASSERT_EQ(r.code, 206) << describe(r);
  EXPECT_EQ(r.header("Content-Range"), "bytes 1000-1999/100000");
  EXPECT_TRUE(same_bytes(r.body, pattern(100000, 7).substr(1000, 1000)));
  EXPECT_EQ(r.header("Content-Encoding"), "");
  const std::string etag = r.header("ETag");
  EXPECT_FALSE(etag.empty()) << r.headers;
  EXPECT_FALSE(r.header("Last-Modified").empty()) << r.headers;

  r = get(server.url("/fs0/blocks"), {"-H", "If-None-Match: " + etag});
  EXPECT_EQ(r.code, 304) << describe(r);
  // Each mount serves its own directory.
  r = get(server.url("/fs1/blocks"));
  EXPECT_EQ(r.code, 200) << describe(r);
  EXPECT_TRUE(same_bytes(r.body, pattern(100, 8)));
  // Every request answered, in order, as the access log has it.
  const std::vector<std::string> want{"206 /fs0/blocks", "304 /fs0/blocks", "200 /fs1/blocks"};
  EXPECT_TRUE(server.wait_for_requests(want.size()));
  EXPECT_EQ(server.requests(), want);
}

TEST_F(HttpServerTest, NothingIsListedWrittenOrServedOutsideTheMounts) {
  HttpServer server(options());
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;

  Reply r = get(server.url("/fs0/"));
  EXPECT_EQ(r.code, 403) << describe(r);
  EXPECT_EQ(r.body.find("blocks"), std::string::npos) << r.body;
  for (const char *method : {"PUT", "DELETE", "POST"}) {
    r = get(server.url("/fs0/blocks"), {"-X", method, "--data-binary", "x"});
    EXPECT_EQ(r.code, 403) << method << ": " << describe(r);
  }
  EXPECT_TRUE(same_bytes(read_text(tmp_.sub("fs0/blocks")), pattern(100000, 7)));
  write_text(tmp_.sub("secret"), "not served");
  r = get(server.url("/fs0/../secret"), {"--path-as-is"});
  EXPECT_NE(r.code, 200) << describe(r);
}

TEST_F(HttpServerTest, AGrowingFileIsServedAsItIsNow) {
  HttpServer server(options());
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  expect_growing_file_served_as_now(tmp_, tmp_.sub("fs0/blocks"), server.url("/fs0/blocks"), {});
}

TEST_F(HttpServerTest, AFileReplacedByRenameIsServedNew) {
  HttpServer server(options());
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  expect_renamed_file_served_new(tmp_, tmp_.sub("fs0"), server.url("/fs0/status.json"), {});
}

TEST_F(HttpServerTest, TlsVerifiesWithTheCaFileAndFailsWithout) {
  HttpServer::Options o = options();
  o.tls = true;
  HttpServer server(o);
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  ASSERT_EQ(server.url("/fs1/blocks").rfind("https://127.0.0.1:", 0), 0u);

  Reply r = get(server.url("/fs1/blocks"), {"--cacert", server.ca_file()});
  EXPECT_EQ(r.code, 200) << describe(r);
  EXPECT_TRUE(same_bytes(r.body, pattern(100, 8)));
  r = get(server.url("/fs1/blocks"));
  EXPECT_EQ(r.curl, kCurlPeerCertificate) << describe(r);
  // The certificate names localhost too.
  const std::string by_name = "https://localhost:" + std::to_string(server.port()) + "/fs1/blocks";
  r = get(by_name, {"--cacert", server.ca_file()});
  EXPECT_EQ(r.code, 200) << describe(r);
}

TEST_F(HttpServerTest, BasicAuthTakesTheGoodPasswordOnly) {
  HttpServer::Options o = options();
  o.user = "viewer";
  o.password = "p@ss w/rd:#1";  // needs percent-encoding in a URL
  HttpServer server(o);
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;

  Reply r = get(server.url("/fs1/blocks"));
  EXPECT_EQ(r.code, 200) << describe(r);
  EXPECT_TRUE(same_bytes(r.body, pattern(100, 8)));
  r = get(server.url("/fs1/blocks", false));
  EXPECT_EQ(r.code, 401) << describe(r);
  r = get(server.url("/fs1/blocks", false), {"-u", "viewer:p@ss w/rd:#2"});
  EXPECT_EQ(r.code, 401) << describe(r);
  EXPECT_EQ(server.log().find(o.password), std::string::npos) << server.log();
}

TEST_F(HttpServerTest, StopRefusesConnectionsAndStartServesAgainOnTheSamePort) {
  HttpServer server(options());
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  const int port = server.port();
  ASSERT_EQ(get(server.url("/fs1/blocks")).code, 200);

  server.stop();
  EXPECT_FALSE(server.running());
  Reply r = get(server.url("/fs1/blocks"));
  EXPECT_EQ(r.curl, kCurlCouldNotConnect) << describe(r);

  ASSERT_TRUE(server.start(&err)) << err;
  EXPECT_EQ(server.port(), port);
  r = get(server.url("/fs1/blocks"));
  EXPECT_EQ(r.code, 200) << describe(r);
  EXPECT_TRUE(same_bytes(r.body, pattern(100, 8)));
}

TEST_F(HttpServerTest, TheDestructorEndsTheServerAndRemovesItsFiles) {
  int port = 0;
  std::string scratch;
  {
    HttpServer::Options o = options();
    o.tls = true;
    HttpServer server(o);
    std::string err;
    ASSERT_TRUE(server.start(&err)) << err;
    port = server.port();
    scratch = server.scratch();
    ASSERT_TRUE(testsupport::listening(port));
  }
  EXPECT_FALSE(testsupport::listening(port));
  EXPECT_FALSE(std::filesystem::exists(scratch));
}

// ci/serve-fs.sh as an operator runs it, on loopback, serving a real FS.
class ServeFsScript : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_ = tmp_.sub("fs0");
    ASSERT_EQ(fstest::create_fs(fs_, VALKKA_FS_MULTI, 64 * 1024, 4), 0) << valkka_last_error();
    certs_ = tmp_.sub("certs");
    ASSERT_EQ(mkdir(certs_.c_str(), 0700), 0);
    std::string err;
    ASSERT_TRUE(testsupport::make_test_certificates(certs_, &err)) << err;
    write_text(tmp_.sub("password"), "s3cret word\n");
    ASSERT_EQ(mkdir(script_tmp().c_str(), 0700), 0);
  }
  void TearDown() override {
    if (pid_ > 0) testsupport::stop_child(pid_);
  }

  static std::string script() {
    const char *src = getenv("VALKKA_TEST_SOURCE_DIR");
    return std::string(src ? src : ".") + "/ci/serve-fs.sh";
  }
  std::vector<std::string> tls_args() const {
    return {"--dir",           fs_,
            "--cert",          certs_ + "/server.pem",
            "--key",           certs_ + "/server.key",
            "--user",          "viewer",
            "--password-file", tmp_.sub("password")};
  }
  // Starts the script with `args` on a free port; waits (at most 10 s) until it listens.
  void serve(std::vector<std::string> args) {
    port_ = testsupport::free_port();
    args.insert(args.begin(), {"env", "TMPDIR=" + script_tmp(), script()});
    args.insert(args.end(), {"--port", std::to_string(port_)});
    std::string err;
    pid_ = testsupport::spawn(args, tmp_.sub("serve.log"), &err);
    ASSERT_GT(pid_, 0) << err;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!testsupport::listening(port_)) {
      int status = 0;
      if (testsupport::reap_if_exited(pid_, &status)) {
        pid_ = -1;
        FAIL() << "serve-fs.sh ended (" << testsupport::describe_status(status)
               << "): " << read_text(tmp_.sub("serve.log"));
      }
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << read_text(tmp_.sub("serve.log"));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // The script's $TMPDIR, where it keeps its config and users file while it runs.
  std::string script_tmp() const { return tmp_.sub("script-tmp"); }
  std::vector<std::string> script_tmp_entries() const {
    std::vector<std::string> names;
    for (const auto &e : std::filesystem::directory_iterator(script_tmp()))
      names.push_back(e.path().string());
    return names;
  }
  std::string url(const std::string &path) const {
    return "https://127.0.0.1:" + std::to_string(port_) + path;
  }
  Reply get(const std::string &url, std::vector<std::string> args = {}) {
    return fetch(tmp_, url, std::move(args));
  }

  TempDir tmp_;
  std::string fs_, certs_;
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST_F(ServeFsScript, ServesAnFsReadOnlyWithTlsAndAuthThenStopsClean) {
  serve(tls_args());
  const std::vector<std::string> good{"--cacert", certs_ + "/ca.pem", "-u", "viewer:s3cret word"};

  // Its config and users file, in a private dir while it runs, the password readable by no other.
  const std::vector<std::string> kept = script_tmp_entries();
  ASSERT_EQ(kept.size(), 1u);
  struct stat st;
  ASSERT_EQ(stat(kept[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat((kept[0] + "/users").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);

  Reply r = get(url("/fs0/valkkafs.json"), good);
  ASSERT_EQ(r.code, 200) << describe(r);
  EXPECT_EQ(r.body, read_text(fs_ + "/valkkafs.json"));
  EXPECT_FALSE(r.header("ETag").empty()) << r.headers;
  r = get(url("/fs0/valkkafs.json"), {"-u", "viewer:s3cret word"});
  EXPECT_EQ(r.curl, kCurlPeerCertificate) << describe(r);
  r = get(url("/fs0/valkkafs.json"), {"--cacert", certs_ + "/ca.pem", "-u", "viewer:wrong"});
  EXPECT_EQ(r.code, 401) << describe(r);
  r = get(url("/valkkafs.json"), good);  // the FS is served under /fs0/ only
  EXPECT_EQ(r.code, 403) << describe(r);
  // Over HTTP/2 lighttpd answers a write with a body by resetting the stream: HTTP/1.1 shows 403.
  for (const char *method : {"PUT", "DELETE"}) {
    std::vector<std::string> write = good;
    write.insert(write.end(), {"--http1.1", "-X", method, "--data-binary", "x"});
    r = get(url("/fs0/valkkafs.json"), write);
    EXPECT_EQ(r.code, 403) << method << ": " << describe(r);
  }
  r = get(url("/fs0/"), good);
  EXPECT_EQ(r.code, 403) << describe(r);

  expect_growing_file_served_as_now(tmp_, fs_ + "/grows", url("/fs0/grows"), good);
  expect_renamed_file_served_new(tmp_, fs_, url("/fs0/status.json"), good);

  const int status = testsupport::stop_child(pid_);
  pid_ = -1;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << testsupport::describe_status(status) << ": " << read_text(tmp_.sub("serve.log"));
  EXPECT_FALSE(testsupport::listening(port_));
  EXPECT_TRUE(script_tmp_entries().empty());
}

TEST_F(ServeFsScript, RefusesPlainHttpUnlessAskedAndARawDeviceFs) {
  // Refused at once; were it served, the run would end at its timeout.
  const std::string port = std::to_string(testsupport::free_port());
  const auto timeout = std::chrono::seconds(10);
  testsupport::RunResult r = testsupport::run({script(), "--dir", fs_, "--port", port}, timeout);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("refusing to serve without TLS"), std::string::npos) << r.err;

  const std::string raw = tmp_.sub("raw");
  ASSERT_EQ(mkdir(raw.c_str(), 0755), 0);
  write_text(raw + "/valkkafs.json", "{\"version\": 2, \"data\": \"/dev/sdz\"}\n");
  r = testsupport::run({script(), "--dir", raw, "--plain", "--port", port}, timeout);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/dev/sdz, which a web server cannot serve"), std::string::npos) << r.err;

  serve({"--dir", fs_, "--plain"});
  const Reply got = get("http://127.0.0.1:" + std::to_string(port_) + "/fs0/valkkafs.json");
  EXPECT_EQ(got.code, 200) << describe(got);
}

TEST_F(ServeFsScript, PrintsAConfigLighttpdTakesAndAnNginxBlock) {
  std::vector<std::string> args = tls_args();
  args.insert(args.begin(), script());
  args.push_back("--print-config");
  testsupport::RunResult r = testsupport::run(args);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char *line : {"server.stat-cache-engine = \"disable\"", "ssl.engine = \"enable\"",
                           "\"require\" => \"valid-user\"", "server.bind = \"127.0.0.1\""})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << " in\n" << r.out;
  EXPECT_EQ(r.out.find("s3cret"), std::string::npos) << r.out;
  write_text(tmp_.sub("printed.conf"), r.out);
  const testsupport::RunResult check =
      testsupport::run({"/usr/sbin/lighttpd", "-tt", "-f", tmp_.sub("printed.conf")});
  EXPECT_EQ(check.status, 0) << check.out << check.err;

  args.back() = "--nginx";
  r = testsupport::run(args);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char *line : {"listen 127.0.0.1:", "ssl_certificate ", "auth_basic \"valkka\"",
                           "limit_except GET { deny all; }", "autoindex off;", "alias "})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << " in\n" << r.out;
  EXPECT_EQ(r.out.find("s3cret"), std::string::npos) << r.out;
}

}  // namespace
