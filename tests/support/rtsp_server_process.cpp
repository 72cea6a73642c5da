/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rtsp_server_process.h"

#include "child_process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

#ifndef VALKKA_TEST_RTSP_SERVER
#error "VALKKA_TEST_RTSP_SERVER must be defined as the path of valkka-test-rtsp-server"
#endif

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);

void close_fd(int *fd) {
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

// Reads one line from fd, giving up at deadline. False on EOF, error or timeout.
bool read_line(int fd, Clock::time_point deadline, std::string *line, std::string *why) {
  line->clear();
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      *why = "timed out";
      return false;
    }
    pollfd pfd{fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      *why = std::string("poll: ") + std::strerror(errno);
      return false;
    }
    if (ready == 0) continue;  // the deadline check above ends the loop

    char c;
    const ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *why = n == 0 ? "exited" : std::string("read: ") + std::strerror(errno);
      return false;
    }
    if (c == '\n') return true;
    *line += c;
  }
}

}  // namespace

RtspServerProcess::RtspServerProcess(std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)) {}

RtspServerProcess::~RtspServerProcess() { stop(); }

bool RtspServerProcess::start(std::string *err) {
  if (running()) {
    *err = "server already running";
    return false;
  }
  stop();  // reap a server that died on its own

  std::vector<std::string> args{VALKKA_TEST_RTSP_SERVER, "--exit-on-stdin-eof"};
  if (port_ > 0) {
    args.push_back("--port");
    args.push_back(std::to_string(port_));
  }
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());

  // Everything the child needs is prepared before fork(): between fork and
  // exec only async-signal-safe calls are allowed in a threaded process.
  std::vector<char *> argv;
  for (std::string &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  sigset_t no_signals;
  sigemptyset(&no_signals);

  // O_CLOEXEC keeps these pipes out of any other child, which would
  // otherwise hold the stdin pipe open and defeat --exit-on-stdin-eof.
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) {
    *err = std::string("pipe2: ") + std::strerror(errno);
    return false;
  }
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    *err = std::string("pipe2: ") + std::strerror(errno);
    close(in_pipe[0]);
    close(in_pipe[1]);
    return false;
  }

  const pid_t pid = fork();
  if (pid < 0) {
    *err = std::string("fork: ") + std::strerror(errno);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) close(fd);
    return false;
  }
  if (pid == 0) {
    // A signal mask blocked by the test (e.g. a gtest thread) survives
    // exec and would make SIGTERM ineffective.
    sigprocmask(SIG_SETMASK, &no_signals, nullptr);
    if (dup2(in_pipe[0], STDIN_FILENO) < 0 || dup2(out_pipe[1], STDOUT_FILENO) < 0) _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }

  close(in_pipe[0]);
  close(out_pipe[1]);
  pid_ = pid;
  stdin_fd_ = in_pipe[1];
  stdout_fd_ = out_pipe[0];

  std::string line;
  std::string why;
  int port = 0;
  if (read_line(stdout_fd_, Clock::now() + kStartTimeout, &line, &why) &&
      std::sscanf(line.c_str(), "PORT %d", &port) == 1 && port > 0) {
    port_ = port;
    return true;
  }

  if (why.empty()) why = "printed '" + line + "' instead of 'PORT <n>'";
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  *err = std::string(VALKKA_TEST_RTSP_SERVER) + " did not start: " + why + " (" +
         testsupport::describe_status(status) + ")";
  pid_ = -1;
  close_fd(&stdin_fd_);
  close_fd(&stdout_fd_);
  return false;
}

void RtspServerProcess::stop() {
  if (pid_ <= 0) return;
  testsupport::stop_child(pid_, kStopTimeout);
  pid_ = -1;
  close_fd(&stdin_fd_);
  close_fd(&stdout_fd_);
}

int RtspServerProcess::port() const { return port_; }

std::string RtspServerProcess::url(const std::string &mount) const {
  const bool has_slash = !mount.empty() && mount.front() == '/';
  return "rtsp://127.0.0.1:" + std::to_string(port_) + (has_slash ? "" : "/") + mount;
}

bool RtspServerProcess::running() const { return pid_ > 0 && testsupport::alive(pid_); }
