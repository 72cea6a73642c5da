/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Recorded time ranges per stream, from an FS block table.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include <valkka/fs.h>

struct TimeRange {
  int64_t start;
  int64_t end;
  bool operator==(const TimeRange &o) const { return start == o.start && end == o.end; }
};

// For every stream id the table names: the time ranges of the non-void blocks holding it,
// sorted, with ranges less than `joinMs` apart joined (consecutive blocks of one recording are
// a few frame intervals apart; anything longer is a gap to show). A block is the finest grain the
// table knows: a stream's gap inside a block that other streams kept writing is not seen. An
// OVERFLOW block (more streams than it names) counts for every stream of the table, since any of
// them may be in it.
std::map<uint32_t, std::vector<TimeRange>> buildRanges(const std::vector<valkka_fs_block_t> &table,
                                                       int64_t joinMs);
