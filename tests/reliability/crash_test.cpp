/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The crash campaign at CI size (bench/crash-campaign runs it with 200 kills): a recorder on the
// writer-thread path, 8 streams, SIGKILLed 20 times at random moments into an FS that wraps;
// then the same with every kill a power cut (the FS rolled back to its last fdatasync).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "campaign.h"

namespace {

// A fresh directory under $TMPDIR, removed afterwards.
class Scratch {
 public:
  Scratch() {
    const char *base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/valkka-crash-XXXXXX";
    if (!mkdtemp(tmpl.data())) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~Scratch() {
    std::string cmd = "rm -rf '" + path_ + "'";
    if (system(cmd.c_str()) != 0) ADD_FAILURE() << "could not remove " << path_;
  }
  std::string sub(const char *name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void expect_clean(const campaign::Result &r) {
  for (const std::string &p : r.problems) ADD_FAILURE() << p;
  EXPECT_EQ(r.accepted_lost, 0u);
  EXPECT_EQ(r.corrupt, 0u);
  EXPECT_EQ(r.fsck_unrepaired, 0u);
}

TEST(ReliabilityCrash, TwentyKillsLoseNoAcceptedFrame) {
  Scratch tmp;
  campaign::Config cfg;
  cfg.dir = tmp.sub("fs");
  cfg.kills = 20;
  cfg.seed = 20240601;
  campaign::Result r = campaign::run(cfg);
  SCOPED_TRACE(campaign::summary(r));
  expect_clean(r);
  EXPECT_EQ(r.kills, 20u);
  EXPECT_EQ(r.bad_records, 0u);
  EXPECT_EQ(r.fsck_dirty, 0u);
  EXPECT_GT(r.accepted, 20u * cfg.min_frames);
  EXPECT_GE(r.wraps, 3u) << "the FS should have wrapped several times";
  EXPECT_GT(r.recovered_rounds, 0u) << "recovery should have found records the table lacked";
  std::cout << "crash: " << campaign::summary(r) << "\n";
}

TEST(ReliabilityCrash, TwentyPowerCutsLoseOnlyUnsyncedFrames) {
  Scratch tmp;
  campaign::Config cfg;
  cfg.dir = tmp.sub("fs");
  cfg.kills = 20;
  cfg.seed = 20240602;
  cfg.power_cut = true;
  cfg.journal_plugin = VALKKA_JOURNAL_PLUGIN;
  campaign::Result r = campaign::run(cfg);
  SCOPED_TRACE(campaign::summary(r));
  expect_clean(r);
  EXPECT_EQ(r.kills, 20u);
  EXPECT_GT(r.syncs, 0u);
  EXPECT_GT(r.writes_undone, 0u) << "the power cuts should have undone something";
  EXPECT_EQ(r.fsck_dirty, 0u) << "fsck after the reopen that recovered the cut";
  EXPECT_GE(r.wraps, 2u);
  std::cout << "power cut: " << campaign::summary(r) << "\n";
}

}  // namespace
