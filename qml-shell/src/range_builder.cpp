/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "range_builder.h"

#include <limits>

std::vector<TimeRange> recordedRanges(valkka_fs_t *fs, uint32_t streamId) {
  constexpr int64_t kAll[2] = {std::numeric_limits<int64_t>::min(),
                               std::numeric_limits<int64_t>::max()};
  // A guess of the count first: the second call is needed only when the ranges outgrew it.
  std::vector<valkka_fs_range_t> got(64);
  for (int round = 0; round < 3; round++) {
    got[0].struct_size = sizeof(valkka_fs_range_t);
    const int n = valkka_fs_get_ranges(fs, streamId, kAll[0], kAll[1], got.data(),
                                       static_cast<uint32_t>(got.size()));
    if (n < 0) return {};
    if (static_cast<size_t>(n) <= got.size()) {
      std::vector<TimeRange> out;
      out.reserve(static_cast<size_t>(n));
      for (int i = 0; i < n; i++) out.push_back({got[i].first_ms, got[i].last_ms});
      return out;
    }
    got.resize(static_cast<size_t>(n) + 16);  // a writer may add ranges between the calls
  }
  return {};
}
