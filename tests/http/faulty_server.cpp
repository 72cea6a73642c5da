/* SPDX-License-Identifier: LGPL-2.1-or-later */
// FaultyServer (faulty_server.h): the fault-injecting HTTP server as a child process.
#include "faulty_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <gtest/gtest.h>

namespace httptest {

namespace {

std::string script_path() {
  const char *src = getenv("VALKKA_TEST_SOURCE_DIR");
  return std::string(src ? src : ".") + "/tests/support/http_faulty.py";
}

}  // namespace

FaultyServer::FaultyServer(const std::string &dir, const std::string &cert, const std::string &key)
    : tls_(!cert.empty()) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << strerror(errno);
    return;
  }
  const std::string script = script_path();
  pid_ = fork();
  if (pid_ == 0) {
    // A test that crashes takes its server with it.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(out[1], 1);
    if (cert.empty())
      execl("/usr/bin/python3", "python3", script.c_str(), dir.c_str(), (char *)nullptr);
    else
      execl("/usr/bin/python3", "python3", script.c_str(), dir.c_str(), cert.c_str(), key.c_str(),
            (char *)nullptr);
    _exit(127);
  }
  close(out[1]);
  // Its first line is its port; a server that does not come up within 20 s is a failure.
  std::string line;
  pollfd p{out[0], POLLIN, 0};
  char c;
  while (line.find('\n') == std::string::npos && poll(&p, 1, 20000) == 1 &&
         read(out[0], &c, 1) == 1)
    line += c;
  close(out[0]);
  port_ = atoi(line.c_str());
  if (port_ <= 0) ADD_FAILURE() << script << " did not start (" << line << ")";
}

FaultyServer::~FaultyServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status;
  waitpid(pid_, &status, 0);
}

std::string FaultyServer::url(const std::string &path) const {
  return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) + path;
}

std::string FaultyServer::get(const std::string &path) const {
  int fd = connect_loopback(port_);
  if (fd < 0) return "";
  std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", got;
  if (write(fd, req.data(), req.size()) != (ssize_t)req.size()) {
    close(fd);
    return "";
  }
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) got.append(buf, (size_t)n);
  close(fd);
  size_t body = got.find("\r\n\r\n");
  return body == std::string::npos ? "" : got.substr(body + 4);
}

std::vector<std::string> FaultyServer::log() const {
  std::vector<std::string> lines;
  std::istringstream in(get("/_log"));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int FaultyServer::connections() const { return atoi(get("/_connections").c_str()); }

void FaultyServer::set_fault(const std::string &mode) const {
  EXPECT_EQ(get("/_fault/" + mode), "ok\n");
}

int connect_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, (sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    fd = -1;
  }
  return fd;
}

}  // namespace httptest
