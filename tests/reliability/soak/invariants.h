/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The soak's check after every wrap, with the writer drained (every frame given to it written):
// through the public API only, the whole FS read and held against what was fed.
//   - the table never claims overwritten data: every block it names reads in full, each record
//     exactly what was written for its stream and time, within its entry's time range;
//   - write order is time order: sequence numbers consecutive, each block's times at or after
//     the previous block's, each stream's frames consecutive up to the newest one fed;
//   - the time range is the records' and moves forward from one check to the next;
//   - index search (getInd, getIndNeigh) agrees with the brute-force oracle of tests/fs/oracle.h
//     built from the records read, at random times.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <valkka/valkka.h>

#include "clips.h"
#include "schedule.h"

namespace soak {

struct CheckCarry {
  int64_t first_ms = 0, last_ms = 0;  // of the previous check
};

struct CheckResult {
  uint64_t blocks_read = 0;
  uint64_t records = 0;
  uint64_t corrupt = 0;  // records that are not what was written
  uint64_t index_queries = 0;
  int64_t first_ms = 0, last_ms = 0;
  std::vector<std::string> problems;
};

// `fed[c]`: frames of camera c written so far (frames 0 .. fed[c] - 1).
CheckResult check_fs(valkka_fs_t *fs, const Schedule &schedule, const std::vector<Clip> &clips,
                     const std::vector<uint64_t> &fed, std::mt19937_64 *rng, CheckCarry *carry);

}  // namespace soak
