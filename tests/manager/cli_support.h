/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the tests of `valkka play` and `valkka export` share: a recording written through the
// library (its frames known to the test), the CLI run as a child process, and `play --json`'s
// lines read back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli_process.h"
#include "manager_support.h"

namespace mgr_test {

// Creates a MultiFS of 256 KiB blocks in `dir` and records `streams` into it (manager_support's
// record); fails the test when it cannot.
void record_fs(const std::string &dir, const std::vector<StreamSpec> &streams, Oracle *oracle);

// Runs the `valkka` binary with `args`, its output files in `tmp`, for at most two minutes.
recordtest::CliResult valkka(const std::vector<std::string> &args, const TempDir &tmp);

// Whether `path` names anything: a refused export leaves no file.
bool file_exists(const std::string &path);

// One line of `valkka play --json`: a picture (width, height, keyframe) or a sound packet.
struct PlayLine {
  uint32_t stream = 0;
  int64_t mstime = 0;
  bool keyframe = false, audio = false;
  long width = 0, height = 0;
};

// Every line of `play --json`'s output; a line that is not such an object fails the test.
std::vector<PlayLine> play_lines(const std::string &out);

}  // namespace mgr_test
