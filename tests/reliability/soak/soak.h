/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The month soak (bench/soak runs 30 simulated days; tests/reliability a few wraps): a recorder
// with a fake fast clock feeds 8 cameras through the playback manager's input filter (the FS's
// writer thread) into a small MultiFS, as fast as the writer takes them, so the FS wraps over
// and over; meanwhile a viewer (reader.h) seeks and plays at random through the same manager.
// After every wrap the feed pauses, the writer drains, and the whole FS is checked
// (invariants.h); resident memory and open descriptors are sampled there.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "probe.h"
#include "reader.h"

namespace soak {

struct Config {
  std::string dir;           // the FS to create (must not exist yet)
  double days = 30;          // simulated time to record
  uint32_t max_wraps = 0;    // or stop after this many wraps (0: no limit)
  uint64_t check_every = 0;  // also check after every this many frames (0: at wraps only)
  uint32_t cameras = 8;
  uint32_t interval_ms = 1000;  // fake time between two frames of a camera
  uint32_t block_size = 65536;
  uint32_t n_blocks = 256;
  uint64_t seed = 1;
  bool viewer = true;            // run the reader thread
  uint32_t follow_percent = 25;  // the viewer's seeks that go to the newest frame and play on
  uint32_t oldest_percent = 25;  // ... that go to the oldest data (overwritten while it plays)
  uint32_t seeks_per_wrap = 3;   // seeks the viewer completes after each check before the feed
                                 // goes on
  std::function<void(const std::string &)> progress;  // a line per check, or empty
};

struct Result {
  uint64_t frames = 0;  // encoded frames written
  uint64_t bytes = 0;   // their payload bytes
  double simulated_days = 0;
  uint64_t wraps = 0;
  uint64_t checks = 0;
  uint64_t blocks_read = 0;  // by the checks
  uint64_t records_checked = 0;
  uint64_t corrupt = 0;  // records that are not what was written: must be 0
  uint64_t index_queries = 0;
  int64_t span_ms = 0;      // the time range the FS held at the last check
  uint64_t queue_full = 0;  // the writer's queue was full and the feed waited
  ReaderStats reader;
  Sample start, end, peak;  // start: after the first check and the viewer's turn after it
                            // (FS full, decoders and cache warm); peak: the most
  double seconds = 0;
  std::vector<std::string> problems;
};

Result run(const Config &config);
std::string summary(const Result &r);

}  // namespace soak
