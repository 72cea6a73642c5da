/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The soak's cameras: a short H.264 clip per camera, encoded once by source-synthetic (as the
// built-in cameras are) and replayed with fake timestamps, and what a correct decode of each of
// its frames looks like (tests/manager/synthetic_clip.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "synthetic_clip.h"

namespace soak {

struct Clip : clip_test::Clip {
  std::vector<double> means;  // per packet; -1 where the decoder gave no picture
};

// Camera `camera`'s clip: `frames` frames of 192x108, a keyframe every `gop` (frames a multiple of
// gop, so that replaying it in a loop restarts at a keyframe). False with *error set on failure.
bool make_clip(uint32_t camera, int gop, int frames, Clip *clip, std::string *error);

using clip_test::mean_y;

}  // namespace soak
