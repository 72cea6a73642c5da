/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "picture_scaler.h"

#include <QVideoFrameFormat>

#include <algorithm>
#include <cmath>
#include <cstdlib>

extern "C" {
#include <libswscale/swscale.h>
}

#include "video_frame_copy.h"

PictureScaler::~PictureScaler() { sws_freeContext(context_); }

namespace {

// Qt 6.4 lays a YUV420P QVideoFrame's chroma rows out at a stride its OpenGL upload misreads
// (not a multiple of 4: a slanted, smeared picture) unless the width is a multiple of 16 and the
// height of 4 (checked for every even size up to 1920x1080: picture_scaler_test.cpp).
bool qtDrawsRight(QSize s) { return s.width() % 16 == 0 && s.height() % 4 == 0; }

// The size Qt draws right `w` wide of the shape `aspect` within 1 %, or an empty one.
QSize shapedAt(int w, double aspect) {
  const int h = 4 * static_cast<int>(std::lround(w / aspect / 4));
  if (h < 4 || std::abs(static_cast<double>(w) / h / aspect - 1) > 0.01) return {};
  return QSize(w, h);
}

int next16(double w) { return 16 * static_cast<int>(std::ceil(w / 16 - 1e-9)); }

}  // namespace

QSize PictureScaler::drawnSize(uint32_t width, uint32_t height, QSize area) {
  const QSize whole(static_cast<int>(width), static_cast<int>(height));
  if (width == 0 || height == 0) return whole;
  const double aspect = static_cast<double>(width) / height;
  // The smallest size Qt draws right at least as wide as the fit, drawn a little down by Qt;
  // none below the picture's own size: the picture.
  if (area.width() > 0 && area.height() > 0) {
    const double fit = std::min(static_cast<double>(area.width()), area.height() * aspect);
    for (int w = next16(fit); w < whole.width(); w += 16) {
      const QSize s = shapedAt(w, aspect);
      if (!s.isEmpty() && s.height() < whole.height()) return s;
    }
  }
  if (qtDrawsRight(whole)) return whole;
  // A picture whose own size Qt misdraws (854x480, 800x450): the next size up that it draws
  // right, a few pixels more.
  for (int w = next16(whole.width()); w <= whole.width() + 64; w += 16) {
    const QSize s = shapedAt(w, aspect);
    if (!s.isEmpty() && s.height() >= whole.height()) return s;
  }
  return whole;
}

QVideoFrame PictureScaler::scaled(const valkka_frame_t *frame, QSize area) {
  const QVideoFrameFormat source = videoFrameFormat(frame);
  if (!source.isValid()) return {};
  const QSize size = drawnSize(frame->width, frame->height, area);
  if (size == QSize(static_cast<int>(frame->width), static_cast<int>(frame->height)))
    return copyToVideoFrame(frame);

  // The planar format of the same range convention (video_frame_copy.cpp): YV12 for full range.
  const bool full = source.colorRange() == QVideoFrameFormat::ColorRange_Full;
  QVideoFrameFormat format(size, full ? QVideoFrameFormat::Format_YV12
                                      : QVideoFrameFormat::Format_YUV420P);
  format.setColorRange(source.colorRange());
  format.setColorSpace(source.colorSpace());
  QVideoFrame out(format);
  if (!out.map(QVideoFrame::WriteOnly)) return {};
  // YV12 has V before U: swscale writes U into Qt's plane 2 and V into its plane 1.
  const int u = full ? 2 : 1, v = full ? 1 : 2;
  uint8_t *const to[4] = {out.bits(0), out.bits(u), out.bits(v), nullptr};
  const int toStrides[4] = {out.bytesPerLine(0), out.bytesPerLine(u), out.bytesPerLine(v), 0};
  const uint8_t *const from[4] = {frame->planes[0], frame->planes[1],
                                  frame->pixfmt == VALKKA_PIXFMT_NV12 ? nullptr : frame->planes[2],
                                  nullptr};
  const int fromStrides[4] = {frame->strides[0], frame->strides[1],
                              frame->pixfmt == VALKKA_PIXFMT_NV12 ? 0 : frame->strides[2], 0};
  const AVPixelFormat in = frame->pixfmt == VALKKA_PIXFMT_NV12 ? AV_PIX_FMT_NV12
                                                               : AV_PIX_FMT_YUV420P;
  int rows = 0;
  {
    std::lock_guard<std::mutex> guard(lock_);
    // Same range in and out (swscale's default for both): the values are scaled, not converted.
    context_ = sws_getCachedContext(context_, static_cast<int>(frame->width),
                                    static_cast<int>(frame->height), in, size.width(),
                                    size.height(), AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr,
                                    nullptr, nullptr);
    if (context_)
      rows =
          sws_scale(context_, from, fromStrides, 0, static_cast<int>(frame->height), to, toStrides);
  }
  out.unmap();
  if (rows != size.height()) return {};
  out.setStartTime(frame->mstime * 1000);
  return out;
}
