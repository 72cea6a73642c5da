/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Child processes of a test: programs run to their end with their output kept, servers started in
// the background and stopped, each one reaped, so no test leaves a process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace testsupport {

// How a child ended, for messages: "exit code 1", "signal 9".
std::string describe_status(int status);

// Starts argv (argv[0] searched in $PATH) with stdin from /dev/null and stdout and stderr
// appended to log_path. Returns its pid, or -1 with *err set. The child gets SIGTERM when the
// calling thread ends (a test that crashes leaves no server behind): start it from a thread that
// outlives it.
pid_t spawn(const std::vector<std::string> &argv, const std::string &log_path, std::string *err);

// SIGTERM, then SIGKILL when it has not exited within `grace`; always reaps it. Returns its wait
// status.
int stop_child(pid_t pid, std::chrono::milliseconds grace = std::chrono::seconds(5));

// True while the child runs (it is not reaped: stop_child() or reap_if_exited() still can).
bool alive(pid_t pid);

// True when the child has exited: then it is reaped and *status is its wait status.
bool reap_if_exited(pid_t pid, int *status);

struct RunResult {
  int status = -1;  // the exit code; -1 when it did not start, died of a signal or overran
  std::string out;  // its stdout
  std::string err;  // its stderr
};

// Runs argv (argv[0] searched in $PATH) to its end, at most `timeout`: past it, it is killed.
RunResult run(const std::vector<std::string> &argv,
              std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace testsupport
