/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Child processes of a test (child_process.h).
#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace testsupport {

namespace {

using Clock = std::chrono::steady_clock;

// The argv of execvp, made before fork(): between fork and exec only async-signal-safe calls are
// allowed in a threaded process.
std::vector<char *> exec_argv(const std::vector<std::string> &args) {
  std::vector<char *> argv;
  for (const std::string &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// In the child: a signal mask blocked by the test (e.g. a gtest thread) survives exec and would
// make SIGTERM ineffective; a test that dies takes its children along (SIGTERM when the thread
// that started them ends); then the three standard descriptors, then exec.
[[noreturn]] void exec_child(const std::vector<char *> &argv, int in, int out, int err) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
    _exit(126);
  execvp(argv[0], argv.data());
  _exit(127);
}

int wait_blocking(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Reads both pipes to their end (or the deadline) into out and err; closes them.
bool drain(int out_fd, int err_fd, Clock::time_point deadline, std::string *out, std::string *err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string *sinks[2] = {out, err};
  int open_fds = 2;
  bool in_time = true;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      in_time = false;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        open_fds--;
      }
    }
  }
  for (pollfd &p : fds)
    if (p.fd >= 0) close(p.fd);
  return in_time;
}

}  // namespace

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

pid_t spawn(const std::vector<std::string> &args, const std::string &log_path, std::string *err) {
  const std::vector<char *> argv = exec_argv(args);
  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  std::string why;
  if (in < 0) why = std::string("/dev/null: ") + std::strerror(errno);
  if (log < 0) why = log_path + ": " + std::strerror(errno);
  pid_t pid = -1;
  if (why.empty()) pid = fork();
  if (pid == 0) exec_child(argv, in, log, log);
  if (pid < 0) *err = why.empty() ? std::string("fork: ") + std::strerror(errno) : why;
  if (in >= 0) close(in);
  if (log >= 0) close(log);
  return pid;
}

int stop_child(pid_t pid, std::chrono::milliseconds grace) {
  kill(pid, SIGTERM);
  int status = 0;
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    if (reap_if_exited(pid, &status)) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  return wait_blocking(pid);
}

bool alive(pid_t pid) {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
  return info.si_pid == 0;
}

bool reap_if_exited(pid_t pid, int *status) {
  for (;;) {
    const pid_t r = waitpid(pid, status, WNOHANG);
    if (r < 0 && errno == EINTR) continue;
    return r == pid || r < 0;  // r < 0: not our child any more, as good as gone
  }
}

RunResult run(const std::vector<std::string> &args, std::chrono::milliseconds timeout) {
  RunResult result;
  const std::vector<char *> argv = exec_argv(args);
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return result;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return result;
  }
  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = in >= 0 ? fork() : -1;
  if (pid == 0) exec_child(argv, in, out[1], err[1]);
  for (int fd : {in, out[1], err[1]})
    if (fd >= 0) close(fd);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    result.err = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  const bool in_time = drain(out[0], err[0], Clock::now() + timeout, &result.out, &result.err);
  if (!in_time) kill(pid, SIGKILL);
  const int status = wait_blocking(pid);
  if (in_time && WIFEXITED(status)) result.status = WEXITSTATUS(status);
  return result;
}

}  // namespace testsupport
