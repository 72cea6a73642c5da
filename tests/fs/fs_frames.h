/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Deterministic frames of the ValkkaFS tests, without GoogleTest: the writer programs the tests
// start (follow_writer.cpp) make the same frames the tests check.
#pragma once

#include <cstdint>
#include <vector>

#include <valkka/valkka.h>

namespace fstest {

// Payload bytes that tell which frame they belong to, so a wrong or damaged payload shows.
inline std::vector<uint8_t> payload(uint32_t stream, uint64_t index, uint32_t size) {
  std::vector<uint8_t> p(size);
  uint64_t x = (uint64_t)stream * 0x9E3779B97F4A7C15ull ^ (index + 1) * 0xBF58476D1CE4E5B9ull;
  for (uint32_t i = 0; i < size; i++) {
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    p[i] = (uint8_t)(x >> 56);
  }
  return p;
}

inline valkka_frame_t frame_of(uint32_t kind, int64_t mstime, bool keyframe,
                               std::vector<uint8_t> &data, uint32_t slot = 0) {
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.kind = kind;
  f.slot = slot;
  f.codec = VALKKA_CODEC_H264;
  f.flags = keyframe ? VALKKA_FRAME_KEYFRAME : 0;
  f.mstime = mstime;
  f.data = data.data();
  f.size = (uint32_t)data.size();
  f.capacity = f.size;
  return f;
}

}  // namespace fstest
