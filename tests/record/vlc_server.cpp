/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "vlc_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

namespace recordtest {

VlcServer::VlcServer(const std::string &clip, int port, const std::string &log, bool audio)
    : port_(port) {
  const std::string sout = "#rtp{sdp=rtsp://127.0.0.1:" + std::to_string(port) + "/cam}";
  std::vector<const char *> argv;
  if (geteuid() == 0)
    for (const char *a : {"runuser", "-u", "nobody", "--"}) argv.push_back(a);
  for (const char *a : {"cvlc", "-I", "dummy", "--loop"}) argv.push_back(a);
  if (!audio) argv.push_back("--no-audio");
  for (const char *a : {clip.c_str(), "--sout", sout.c_str()}) argv.push_back(a);
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    FILE *out = freopen(log.c_str(), "w", stdout);
    FILE *err = out ? freopen(log.c_str(), "a", stderr) : nullptr;
    (void)err;
    execvp(argv[0], const_cast<char *const *>(argv.data()));
    _exit(127);
  }
  if (pid_ > 0) setpgid(pid_, pid_);
}

VlcServer::~VlcServer() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  for (int i = 0; i < 50 && waitpid(pid_, nullptr, WNOHANG) == 0; i++) usleep(100000);
  kill(-pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

bool VlcServer::wait_listening() const {
  for (int i = 0; i < 100; i++) {
    if (listening(port_)) return true;
    usleep(100000);
  }
  return false;
}

}  // namespace recordtest
