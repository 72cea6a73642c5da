/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The campaign's frames: frame g (g = 0, 1, 2, ... in the order the recorder sinks them) belongs
// to stream 1 + g % 8, has mstime kT0 + g and a payload computed from (stream, g), so a checker
// that reads any record back knows exactly what it must hold. Every 25th frame of a stream is a
// keyframe, sunk right after a CONFIG frame of its stream with the same mstime.
#pragma once

#include <cstdint>
#include <vector>

#include "fs_frames.h"

namespace campaign {

constexpr uint32_t kStreams = 8;
constexpr int64_t kT0 = 1750000000000;  // an arbitrary epoch-ms start
constexpr uint32_t kGop = 25;

inline uint32_t stream_of(uint64_t g) { return 1 + (uint32_t)(g % kStreams); }
inline int64_t time_of(uint64_t g) { return kT0 + (int64_t)g; }
inline bool is_key(uint64_t g) { return (g / kStreams) % kGop == 0; }
// 200 .. 3199 bytes, keyframes 4000 more: 20 to 60 records fill a 64 KiB block.
inline uint32_t size_of(uint64_t g) {
  return 200 + (uint32_t)((g * 7919) % 3000) + (is_key(g) ? 4000 : 0);
}

// Bytes that differ for every (stream, index), the FS tests' own: a wrong, stale or damaged
// payload shows.
inline std::vector<uint8_t> bytes(uint32_t stream, uint64_t index, uint32_t size) {
  return fstest::payload(stream, index, size);
}

inline std::vector<uint8_t> payload_of(uint64_t g) { return bytes(stream_of(g), g, size_of(g)); }
// A stream's codec configuration: the same bytes every time, unlike any frame's.
inline std::vector<uint8_t> config_of(uint32_t stream) { return bytes(stream, UINT64_MAX - 1, 40); }

}  // namespace campaign
