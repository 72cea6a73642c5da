// The soak's cameras: a short H.264 clip per camera, encoded once by source-synthetic (as the
// built-in cameras are) and replayed with fake timestamps, and what a correct decode of each of
// its frames looks like (the mean of its luma plane, from codec-ffmpeg decoding it in order).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <valkka/valkka.h>

namespace soak {

struct Clip {
  uint32_t codec = VALKKA_CODEC_H264;
  std::vector<uint8_t> config;
  std::vector<std::vector<uint8_t>> packets;
  std::vector<bool> key;
  std::vector<double> means;  // per packet; -1 where the decoder gave no picture
};

// Camera `camera`'s clip: `frames` frames, a keyframe every `gop` (frames a multiple of gop, so
// that replaying it in a loop restarts at a keyframe). False with *error set on failure.
bool make_clip(uint32_t camera, int gop, int frames, Clip *clip, std::string *error);

// Mean luma of a DECODED picture; -1 for anything else.
double mean_y(const valkka_frame_t &picture);

}  // namespace soak
