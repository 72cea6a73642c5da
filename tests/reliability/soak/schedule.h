/* SPDX-License-Identifier: LGPL-2.1-or-later */
// When the soak's cameras deliver frames, on the fake clock: camera c's frame k has mstime
// t0 + k * interval_ms + c * (interval_ms / cameras), so no two frames share a time and every
// record tells which frame it is. Frame k replays clip packet k % n, so each camera's recording
// is its clip over and over, a keyframe at every clip loop.
#pragma once

#include <cstdint>

namespace soak {

struct Schedule {
  int64_t t0 = 1760000000000;  // an arbitrary epoch-ms start
  uint32_t cameras = 8;
  uint32_t interval_ms = 1000;

  int64_t offset(uint32_t camera) const { return (int64_t)camera * (interval_ms / cameras); }
  int64_t time_of(uint32_t camera, uint64_t k) const {
    return t0 + (int64_t)k * interval_ms + offset(camera);
  }
  // The frame of on-disk stream `stream_id` (camera + 1) at `t`; false when no frame is there.
  bool frame_at(uint32_t stream_id, int64_t t, uint64_t *k) const {
    if (stream_id < 1 || stream_id > cameras) return false;
    const int64_t d = t - t0 - offset(stream_id - 1);
    if (d < 0 || d % interval_ms) return false;
    *k = (uint64_t)(d / interval_ms);
    return true;
  }
};

}  // namespace soak
