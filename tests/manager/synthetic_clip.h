/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Synthetic cameras' clips for the tests that record and play them (tests/manager, the soak of
// tests/reliability): a clip encoded once by source-synthetic (realtime=0) or read from a file by
// source-file, the frames that carry it, and what a correct decode of each of its frames looks
// like (the mean of its luma plane, a hash of all its planes).
// No GoogleTest here: bench/soak runs the soak without it; failures come back as text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <valkka/valkka.h>

namespace clip_test {

// One synthetic camera's clip: its configuration and encoded frames (replayed in a loop).
struct Clip {
  uint32_t codec = VALKKA_CODEC_H264;
  std::vector<uint8_t> config;
  std::vector<std::vector<uint8_t>> packets;
  std::vector<bool> key;
};

// Encodes camera `camera`'s clip: `frames` frames of width x height with a keyframe every `gop`.
// Loads the plugins. False with *error set when the plugin is missing or a read fails.
bool encode(uint32_t camera, int gop, int frames, int width, int height, const char *codec,
            Clip *clip, std::string *error);

// Reads the video file `path` (any container source-file opens) once through, as fast as it
// reads (realtime=0, loop=0): its configuration and every frame. False with *error set when the
// plugin is missing, the file does not open or a read fails.
bool read_file(const std::string &path, Clip *clip, std::string *error);

// A frame that points into `data` (no copy; valid while `data` is).
valkka_frame_t view(uint32_t kind, uint32_t codec, bool key, int64_t mstime,
                    const std::vector<uint8_t> &data);

// Mean luma of a DECODED picture; -1 for anything else.
double mean_y(const valkka_frame_t &picture);

// FNV-1a over every plane of a DECODED picture, row by row (padding left out): equal hashes are
// the same picture. 0 for anything else.
uint64_t picture_hash(const valkka_frame_t &picture);

// Decodes the clip in order with codec-ffmpeg (one thread), the frame index carried as mstime:
// `means` gets each packet's picture mean, -1 where the decoder gave none. False with *error set
// when the decoder cannot be opened or takes a frame with an error (means filled all the same).
bool reference_means(const Clip &clip, std::vector<double> *means, std::string *error);
// As reference_means, with each packet's picture_hash (0 where the decoder gave none).
bool reference_hashes(const Clip &clip, std::vector<uint64_t> *hashes, std::string *error);

}  // namespace clip_test
