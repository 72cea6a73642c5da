/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "vlc_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

namespace recordtest {

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

bool listening(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = fd >= 0 && connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
  if (fd >= 0) close(fd);
  return ok;
}

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
