/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kept_picture.h"

#include "video_frame_copy.h"

QVideoFrame KeptPicture::toVideoFrame() const {
  return bytes_.empty() ? QVideoFrame() : copyToVideoFrame(&frame_);
}

std::shared_ptr<const KeptPicture> PicturePool::keep(const valkka_frame_t *frame) {
  if (!videoFrameFormat(frame).isValid()) return nullptr;
  int rowBytes[3], rows[3];
  const int planes = picturePlanes(frame, rowBytes, rows);
  size_t size = 0;
  for (int p = 0; p < planes; p++) size += static_cast<size_t>(rowBytes[p]) * rows[p];

  std::unique_ptr<KeptPicture> picture;
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (!spare_.empty()) {
      picture = std::move(spare_.back());
      spare_.pop_back();
    } else {
      allocated_++;
    }
  }
  if (!picture) picture = std::make_unique<KeptPicture>();
  // The same size as the last time, for the same stream: no allocation.
  picture->bytes_.resize(size);
  valkka_frame_t &kept = picture->frame_;
  kept = *frame;
  kept.struct_size = sizeof kept;
  kept.n_planes = static_cast<uint32_t>(planes);
  uint8_t *to = picture->bytes_.data();
  for (int p = 0; p < planes; p++) {
    copyPlane(frame->planes[p], frame->strides[p], to, rowBytes[p], rowBytes[p], rows[p]);
    kept.planes[p] = to;
    kept.strides[p] = rowBytes[p];
    to += static_cast<size_t>(rowBytes[p]) * rows[p];
  }
  // The pool may be gone by the time the last reference drops: then the copy is freed.
  std::weak_ptr<PicturePool> pool = weak_from_this();
  return std::shared_ptr<const KeptPicture>(picture.release(), [pool](const KeptPicture *p) {
    auto *mine = const_cast<KeptPicture *>(p);
    if (const std::shared_ptr<PicturePool> alive = pool.lock())
      alive->giveBack(mine);
    else
      delete mine;
  });
}

void PicturePool::giveBack(KeptPicture *picture) {
  std::unique_ptr<KeptPicture> owned(picture);
  std::lock_guard<std::mutex> guard(lock_);
  if (spare_.size() < kSpare) spare_.push_back(std::move(owned));
}

uint64_t PicturePool::allocated() const {
  std::lock_guard<std::mutex> guard(lock_);
  return allocated_;
}
