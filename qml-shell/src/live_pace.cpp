/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "live_pace.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr int64_t kGapMs = 1000;
// Each new interval moves the estimate by a sixteenth: a camera's jitter averages out, a change
// of its rate shows within a second or two.
constexpr double kWeight = 1.0 / 16;
constexpr double kSpare = 0.9;
}  // namespace

void FrameInterval::add(int64_t mstime) {
  const int64_t step = mstime - last_;
  const bool counts = last_ != 0 && step > 0 && step < kGapMs;
  if (last_ == 0 || step > 0) last_ = mstime;
  if (!counts) return;
  ms_ = ms_ == 0 ? static_cast<double>(step) : ms_ + (static_cast<double>(step) - ms_) * kWeight;
}

int beatMs(const std::vector<double> &cameraIntervalsMs, double displayHz) {
  const double display = 1000.0 / (displayHz >= 24 && displayHz <= 240 ? displayHz : 60.0);
  double fastest = 0;
  for (double ms : cameraIntervalsMs)
    if (ms > 0 && (fastest == 0 || ms < fastest)) fastest = ms;
  if (fastest == 0) return static_cast<int>(std::lround(display));
  const double beat = std::clamp(fastest * kSpare, display, static_cast<double>(kLongestBeatMs));
  return static_cast<int>(std::lround(beat));
}
