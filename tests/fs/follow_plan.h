/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The frames of the follow test (follow_test.cpp) and of the writer it starts (follow_writer.cpp):
// frame `seq` has a time, a size and a stream that tell it apart.
#pragma once

#include <cstdint>

namespace fstest {

constexpr int64_t kFollowT0 = 1700000000000;

inline uint32_t follow_size_of(uint64_t seq) { return 300 + (uint32_t)((seq * 7919) % 1500); }
inline int64_t follow_time_of(uint64_t seq) { return kFollowT0 + 10 * (int64_t)seq; }
inline uint64_t follow_seq_of(int64_t mstime) { return (uint64_t)((mstime - kFollowT0) / 10); }
// Frames go to streams 1..streams in turn.
inline uint32_t follow_stream_of(uint64_t seq, uint32_t streams) {
  return 1 + (uint32_t)(seq % streams);
}

}  // namespace fstest
