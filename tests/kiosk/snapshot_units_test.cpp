/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A snapshot's pieces without a display: the picture's conversion to RGB (frame_image.h) against
// the YUV values of known colours in each range and matrix and each of the four layouts the wall
// hands its sinks, and the snapshot's file name (snapshot_file.h).
#include <QDateTime>
#include <QVideoFrame>
#include <QVideoFrameFormat>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "frame_image.h"
#include "snapshot_file.h"

namespace {

struct Yuv {
  uint8_t y, u, v;
};

// A 4x4 frame of `format`, every pixel `c`.
QVideoFrame flatFrame(QVideoFrameFormat::PixelFormat format, QVideoFrameFormat::ColorSpace space,
                      QVideoFrameFormat::ColorRange range, Yuv c) {
  QVideoFrameFormat f(QSize(4, 4), format);
  f.setColorSpace(space);
  f.setColorRange(range);
  QVideoFrame frame(f);
  EXPECT_TRUE(frame.map(QVideoFrame::WriteOnly));
  for (int row = 0; row < 4; row++)
    std::memset(frame.bits(0) + row * frame.bytesPerLine(0), c.y, 4);
  const bool vFirst = format == QVideoFrameFormat::Format_YV12 ||
                      format == QVideoFrameFormat::Format_NV21;
  for (int row = 0; row < 2; row++) {
    if (format == QVideoFrameFormat::Format_NV12 || format == QVideoFrameFormat::Format_NV21) {
      uint8_t *p = frame.bits(1) + row * frame.bytesPerLine(1);
      for (int x = 0; x < 2; x++) {
        p[2 * x] = vFirst ? c.v : c.u;
        p[2 * x + 1] = vFirst ? c.u : c.v;
      }
    } else {
      std::memset(frame.bits(vFirst ? 2 : 1) + row * frame.bytesPerLine(vFirst ? 2 : 1), c.u, 2);
      std::memset(frame.bits(vFirst ? 1 : 2) + row * frame.bytesPerLine(vFirst ? 1 : 2), c.v, 2);
    }
  }
  frame.unmap();
  return frame;
}

void expectColour(const QImage &image, int r, int g, int b) {
  ASSERT_EQ(image.size(), QSize(4, 4));
  const QRgb p = image.pixel(3, 3);
  EXPECT_NEAR(qRed(p), r, 2);
  EXPECT_NEAR(qGreen(p), g, 2);
  EXPECT_NEAR(qBlue(p), b, 2);
}

}  // namespace

TEST(SnapshotUnits, LimitedRangeBlackWhiteAndRedInBothMatrices) {
  for (auto format : {QVideoFrameFormat::Format_YUV420P, QVideoFrameFormat::Format_NV12}) {
    const auto bt601 = QVideoFrameFormat::ColorSpace_BT601;
    const auto bt709 = QVideoFrameFormat::ColorSpace_BT709;
    const auto video = QVideoFrameFormat::ColorRange_Video;
    expectColour(frameImage(flatFrame(format, bt601, video, {16, 128, 128})), 0, 0, 0);
    expectColour(frameImage(flatFrame(format, bt601, video, {235, 128, 128})), 255, 255, 255);
    // Pure red: BT.601 Y 81 Cb 90 Cr 240, BT.709 Y 63 Cb 102 Cr 240 (limited range).
    expectColour(frameImage(flatFrame(format, bt601, video, {81, 90, 240})), 255, 0, 0);
    expectColour(frameImage(flatFrame(format, bt709, video, {63, 102, 240})), 255, 0, 0);
    // Blue in BT.709: Y 32 Cb 240 Cr 118.
    expectColour(frameImage(flatFrame(format, bt709, video, {32, 240, 118})), 0, 0, 255);
  }
}

TEST(SnapshotUnits, FullRangeAsTheWallHandsItInVFirstLayouts) {
  // Full range comes as YV12 / NV21 with Qt's full-range BT.601 (AdobeRgb), video_frame_copy.h.
  for (auto format : {QVideoFrameFormat::Format_YV12, QVideoFrameFormat::Format_NV21}) {
    const auto space = QVideoFrameFormat::ColorSpace_AdobeRgb;
    const auto full = QVideoFrameFormat::ColorRange_Full;
    expectColour(frameImage(flatFrame(format, space, full, {0, 128, 128})), 0, 0, 0);
    expectColour(frameImage(flatFrame(format, space, full, {255, 128, 128})), 255, 255, 255);
    // Pure green, full-range BT.601: Y 150 Cb 44 Cr 21.
    expectColour(frameImage(flatFrame(format, space, full, {150, 44, 21})), 0, 255, 0);
  }
}

TEST(SnapshotUnits, AnotherPixelFormatGivesNoImage) {
  QVideoFrame frame(QVideoFrameFormat(QSize(4, 4), QVideoFrameFormat::Format_ARGB8888));
  EXPECT_TRUE(frameImage(frame).isNull());
  EXPECT_TRUE(frameImage(QVideoFrame()).isNull());
}

TEST(SnapshotUnits, TheFileIsNamedAfterTheCameraAndTheLocalTime) {
  const QDateTime t(QDate(2026, 12, 6), QTime(18, 40, 12, 345));
  const qint64 ms = t.toMSecsSinceEpoch();
  EXPECT_EQ(snapshotFileName(QStringLiteral("front door"), ms),
            QStringLiteral("front_door-20261206-184012.345.png"));
  EXPECT_EQ(snapshotFileName(QStringLiteral("../yard/cam:2"), ms),
            QStringLiteral("camera.._yard_cam_2-20261206-184012.345.png"));
  EXPECT_EQ(snapshotFileName(QString(), ms), QStringLiteral("camera-20261206-184012.345.png"));
  EXPECT_TRUE(snapshotTimeText(ms).startsWith(QStringLiteral("2026-12-06 18:40:12.345 ")));
  EXPECT_TRUE(snapshotTimeText(ms).contains(QStringLiteral(" UTC")));
}
