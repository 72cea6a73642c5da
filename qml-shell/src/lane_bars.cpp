/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lane_bars.h"

#include <algorithm>

std::vector<LaneBar> laneBars(const std::vector<TimeRange> &ranges, double viewStart, double span,
                              double trackWidth) {
  std::vector<LaneBar> bars;
  if (span <= 0 || trackWidth <= 0) return bars;
  const double viewEnd = viewStart + span;
  // Ends grow with starts (no overlaps): the first range in sight by a binary search, so a pan
  // or a zoom costs the ranges in view, not the day's.
  auto it = std::lower_bound(ranges.begin(), ranges.end(), viewStart,
                             [](const TimeRange &r, double t) { return r.end < t; });
  for (; it != ranges.end() && it->start <= viewEnd; ++it) {
    const double x0 = (static_cast<double>(it->start) - viewStart) / span * trackWidth;
    const double x1 = (static_cast<double>(it->end) - viewStart) / span * trackWidth;
    const double x = std::max(-1.0, x0);
    const double end = std::max(x + 1, std::min(trackWidth + 1, x1));
    if (!bars.empty() && x <= bars.back().x + bars.back().width) {
      bars.back().width = std::max(bars.back().width, end - bars.back().x);
      continue;
    }
    bars.push_back({x, end - x});
  }
  return bars;
}
