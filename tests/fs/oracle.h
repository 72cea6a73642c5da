/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A brute-force oracle for ValkkaFS index search, written from the definitions in
// core-c/src/fs/FORMAT.md ("Index search") over plain lists of frames: no table entries, no
// cleverness. Used on random tables (white box) and on real FS files (through the public API).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace oracle {

struct Frame {
  uint32_t stream;
  int64_t t;
  bool keyframe;  // an ENCODED keyframe (CONFIG records are frames with keyframe = false)
};

struct Block {
  bool is_void = true;
  std::vector<Frame> frames;  // in write order
};

// Position in write order: 0 = the block after `head` (oldest), n-1 = head.
inline int64_t position(uint32_t n, uint32_t head, uint32_t block) {
  return (int64_t)((block + n - head - 1) % n);
}

inline bool live(const Block &b) { return !b.is_void && !b.frames.empty(); }

// The run [lo, hi] in positions, or false when nothing qualifies.
inline bool run(const std::vector<Block> &blocks, uint32_t head, int64_t t0, int64_t t1,
                int64_t *lo, int64_t *hi) {
  const uint32_t n = (uint32_t)blocks.size();
  std::vector<int64_t> required;
  // Blocks whose [min, max] meets [t0, t1].
  for (uint32_t b = 0; b < n; b++) {
    if (!live(blocks[b])) continue;
    int64_t mn = INT64_MAX, mx = INT64_MIN;
    for (const Frame &f : blocks[b].frames) mn = std::min(mn, f.t), mx = std::max(mx, f.t);
    if (mn <= t1 && mx >= t0) required.push_back(position(n, head, b));
  }
  // Every stream present at t0: the blocks holding its last keyframe at or before t0 and its frame
  // at t0 (its last frame at or before t0), when it has such a keyframe.
  std::vector<uint32_t> streams;
  for (const Block &b : blocks)
    if (live(b))
      for (const Frame &f : b.frames)
        if (std::find(streams.begin(), streams.end(), f.stream) == streams.end())
          streams.push_back(f.stream);
  for (uint32_t s : streams) {
    int64_t first = INT64_MAX, last = INT64_MIN, best_t = INT64_MIN, best_pos = -1;
    int64_t at_t = INT64_MIN, at_pos = -1;
    for (uint32_t b = 0; b < n; b++) {
      if (!live(blocks[b])) continue;
      for (const Frame &f : blocks[b].frames) {
        if (f.stream != s) continue;
        first = std::min(first, f.t);
        last = std::max(last, f.t);
        if (f.t <= t0) {
          int64_t p = position(n, head, b);
          if (f.t > at_t || (f.t == at_t && p > at_pos)) at_t = f.t, at_pos = p;
        }
        if (f.keyframe && f.t <= t0) {
          int64_t p = position(n, head, b);
          // The last keyframe: the latest time; equal times: the later block.
          if (f.t > best_t || (f.t == best_t && p > best_pos)) best_t = f.t, best_pos = p;
        }
      }
    }
    if (first <= t0 && t0 <= last && best_pos >= 0) {
      required.push_back(best_pos);
      required.push_back(at_pos);
    }
  }
  if (required.empty()) return false;
  *lo = *std::min_element(required.begin(), required.end());
  *hi = *std::max_element(required.begin(), required.end());
  return true;
}

inline std::vector<uint32_t> emit(const std::vector<Block> &blocks, uint32_t head, int64_t lo,
                                  int64_t hi) {
  const uint32_t n = (uint32_t)blocks.size();
  std::vector<uint32_t> out;
  for (int64_t p = lo; p <= hi; p++) {
    uint32_t b = (uint32_t)((head + 1 + p) % n);
    if (live(blocks[b])) out.push_back(b);
  }
  return out;
}

inline std::vector<uint32_t> get_ind(const std::vector<Block> &blocks, uint32_t head, int64_t t0,
                                     int64_t t1) {
  int64_t lo, hi;
  if (t1 < t0 || !run(blocks, head, t0, t1, &lo, &hi)) return {};
  return emit(blocks, head, lo, hi);
}

inline std::vector<uint32_t> get_ind_neigh(const std::vector<Block> &blocks, uint32_t head,
                                           int64_t t, uint32_t k) {
  int64_t lo, hi;
  if (!run(blocks, head, t, t, &lo, &hi)) return {};
  const uint32_t n = (uint32_t)blocks.size();
  for (int64_t p = hi + 1; p < n && k > 0; p++) {
    if (!live(blocks[(head + 1 + p) % n])) continue;
    hi = p;
    k--;
  }
  return emit(blocks, head, lo, hi);
}

inline std::pair<int64_t, int64_t> time_range(const std::vector<Block> &blocks) {
  int64_t lo = 0, hi = 0;
  for (const Block &b : blocks)
    if (live(b))
      for (const Frame &f : b.frames) {
        if (!lo || f.t < lo) lo = f.t;
        if (f.t > hi) hi = f.t;
      }
  return {lo, hi};
}

}  // namespace oracle
