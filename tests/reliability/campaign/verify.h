/* SPDX-License-Identifier: LGPL-2.1-or-later */
// After a kill: the FS opened as the next recorder would open it (recovery), every block of the
// table read through the public API, and every record compared with what the recorder wrote
// (frames.h). The FS holds the campaign's frames lo..hi, each exactly once, nothing else.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace campaign {

struct DiskCheck {
  bool opened = false;
  bool empty = true;         // no encoded frame on disk
  uint64_t lo = 0, hi = 0;   // the frames on disk, when not empty
  uint64_t frames = 0;       // encoded frames read and compared
  uint64_t corrupt = 0;      // records whose stream, time, kind or payload is not what was written
  uint64_t bad_records = 0;  // damaged records the reads skipped (valkka_fs_info_t.bad_records)
  uint32_t records_recovered = 0;
  uint32_t entries_rebuilt = 0;
  uint64_t seq = 0;  // write sequence number of the block being written
  uint32_t n_blocks = 0;
  std::vector<std::string> problems;
};

// Opens `dir` for writing (so recovery runs and stores what it found), reads and checks it all,
// closes it.
DiskCheck check_disk(const std::string &dir);

}  // namespace campaign
