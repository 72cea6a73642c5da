/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The full-size copy of each picture a tile is handed, kept for a snapshot (and the test
// control's frame-image) while the tile draws a copy scaled to its size (picture_scaler.h).
// The copies go into buffers a pool hands out again once the picture is no longer shown or
// waiting: some 400 pictures a second on a 16-camera wall, each as large as 1.4 MB, would
// otherwise each be a fresh allocation (above glibc's mmap threshold: a map, its page faults and
// an unmap) on the core's thread and a free on Qt's.
#pragma once

#include <QVideoFrame>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <valkka/frame.h>

// A decoded YUV420P or NV12 picture's planes and what videoFrameFormat needs of its frame.
class KeptPicture {
 public:
  // A new QVideoFrame of the picture (copyToVideoFrame of it); invalid for an empty one.
  // Any thread.
  QVideoFrame toVideoFrame() const;

 private:
  friend class PicturePool;
  valkka_frame_t frame_{};  // planes point into bytes_
  std::vector<uint8_t> bytes_;
};

// Hands out kept copies; shared by one feed's threads. A copy given back (its last reference
// dropped) is reused for a later picture; at most kSpare wait for reuse, the rest are freed. Thread
// safe; the copies may outlive the pool.
class PicturePool : public std::enable_shared_from_this<PicturePool> {
 public:
  // The copies one tile has at once: a picture shown, two waiting for the beat, one a snapshot
  // converts.
  static constexpr size_t kSpare = 4;

  // A copy of a DECODED YUV420P or NV12 frame (rows packed: stride = row bytes); null for any
  // other frame. Any thread.
  std::shared_ptr<const KeptPicture> keep(const valkka_frame_t *frame);
  // Copies allocated, ever (reuse keeps it at what is in use at once). Any thread.
  uint64_t allocated() const;

 private:
  void giveBack(KeptPicture *picture);

  mutable std::mutex lock_;
  std::vector<std::unique_ptr<KeptPicture>> spare_;
  uint64_t allocated_ = 0;
};
