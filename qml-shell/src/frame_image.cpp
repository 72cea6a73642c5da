/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "frame_image.h"

#include <QVideoFrameFormat>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace {

// Y'CbCr to R'G'B' of one matrix and range, in 16.16 fixed point (a 1080p picture in a few ms).
struct Matrix {
  int32_t y, rv, gu, gv, bu;  // factors of (Y - yOffset) and of Cb, Cr about 128
  int yOffset;
};

Matrix matrixFor(QVideoFrameFormat::ColorSpace space, QVideoFrameFormat::ColorRange range) {
  // Qt's AdobeRgb is its full-range BT.601 (video_frame_copy.h); BT.709 by its name; else 601.
  const double kr = space == QVideoFrameFormat::ColorSpace_BT709 ? 0.2126 : 0.299;
  const double kb = space == QVideoFrameFormat::ColorSpace_BT709 ? 0.0722 : 0.114;
  const double kg = 1 - kr - kb;
  const bool full = range == QVideoFrameFormat::ColorRange_Full;
  const double ys = full ? 1.0 : 255.0 / 219.0;
  const double cs = full ? 1.0 : 255.0 / 224.0;
  const auto fixed = [](double v) { return static_cast<int32_t>(std::lround(v * 65536)); };
  return {fixed(ys),
          fixed(2 * (1 - kr) * cs),
          fixed(-2 * kb * (1 - kb) / kg * cs),
          fixed(-2 * kr * (1 - kr) / kg * cs),
          fixed(2 * (1 - kb) * cs),
          full ? 0 : 16};
}

inline uint8_t clamp8(int32_t fixed16) {
  return static_cast<uint8_t>(std::clamp((fixed16 + 32768) >> 16, 0, 255));
}

}  // namespace

QImage frameImage(const QVideoFrame &frame) {
  const QVideoFrameFormat::PixelFormat format = frame.pixelFormat();
  const bool planar = format == QVideoFrameFormat::Format_YUV420P ||
                      format == QVideoFrameFormat::Format_YV12;
  const bool semi = format == QVideoFrameFormat::Format_NV12 ||
                    format == QVideoFrameFormat::Format_NV21;
  if ((!planar && !semi) || frame.size().isEmpty()) return {};
  QVideoFrame mapped = frame;
  if (!mapped.map(QVideoFrame::ReadOnly)) return {};
  const int width = mapped.width(), height = mapped.height();
  QImage image(width, height, QImage::Format_RGB32);
  const QVideoFrameFormat surface = mapped.surfaceFormat();
  const Matrix m = matrixFor(surface.colorSpace(), surface.colorRange());
  // Where U and V are: planes 1 and 2 (YV12: 2 and 1), or interleaved in plane 1 (NV21: V first).
  const bool vFirst = format == QVideoFrameFormat::Format_YV12 ||
                      format == QVideoFrameFormat::Format_NV21;
  const uint8_t *yPlane = mapped.bits(0);
  const int yStride = mapped.bytesPerLine(0);
  const uint8_t *uPlane = mapped.bits(planar ? (vFirst ? 2 : 1) : 1);
  const uint8_t *vPlane = mapped.bits(planar ? (vFirst ? 1 : 2) : 1);
  const int uStride = mapped.bytesPerLine(planar ? (vFirst ? 2 : 1) : 1);
  const int vStride = mapped.bytesPerLine(planar ? (vFirst ? 1 : 2) : 1);
  // A chroma sample's step along a row, and the offset of U and V in an interleaved pair.
  const int step = planar ? 1 : 2;
  const int uOff = semi && vFirst ? 1 : 0, vOff = semi ? (vFirst ? 0 : 1) : 0;
  for (int row = 0; row < height; row++) {
    const uint8_t *ys = yPlane + static_cast<ptrdiff_t>(row) * yStride;
    const uint8_t *us = uPlane + static_cast<ptrdiff_t>(row / 2) * uStride + uOff;
    const uint8_t *vs = vPlane + static_cast<ptrdiff_t>(row / 2) * vStride + vOff;
    auto *out = reinterpret_cast<QRgb *>(image.scanLine(row));
    for (int x = 0; x < width; x++) {
      const int32_t y = (ys[x] - m.yOffset) * m.y;
      const int32_t u = us[(x / 2) * step] - 128, v = vs[(x / 2) * step] - 128;
      out[x] = qRgb(clamp8(y + m.rv * v), clamp8(y + m.gu * u + m.gv * v), clamp8(y + m.bu * u));
    }
  }
  mapped.unmap();
  return image;
}
