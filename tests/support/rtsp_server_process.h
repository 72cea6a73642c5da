/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Runs valkka-test-rtsp-server as a child process for the duration of a test.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

class RtspServerProcess {
 public:
  // extra_args are passed to the server after the ones this class adds
  // (e.g. {"--fps", "10"}); see `valkka-test-rtsp-server --help`.
  explicit RtspServerProcess(std::vector<std::string> extra_args = {});
  ~RtspServerProcess();

  RtspServerProcess(const RtspServerProcess &) = delete;
  RtspServerProcess &operator=(const RtspServerProcess &) = delete;

  // Starts the server and waits (at most 10 s) until it listens. After a
  // stop(), the server comes back on the same port so clients can
  // reconnect to the same URL.
  bool start(std::string *err);
  // SIGTERM, then SIGKILL after 5 s; always reaps the child.
  void stop();

  // Port of the current or, after stop(), the previous run; 0 before start.
  int port() const;
  // rtsp://127.0.0.1:PORT/mount
  std::string url(const std::string &mount) const;
  bool running() const;

 private:
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;   // the server exits when this closes, even if we crash
  int stdout_fd_ = -1;  // kept open so a late write can never hit EPIPE
  int port_ = 0;
};
