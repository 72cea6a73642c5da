/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The crash campaign (bench/crash-campaign runs 200 kills, tests/reliability 20): a recorder
// (recorder.h) writing 8 streams is SIGKILLed at random moments, over and over, into one FS that
// wraps many times; after each kill the FS is reopened and everything read back (verify.h).
// With power_cut, every kill is also a power cut: the recorder writes through the
// storage-journal backend, and before the reopen the FS files are rolled back to their last
// fdatasync (journal.h).
//
// A quarter of the kills are not checked: the next recorder's own open recovers what they left
// and is killed young itself (in its recovery, or soon after), as in a restart loop; the check
// after that holds both recorders' accepted frames.
//
// What must hold after every check:
//   crash:     every accepted frame (recorder.h) still on disk, unless the FS wrapped over it;
//   power cut: every frame accepted before the last sync the journal plugin reported;
//              frames accepted after it may be lost (counted: the loss bounded by the sync
//              interval), but only from the end: what is left is a whole prefix;
//   both:      no record served that is not exactly what was written, every block the table
//              names reads in full, and fsck is clean (power cut: after `fsck --repair`).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace campaign {

struct Config {
  std::string dir;  // the FS to create (must not exist yet)
  uint32_t kills = 20;
  uint64_t seed = 1;
  uint32_t block_size = 65536;
  uint32_t n_blocks = 16;  // 1 MiB: wraps every few kills
  bool power_cut = false;
  std::string journal_plugin;  // the storage-journal plugin file (power_cut)
  uint32_t min_frames = 20;    // accepted frames a recorder reports before its kill is armed
  uint32_t max_frames = 1500;
  uint32_t round_timeout_ms = 30000;  // a recorder reporting nothing this long is a failure
  bool chain = true;  // now and then leave a kill unchecked and kill the next recorder young
  std::function<void(const std::string &)> progress;  // one line per kill, or empty
  // When set: the FS as each kill left it (journals included, before any rollback) is copied
  // to EVIDENCE/kill-K, and the campaign stops at the first kill that finds a problem.
  std::string evidence_dir;
};

struct Result {
  uint32_t kills = 0;
  uint64_t accepted = 0;           // frames the recorders reported accepted
  uint64_t frames_checked = 0;     // encoded frames read back and compared, over all reopens
  uint64_t accepted_lost = 0;      // must be 0 (power cut: of those accepted before the last sync)
  uint64_t unsynced_lost = 0;      // power cut: accepted after the last sync, lost with it
  uint64_t max_unsynced_lost = 0;  // the most of those in one power cut
  uint64_t corrupt = 0;            // records served that are not what was written: must be 0
  uint64_t bad_records = 0;        // damaged records reads skipped
  uint32_t recovered_rounds = 0;   // reopens where recovery found records the table lacked
  uint32_t fsck_dirty = 0;         // reopens after which fsck found problems
  uint32_t fsck_unrepaired = 0;    // power cut: still not clean after fsck --repair: must be 0
  uint64_t writes_undone = 0;      // power cut: writes rolled back
  uint64_t syncs = 0;              // power cut: syncs the journal plugin reported
  // Power cut, wall-clock figures (reported, never asserted on): the longest stretch between a
  // cut and the last sync before it (or the recorder's start), and how far that went beyond the
  // recorder's sync interval (a sync takes time, and comes after the frame that is due).
  double max_unsynced_ms = 0;
  double max_unsynced_over_interval = 0;
  uint64_t wraps = 0;  // times the FS went round (blocks started / n_blocks)
  double seconds = 0;
  std::vector<std::string> problems;  // the first few, each "kill K: ..."
};

Result run(const Config &config);

// One line of figures, for logs and the bench.
std::string summary(const Result &r);

}  // namespace campaign
