/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera's recorded time ranges, as its FS keeps them (valkka_fs_get_ranges).
#pragma once

#include <cstdint>
#include <vector>

#include <valkka/fs.h>

struct TimeRange {
  int64_t start;
  int64_t end;
  bool operator==(const TimeRange &o) const { return start == o.start && end == o.end; }
};

// The ranges `fs` recorded of stream `streamId`, oldest first: a gap of the camera longer than
// twice its frame interval or 1 s parts two ranges, inside a block as between blocks. They come
// from the FS's block table and ranges index in memory, so a lane costs no block read.
std::vector<TimeRange> recordedRanges(valkka_fs_t *fs, uint32_t streamId);
