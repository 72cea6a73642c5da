/* SPDX-License-Identifier: LGPL-2.1-or-later */
// LighttpdServer (lighttpd_server.h): Debian's lighttpd started on a free port and stopped.
#include "lighttpd_server.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "faulty_server.h"

namespace httptest {

LighttpdServer::LighttpdServer(const std::string &root) {
  // A free port may be taken between its probe and lighttpd's bind: another one then.
  for (int attempt = 0; attempt < 5 && !start(root); attempt++) {
  }
  if (pid_ <= 0) ADD_FAILURE() << "lighttpd did not start: " << conf_.sub("error.log");
}

LighttpdServer::~LighttpdServer() { stop(); }

bool LighttpdServer::start(const std::string &root) {
  port_ = closed_port();
  const std::string conf = conf_.sub("lighttpd.conf");
  std::ofstream(conf) << "server.document-root = \"" << root << "\"\n"
                      << "server.bind = \"127.0.0.1\"\nserver.port = " << port_ << "\n"
                      << "server.modules = (\"mod_accesslog\")\n"
                      << "accesslog.filename = \"" << conf_.sub("access.log") << "\"\n"
                      << "accesslog.format = \"%s %U\"\n"
                      << "server.errorlog = \"" << conf_.sub("error.log") << "\"\n"
                      << "mimetype.assign = (\"\" => \"application/octet-stream\")\n";
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    execl("/usr/sbin/lighttpd", "lighttpd", "-D", "-f", conf.c_str(), (char *)nullptr);
    _exit(127);
  }
  // Up when it accepts; gone (its port taken) when it exits: at most 10 s either way.
  for (int i = 0; i < 1000; i++) {
    int fd = connect_loopback(port_);
    if (fd >= 0) {
      close(fd);
      return true;
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop();
  return false;
}

void LighttpdServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string LighttpdServer::url(const std::string &path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<std::string> LighttpdServer::log() const {
  std::vector<std::string> lines;
  std::ifstream in(conf_.sub("access.log"));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace httptest
