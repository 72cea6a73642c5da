/* SPDX-License-Identifier: LGPL-2.1-or-later */
// How `valkka record` ends when its cameras give it nothing, as the README says: with --duration
// and no frame within it, it gives up (exit 1, one line saying so); when every camera has failed
// for good, it stops there (exit 1, one line counting them) instead of waiting out the duration.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

// Runs `record --config` of one camera for `duration` s: its result, and how long it took.
CliResult record_one(const TempDir &tmp, const std::string &camera, const char *duration,
                     double *took_s) {
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  EXPECT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  write_text(config, "{\"fs\": \"" + fs + "\", \"cameras\": [" + camera + "]}");
  const auto start = std::chrono::steady_clock::now();
  CliResult r = cli_run({"record", "--config", config, "--duration", duration}, tmp.path(), 90000);
  *took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

size_t occurrences(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) n++;
  return n;
}

TEST(RecordEnds, GivesUpWhenNoFrameComesWithinTheDuration) {
  if (!VALKKA_TEST_RTSP_BUILT) GTEST_SKIP() << "source-rtsp is not built";
  TempDir tmp;
  double took_s = 0;
  // A refused port: the camera reconnects for ever and never delivers a frame.
  CliResult r = record_one(tmp, R"({"name": "gate", "url": "rtsp://127.0.0.1:1/x"})", "2", &took_s);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(occurrences(r.err, "valkka: record: no camera delivered a frame in 2 s"), 1u) << r.err;
  EXPECT_GE(took_s, 2.0) << "gave up before the duration";
}

TEST(RecordEnds, StopsWhenEveryCameraHasFailed) {
  TempDir tmp;
  double took_s = 0;
  // An option no source takes (a width past the synthetic source's 4096): retrying cannot fix it.
  CliResult r =
      record_one(tmp, R"({"name": "lobby", "url": "synthetic://0", "options": {"width": "99999"}})",
                 "60", &took_s);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(occurrences(r.err, "valkka: record: no camera left recording: 1 failed, 0 ended"), 1u)
      << r.err;
  EXPECT_LT(took_s, 60.0) << "waited out the duration: " << r.err;
}

}  // namespace
