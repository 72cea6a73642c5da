/* SPDX-License-Identifier: LGPL-2.1-or-later */
// tests/support/http_faulty.py as a child process of the test: started on a free port of
// 127.0.0.1 serving a directory, asked for its request log, stopped (and reaped) at scope exit.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace httptest {

class FaultyServer {
 public:
  // With `cert` and `key` (PEM files) it serves HTTPS.
  explicit FaultyServer(const std::string &dir, const std::string &cert = "",
                        const std::string &key = "");
  ~FaultyServer();
  FaultyServer(const FaultyServer &) = delete;
  FaultyServer &operator=(const FaultyServer &) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path (https:// with TLS).
  std::string url(const std::string &path) const;
  // The body of a plain GET of `path` (HTTP/1.0, no keep-alive, no TLS); "" when it fails.
  std::string get(const std::string &path) const;
  // The server's log: one "STATUS PATH" per request so far.
  std::vector<std::string> log() const;
  // Connections it accepted before this question's own.
  int connections() const;
  // Sets the fault of plain paths ("slow", "500", ... or "none").
  void set_fault(const std::string &mode) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
};

// A socket connected to 127.0.0.1:port, or -1.
int connect_loopback(int port);

}  // namespace httptest
