/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "video_frame_copy.h"

#include <QVideoFrameFormat>

#include <algorithm>
#include <cstring>

void copyPlane(const uint8_t *src, int srcStride, uint8_t *dst, int dstStride, int rowBytes,
               int rows) {
  const int n = std::min({rowBytes, srcStride, dstStride});
  for (int y = 0; y < rows; y++)
    std::memcpy(dst + static_cast<ptrdiff_t>(y) * dstStride,
                src + static_cast<ptrdiff_t>(y) * srcStride, static_cast<size_t>(n));
}

int picturePlanes(const valkka_frame_t *f, int rowBytes[3], int rows[3]) {
  const bool nv12 = f->pixfmt == VALKKA_PIXFMT_NV12;
  const int w = static_cast<int>(f->width), h = static_cast<int>(f->height);
  const int cw = (w + 1) / 2, ch = (h + 1) / 2;
  rowBytes[0] = w, rowBytes[1] = nv12 ? 2 * cw : cw, rowBytes[2] = cw;
  rows[0] = h, rows[1] = rows[2] = ch;
  return nv12 ? 2 : 3;
}

namespace {

// Each U V pair of an interleaved chroma plane as V U (NV12 rows into NV21 ones).
void copySwappedPairs(const uint8_t *src, int srcStride, uint8_t *dst, int dstStride, int pairs,
                      int rows) {
  const int n = std::min({pairs, srcStride / 2, dstStride / 2});
  for (int y = 0; y < rows; y++) {
    const uint8_t *s = src + static_cast<ptrdiff_t>(y) * srcStride;
    uint8_t *d = dst + static_cast<ptrdiff_t>(y) * dstStride;
    for (int x = 0; x < n; x++) {
      d[2 * x] = s[2 * x + 1];
      d[2 * x + 1] = s[2 * x];
    }
  }
}

}  // namespace

QVideoFrameFormat::ColorRange videoColorRange(const valkka_frame_t *f) {
  // Not signalled (or a frame from before ABI 1.1): limited, as the header says.
  if (VALKKA_HAS_FIELD(f, valkka_frame_t, color_space) && f->color_range == VALKKA_COLOR_RANGE_FULL)
    return QVideoFrameFormat::ColorRange_Full;
  return QVideoFrameFormat::ColorRange_Video;
}

QVideoFrameFormat::ColorSpace videoColorSpace(const valkka_frame_t *f) {
  if (VALKKA_HAS_FIELD(f, valkka_frame_t, color_space)) {
    switch (f->color_space) {
      case VALKKA_COLOR_SPACE_BT601: return QVideoFrameFormat::ColorSpace_BT601;
      case VALKKA_COLOR_SPACE_BT709: return QVideoFrameFormat::ColorSpace_BT709;
      case VALKKA_COLOR_SPACE_BT2020: return QVideoFrameFormat::ColorSpace_BT2020;
      default: break;
    }
  }
  // Not signalled: BT.601 below 720 lines, else BT.709 (frame.h).
  return f->height < 720 ? QVideoFrameFormat::ColorSpace_BT601
                         : QVideoFrameFormat::ColorSpace_BT709;
}

// How Qt Quick draws a YUV frame shapes the format it is handed (Qt 6.4.2, measured through a
// VideoOutput under Xvfb's GL; the shader and matrix code is qtmultimedia's qsgvideonode.cpp and
// qvideotexturehelper.cpp):
// - One shader draws every VideoOutput of a window whose frames have the same pixel format, and
//   it keeps the colour range and space of the first frame it was made for (the material's type is
//   the pixel format alone). A full-range camera beside limited-range ones would be drawn with
//   whichever range came first. Full-range pictures therefore go to Qt in a pixel format of their
//   own, the same bytes in another order: YUV420P as YV12 (V plane before U), NV12 as NV21.
// - Qt's full-range matrices are wrong: BT.601 swaps the U and V gains (red +28 on a saturated
//   red, against ffmpeg's decode), BT.709 offsets red (a grey of 40 comes out with red 18),
//   BT.2020 takes 20 off that red's green. ColorSpace_AdobeRgb's matrix is JFIF's full-range
//   BT.601 (the old YCbCr_JPEG) and matches ffmpeg within 2: full-range pictures are drawn with
//   it. Full-range BT.709 and BT.2020 lose a little hue accuracy with it, never brightness.
QVideoFrameFormat videoFrameFormat(const valkka_frame_t *f) {
  if (!f || f->kind != VALKKA_FRAME_DECODED || f->width == 0 || f->height == 0) return {};
  const bool full = videoColorRange(f) == QVideoFrameFormat::ColorRange_Full;
  QVideoFrameFormat::PixelFormat format;
  if (f->pixfmt == VALKKA_PIXFMT_YUV420P && f->n_planes >= 3)
    format = full ? QVideoFrameFormat::Format_YV12 : QVideoFrameFormat::Format_YUV420P;
  else if (f->pixfmt == VALKKA_PIXFMT_NV12 && f->n_planes >= 2)
    format = full ? QVideoFrameFormat::Format_NV21 : QVideoFrameFormat::Format_NV12;
  else
    return {};
  QVideoFrameFormat out(QSize(static_cast<int>(f->width), static_cast<int>(f->height)), format);
  out.setColorRange(videoColorRange(f));
  out.setColorSpace(full ? QVideoFrameFormat::ColorSpace_AdobeRgb : videoColorSpace(f));
  return out;
}

QVideoFrame copyToVideoFrame(const valkka_frame_t *f) {
  const QVideoFrameFormat format = videoFrameFormat(f);
  if (!format.isValid()) return {};
  const int w = static_cast<int>(f->width), h = static_cast<int>(f->height);
  const int cw = (w + 1) / 2, ch = (h + 1) / 2;
  QVideoFrame out(format);
  if (!out.map(QVideoFrame::WriteOnly)) return {};
  copyPlane(f->planes[0], f->strides[0], out.bits(0), out.bytesPerLine(0), w, h);
  switch (format.pixelFormat()) {
    case QVideoFrameFormat::Format_YUV420P:
    case QVideoFrameFormat::Format_YV12: {
      const bool yv12 = format.pixelFormat() == QVideoFrameFormat::Format_YV12;
      const int u = yv12 ? 2 : 1, v = yv12 ? 1 : 2;
      copyPlane(f->planes[1], f->strides[1], out.bits(u), out.bytesPerLine(u), cw, ch);
      copyPlane(f->planes[2], f->strides[2], out.bits(v), out.bytesPerLine(v), cw, ch);
      break;
    }
    case QVideoFrameFormat::Format_NV21:
      copySwappedPairs(f->planes[1], f->strides[1], out.bits(1), out.bytesPerLine(1), cw, ch);
      break;
    default:
      copyPlane(f->planes[1], f->strides[1], out.bits(1), out.bytesPerLine(1), 2 * cw, ch);
      break;
  }
  out.unmap();
  out.setStartTime(f->mstime * 1000);
  return out;
}
