/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The bars a timeline lane draws for its recorded ranges in the view: one for each range in
// sight, at least a pixel wide, and ranges whose bars would overlap on screen drawn as one bar,
// so a lane never draws more bars than it has pixels, however many ranges a day holds.
#pragma once

#include <vector>

#include "range_builder.h"

struct LaneBar {
  double x;  // pixels from the track's left edge (-1 when the range begins before the view)
  double width;
};

// `ranges`: oldest first, none overlapping (as recordedRanges gives them). The view shows
// viewStart .. viewStart + span (ms) over `trackWidth` pixels.
std::vector<LaneBar> laneBars(const std::vector<TimeRange> &ranges, double viewStart, double span,
                              double trackWidth);
