/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Debian's lighttpd as a child process of the test: serving a directory read-only on a free port
// of 127.0.0.1, with an access log the test reads, stopped (and reaped) at scope exit.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "../fs/fs_test_util.h"

namespace httptest {

class LighttpdServer {
 public:
  explicit LighttpdServer(const std::string &root);
  ~LighttpdServer();
  LighttpdServer(const LighttpdServer &) = delete;
  LighttpdServer &operator=(const LighttpdServer &) = delete;

  bool running() const { return pid_ > 0; }
  // "http://127.0.0.1:PORT" + path.
  std::string url(const std::string &path) const;
  // Its access log: one "STATUS PATH" per request so far.
  std::vector<std::string> log() const;

 private:
  bool start(const std::string &root);
  void stop();
  fstest::TempDir conf_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace httptest
