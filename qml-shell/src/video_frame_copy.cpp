#include "video_frame_copy.h"

#include <QVideoFrameFormat>

#include <algorithm>
#include <cstring>

namespace {

void copyPlane(const uint8_t *src, int srcStride, uint8_t *dst, int dstStride, int rowBytes,
               int rows) {
  const int n = std::min({rowBytes, srcStride, dstStride});
  for (int y = 0; y < rows; y++)
    std::memcpy(dst + static_cast<ptrdiff_t>(y) * dstStride,
                src + static_cast<ptrdiff_t>(y) * srcStride, static_cast<size_t>(n));
}

}  // namespace

QVideoFrame copyToVideoFrame(const valkka_frame_t *f) {
  if (!f || f->kind != VALKKA_FRAME_DECODED || f->width == 0 || f->height == 0) return {};
  QVideoFrameFormat::PixelFormat format;
  int planes;
  if (f->pixfmt == VALKKA_PIXFMT_YUV420P) {
    format = QVideoFrameFormat::Format_YUV420P;
    planes = 3;
  } else if (f->pixfmt == VALKKA_PIXFMT_NV12) {
    format = QVideoFrameFormat::Format_NV12;
    planes = 2;
  } else {
    return {};
  }
  if (f->n_planes < static_cast<uint32_t>(planes)) return {};

  const int w = static_cast<int>(f->width), h = static_cast<int>(f->height);
  const int cw = (w + 1) / 2, ch = (h + 1) / 2;
  QVideoFrame out(QVideoFrameFormat(QSize(w, h), format));
  if (!out.map(QVideoFrame::WriteOnly)) return {};
  copyPlane(f->planes[0], f->strides[0], out.bits(0), out.bytesPerLine(0), w, h);
  if (planes == 3) {
    copyPlane(f->planes[1], f->strides[1], out.bits(1), out.bytesPerLine(1), cw, ch);
    copyPlane(f->planes[2], f->strides[2], out.bits(2), out.bytesPerLine(2), cw, ch);
  } else {
    copyPlane(f->planes[1], f->strides[1], out.bits(1), out.bytesPerLine(1), 2 * cw, ch);
  }
  out.unmap();
  out.setStartTime(f->mstime * 1000);
  return out;
}
