/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "range_builder.h"

#include <algorithm>
#include <set>

std::map<uint32_t, std::vector<TimeRange>> buildRanges(const std::vector<valkka_fs_block_t> &table,
                                                       int64_t joinMs) {
  std::set<uint32_t> named;
  for (const valkka_fs_block_t &b : table)
    if (!(b.flags & VALKKA_FS_BLOCK_VOID) && b.max_ms > 0)
      for (uint32_t i = 0; i < b.n_streams && i < VALKKA_FS_BLOCK_STREAMS; i++)
        named.insert(b.stream_ids[i]);

  std::map<uint32_t, std::vector<TimeRange>> raw;
  for (const valkka_fs_block_t &b : table) {
    if ((b.flags & VALKKA_FS_BLOCK_VOID) || b.max_ms <= 0) continue;
    const TimeRange r{b.min_ms, b.max_ms};
    if (b.flags & VALKKA_FS_BLOCK_OVERFLOW) {
      for (uint32_t id : named) raw[id].push_back(r);
    } else {
      for (uint32_t i = 0; i < b.n_streams && i < VALKKA_FS_BLOCK_STREAMS; i++)
        raw[b.stream_ids[i]].push_back(r);
    }
  }

  std::map<uint32_t, std::vector<TimeRange>> out;
  for (auto &[id, ranges] : raw) {
    std::sort(ranges.begin(), ranges.end(),
              [](const TimeRange &a, const TimeRange &b) { return a.start < b.start; });
    std::vector<TimeRange> &merged = out[id];
    for (const TimeRange &r : ranges) {
      if (!merged.empty() && r.start <= merged.back().end + joinMs)
        merged.back().end = std::max(merged.back().end, r.end);
      else
        merged.push_back(r);
    }
  }
  return out;
}
