/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kept_picture.h"

#include <algorithm>
#include <cstring>

#include "video_frame_copy.h"

QVideoFrame KeptPicture::toVideoFrame() const {
  return bytes_.empty() ? QVideoFrame() : copyToVideoFrame(&frame_);
}

std::shared_ptr<const KeptPicture> PicturePool::keep(const valkka_frame_t *frame) {
  if (!videoFrameFormat(frame).isValid()) return nullptr;
  const bool nv12 = frame->pixfmt == VALKKA_PIXFMT_NV12;
  const uint32_t planes = nv12 ? 2 : 3;
  const int w = static_cast<int>(frame->width), h = static_cast<int>(frame->height);
  const int cw = (w + 1) / 2, ch = (h + 1) / 2;
  const int rowBytes[3] = {w, nv12 ? 2 * cw : cw, cw};
  const int rows[3] = {h, ch, ch};
  size_t size = 0;
  for (uint32_t p = 0; p < planes; p++) size += static_cast<size_t>(rowBytes[p]) * rows[p];

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
  kept.n_planes = planes;
  uint8_t *to = picture->bytes_.data();
  for (uint32_t p = 0; p < planes; p++) {
    const int n = std::min(rowBytes[p], frame->strides[p]);
    for (int y = 0; y < rows[p]; y++)
      std::memcpy(to + static_cast<ptrdiff_t>(y) * rowBytes[p],
                  frame->planes[p] + static_cast<ptrdiff_t>(y) * frame->strides[p],
                  static_cast<size_t>(n));
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
