/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The `valkka` command as a child process (cli_process.h).
#include "cli_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

extern char **environ;

namespace recordtest {

namespace {

int64_t now_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

std::string key_of(const std::string &entry) { return entry.substr(0, entry.find('=')); }

}  // namespace

CliProcess cli_start(const std::vector<std::string> &args, const std::string &out_path,
                     const std::string &err_path, const std::vector<std::string> &env) {
  const char *dir = getenv("VALKKA_TEST_BIN_DIR");
  std::string bin = std::string(dir ? dir : ".") + "/valkka";
  // Everything the child needs is built before fork: the child only redirects and execs.
  std::vector<std::string> envs;
  for (char **e = environ; *e; e++) {
    bool overridden = false;
    for (const std::string &add : env) overridden |= key_of(add) == key_of(*e);
    if (!overridden) envs.push_back(*e);
  }
  envs.insert(envs.end(), env.begin(), env.end());
  std::vector<char *> argv{const_cast<char *>(bin.c_str())}, envp;
  for (const std::string &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  for (std::string &e : envs) envp.push_back(&e[0]);
  envp.push_back(nullptr);
  CliProcess p;
  p.out_path = out_path;
  p.err_path = err_path;
  int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out >= 0 && err >= 0) p.pid = fork();
  if (p.pid == 0) {
    if (dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
    execve(bin.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  if (out >= 0) close(out);
  if (err >= 0) close(err);
  return p;
}

int cli_wait(CliProcess &p, int timeout_ms) {
  if (p.pid <= 0) return -1;
  const int64_t deadline = now_ms() + timeout_ms;
  int st = 0;
  for (;;) {
    pid_t r = waitpid(p.pid, &st, WNOHANG);
    if (r == p.pid) break;
    if (r < 0) return -1;
    if (now_ms() >= deadline) {
      kill(p.pid, SIGKILL);
      waitpid(p.pid, &st, 0);
      p.pid = -1;
      return -1;
    }
    usleep(20000);
  }
  p.pid = -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

CliResult cli_run(const std::vector<std::string> &args, const std::string &dir, int timeout_ms,
                  const std::vector<std::string> &env) {
  CliProcess p = cli_start(args, dir + "/stdout.txt", dir + "/stderr.txt", env);
  CliResult r;
  r.status = cli_wait(p, timeout_ms);
  r.out = read_text(dir + "/stdout.txt");
  r.err = read_text(dir + "/stderr.txt");
  return r;
}

std::string shell_output(const std::string &command, bool with_errors) {
  std::string text;
  FILE *p = popen((command + (with_errors ? " 2>&1" : "")).c_str(), "r");
  if (!p) return text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  pclose(p);
  return text;
}

std::string read_text(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool wait_for_text(const std::string &path, const std::string &needle, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 50) {
    if (read_text(path).find(needle) != std::string::npos) return true;
    usleep(50000);
  }
  return false;
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

void write_text(const std::string &path, const std::string &text, unsigned mode) {
  {
    std::ofstream out(path, std::ios::trunc);
    out << text;
  }
  chmod(path.c_str(), mode);
}

}  // namespace recordtest
