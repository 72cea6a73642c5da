/* SPDX-License-Identifier: LGPL-2.1-or-later */
// VLC's RTSP server (Debian's vlc-bin) as a camera that is not ours: it serves RTP over UDP only
// (a TCP SETUP gets 461 Unsupported transport).
#pragma once

#include <sys/types.h>

#include <string>

#include "loopback.h"

namespace recordtest {

using testsupport::free_port;
using testsupport::listening;

// cvlc serving `clip` in a loop at rtsp://127.0.0.1:PORT/cam, in its own process group (VLC
// refuses to run as root: as root it runs as nobody, so the clip must be readable by all).
// `audio`: the clip's sound is served too. Killed with its group when destroyed.
class VlcServer {
 public:
  VlcServer(const std::string &clip, int port, const std::string &log, bool audio = false);
  ~VlcServer();
  VlcServer(const VlcServer &) = delete;
  VlcServer &operator=(const VlcServer &) = delete;
  pid_t pid() const { return pid_; }
  // Waits until it listens, at most 10 s.
  bool wait_listening() const;

 private:
  pid_t pid_ = -1;
  int port_;
};

}  // namespace recordtest
