/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The `valkka` command as a child process: output to files, a deadline, signals. For tests that
// must stop it mid-run or read what it printed while it runs. And the tools the tests check its
// output with (ffmpeg, ffprobe), through the shell.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace recordtest {

struct CliProcess {
  pid_t pid = -1;
  std::string out_path, err_path;
};

struct CliResult {
  int status;  // exit status; -1 when it died by a signal or overran its deadline
  std::string out, err;
};

// Starts $VALKKA_TEST_BIN_DIR/valkka with `args`; stdout and stderr go to the two files.
// `env` entries ("KEY=value") are added to (or override) the test's environment.
CliProcess cli_start(const std::vector<std::string> &args, const std::string &out_path,
                     const std::string &err_path, const std::vector<std::string> &env = {});

// Waits for the child to exit, at most `timeout_ms`; after that it is killed (SIGKILL) and
// reaped, so no test leaves a process behind. Returns the exit status or -1.
int cli_wait(CliProcess &p, int timeout_ms);

// cli_start + cli_wait, the output files under `dir`.
CliResult cli_run(const std::vector<std::string> &args, const std::string &dir,
                  int timeout_ms = 60000, const std::vector<std::string> &env = {});

// Runs `command` with /bin/sh; returns its stdout (and its stderr too with `with_errors`).
std::string shell_output(const std::string &command, bool with_errors = false);

std::string read_text(const std::string &path);
// Waits until the file holds `needle` (a running child's output), at most `timeout_ms`.
bool wait_for_text(const std::string &path, const std::string &needle, int timeout_ms);
std::vector<std::string> split_lines(const std::string &text);
// Writes `text` to `path` with the given permission bits (config files: 0600).
void write_text(const std::string &path, const std::string &text, unsigned mode = 0600);

}  // namespace recordtest
