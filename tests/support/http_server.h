/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A real HTTP server for the tests of a remote FS: Debian's lighttpd on 127.0.0.1, serving FS
// directories read-only as a site would (byte ranges, ETag and Last-Modified, no stat cache, so a
// file that grows or is replaced by rename is served as it is now), with TLS from a CA made for
// the test and HTTP basic auth as options. It can be stopped and started again on the same port,
// as a recorder's server that goes away mid-playback and comes back.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace testsupport {

// A CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI in dir:
// ca.pem, server.pem (the certificate), server.key. False with *err on failure.
bool make_test_certificates(const std::string &dir, std::string *err);

class HttpServer {
 public:
  struct Mount {
    std::string path;  // the URL path, e.g. "/fs0"
    std::string dir;   // the directory served under it
  };
  struct Options {
    std::vector<Mount> mounts;
    bool tls = false;      // https, with a CA of the test's own (ca_file())
    std::string user;      // HTTP basic auth when not empty
    std::string password;  // no newline
  };

  explicit HttpServer(Options options);
  // Stops the server (SIGTERM, then SIGKILL) and removes its scratch directory.
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // Starts lighttpd and waits (at most 10 s) until it listens. The first start picks a free
  // port; a start after stop() takes the same one again. False with *err (and the server's
  // error log) on failure.
  bool start(std::string *err);
  // Ends the server: connections are reset, new ones refused until start().
  void stop();
  bool running() const;

  int port() const { return port_; }
  // http(s)://[user:password@]127.0.0.1:PORT/path, the credentials percent-encoded.
  std::string url(const std::string &path, bool with_credentials = true) const;
  // The CA that signed the server's certificate (empty without TLS).
  std::string ca_file() const;
  // What lighttpd logged so far, for failure messages.
  std::string log() const;
  // The requests answered so far, across restarts: "STATUS PATH" each (e.g. "206 /fs0/blocks").
  // A line comes a moment after its answer: wait_for_requests() waits for it.
  std::vector<std::string> requests() const;
  // True once requests() has at least n lines; false after `timeout`.
  bool wait_for_requests(size_t n,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  // The server's own directory (config, log, certificates), removed by the destructor.
  const std::string &scratch() const { return scratch_; }

 private:
  bool start_once(std::string *err);
  std::string config() const;

  Options options_;
  std::string scratch_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace testsupport
