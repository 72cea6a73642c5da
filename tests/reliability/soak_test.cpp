/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The month soak at CI size (bench/soak runs 30 simulated days at 1 frame/s per camera): the
// same recorder, viewer and checks, on a sparser fake clock so that a whole month, and many
// wraps of a small FS, fit in seconds.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "soak.h"

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

class Scratch {
 public:
  Scratch() {
    const char *base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/valkka-soak-XXXXXX";
    if (!mkdtemp(tmpl.data())) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string sub(const char *name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// 30 days of 8 cameras, a frame every 10 minutes each, into a 1 MiB FS: 34560 frames, several
// wraps, a fake clock that runs past 2^31 ms (24.8 days) from its start.
TEST(ReliabilitySoak, AMonthOfEightCamerasWithAViewer) {
  Scratch tmp;
  soak::Config cfg;
  cfg.dir = tmp.sub("fs");
  cfg.days = 30;
  cfg.interval_ms = 600000;
  cfg.n_blocks = 16;
  cfg.seed = 20240603;
  soak::Result r = soak::run(cfg);
  SCOPED_TRACE(soak::summary(r));
  for (const std::string &p : r.problems) ADD_FAILURE() << p;
  EXPECT_EQ(r.corrupt, 0u);
  EXPECT_GE(r.simulated_days, 29.9);
  EXPECT_GE(r.wraps, 4u);
  EXPECT_EQ(r.checks, r.wraps + 1);  // one after each wrap, one at the end
  EXPECT_GT(r.reader.seeks_done, 0u);
  EXPECT_GT(r.reader.pictures_checked, 0u);
  EXPECT_EQ(r.reader.bad_pictures, 0u);
  EXPECT_EQ(r.reader.decode_errors, 0u);
  EXPECT_EQ(r.reader.stuck, 0u);
  EXPECT_EQ(r.end.fds, r.start.fds) << "descriptors leak";
  // Sanitizers keep freed memory in quarantine: resident size says nothing there.
  if (!kSanitized) {
    EXPECT_LT(r.end.rss_kb, r.start.rss_kb + 16384) << "memory grows";
  }
  std::cout << "soak: " << soak::summary(r) << "\n";
}

// A frame every 20 minutes into a 4 MiB FS: the recording it holds spans more than 2^31 ms, so
// index search, time ranges and the viewer's seeks handle spans no 32-bit millisecond count holds.
TEST(ReliabilitySoak, ARecordingSpanningMoreThan2To31Ms) {
  Scratch tmp;
  soak::Config cfg;
  cfg.dir = tmp.sub("fs");
  cfg.days = 30;
  cfg.interval_ms = 1200000;
  cfg.n_blocks = 64;
  cfg.check_every = 2048;
  cfg.seed = 20240604;
  soak::Result r = soak::run(cfg);
  SCOPED_TRACE(soak::summary(r));
  for (const std::string &p : r.problems) ADD_FAILURE() << p;
  EXPECT_EQ(r.corrupt, 0u);
  EXPECT_GT(r.span_ms, (int64_t)1 << 31);
  EXPECT_GT(r.reader.seeks_done, 0u);
  EXPECT_GT(r.reader.pictures_checked, 0u);
  EXPECT_EQ(r.reader.bad_pictures, 0u);
  EXPECT_EQ(r.reader.decode_errors, 0u);
  EXPECT_EQ(r.reader.stuck, 0u);
  std::cout << "long span: " << soak::summary(r) << "\n";
}

}  // namespace
