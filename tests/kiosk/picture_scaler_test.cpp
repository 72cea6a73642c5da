// SPDX-License-Identifier: LGPL-2.1-or-later
// The tile's picture scaled to the size it is drawn at (picture_scaler.h), and the full-size
// copies kept for a snapshot in reused buffers (kept_picture.h), through a feed as the wall uses
// them.
#include <gtest/gtest.h>

#include <QVideoSink>

#include <cstring>
#include <vector>

#include "camera_feed.h"
#include "kept_picture.h"
#include "picture_scaler.h"
#include "video_frame_copy.h"

namespace {

// A YUV420P (or NV12) frame over `buffer`, rows padded past the picture. The left half of the
// luma is `left`, the right half `right`; chroma is u, v.
struct TestFrame {
  TestFrame(uint32_t w, uint32_t h, uint32_t pixfmt, uint8_t left, uint8_t right, uint8_t u,
            uint8_t v) {
    const bool nv12 = pixfmt == VALKKA_PIXFMT_NV12;
    const int cw = static_cast<int>(w + 1) / 2, ch = static_cast<int>(h + 1) / 2;
    const int strides[3] = {static_cast<int>(w) + 16, nv12 ? 2 * cw + 16 : cw + 8, cw + 8};
    const int rows[3] = {static_cast<int>(h), ch, ch};
    const int planes = nv12 ? 2 : 3;
    size_t size = 0;
    for (int p = 0; p < planes; p++) size += static_cast<size_t>(strides[p]) * rows[p];
    bytes.assign(size, 0);
    frame.struct_size = sizeof frame;
    frame.kind = VALKKA_FRAME_DECODED;
    frame.width = w;
    frame.height = h;
    frame.pixfmt = pixfmt;
    frame.n_planes = static_cast<uint32_t>(planes);
    frame.mstime = 1700000000123;
    uint8_t *at = bytes.data();
    for (int p = 0; p < planes; p++) {
      frame.planes[p] = at;
      frame.strides[p] = strides[p];
      for (int y = 0; y < rows[p]; y++) {
        uint8_t *row = at + static_cast<ptrdiff_t>(y) * strides[p];
        if (p == 0) {
          std::memset(row, left, w / 2);
          std::memset(row + w / 2, right, w - w / 2);
        } else if (nv12) {
          for (int x = 0; x < cw; x++) row[2 * x] = u, row[2 * x + 1] = v;
        } else {
          std::memset(row, p == 1 ? u : v, static_cast<size_t>(cw));
        }
      }
      at += static_cast<size_t>(strides[p]) * rows[p];
    }
  }
  valkka_frame_t frame{};
  std::vector<uint8_t> bytes;
};

// Every byte of a plane's picture area (`rowBytes` x `rows`) in [lo, hi].
void expectPlaneWithin(const QVideoFrame &f, int plane, int rowBytes, int rows, int lo, int hi) {
  for (int y = 0; y < rows; y++)
    for (int x = 0; x < rowBytes; x++) {
      const int b = f.bits(plane)[y * f.bytesPerLine(plane) + x];
      ASSERT_TRUE(b >= lo && b <= hi) << "plane " << plane << " at " << x << "," << y << ": " << b;
    }
}

}  // namespace

TEST(KioskPictureScaler, DrawnSizeCoversTheTileInASizeQtDrawsRight) {
  // A substream in a 4x4 wall's tile (drawn 216x121): the next size Qt lays out right.
  EXPECT_EQ(PictureScaler::drawnSize(640, 360, QSize(318, 121)), QSize(240, 136));
  EXPECT_EQ(PictureScaler::drawnSize(640, 360, QSize(320, 180)), QSize(320, 180));
  EXPECT_EQ(PictureScaler::drawnSize(1280, 720, QSize(1280, 490)), QSize(880, 496));
  EXPECT_EQ(PictureScaler::drawnSize(704, 576, QSize(300, 300)), QSize(304, 248));
  // As large as the picture or larger (a zoomed tile), or not laid out yet: the picture's size.
  EXPECT_EQ(PictureScaler::drawnSize(640, 360, QSize(1280, 720)), QSize(640, 360));
  EXPECT_EQ(PictureScaler::drawnSize(640, 360, QSize(630, 355)), QSize(640, 360));
  EXPECT_EQ(PictureScaler::drawnSize(640, 360, QSize(0, 0)), QSize(640, 360));
  for (int w = 40; w < 1920; w += 7) {
    const QSize s = PictureScaler::drawnSize(1920, 1080, QSize(w, 2000));
    EXPECT_TRUE(s == QSize(1920, 1080) ||
                (s.width() % 16 == 0 && s.height() % 4 == 0 && s.width() >= w && s.width() < 1920))
        << w << ": " << s.width() << "x" << s.height();
  }
  // A picture whose own size Qt would misdraw, in a larger tile: a few pixels more of its shape.
  EXPECT_EQ(PictureScaler::drawnSize(854, 480, QSize(1280, 720)), QSize(864, 484));
  EXPECT_EQ(PictureScaler::drawnSize(800, 450, QSize(0, 0)), QSize(800, 452));
  EXPECT_EQ(PictureScaler::drawnSize(1280, 722, QSize(1920, 1080)), QSize(1280, 724));
  // Every size it gives is one whose chroma rows Qt lays out at a stride of a multiple of 4.
  for (const QSize s : {PictureScaler::drawnSize(640, 360, QSize(318, 121)),
                        PictureScaler::drawnSize(1280, 720, QSize(1280, 490)),
                        PictureScaler::drawnSize(854, 480, QSize(1280, 720)),
                        PictureScaler::drawnSize(800, 450, QSize(0, 0)),
                        PictureScaler::drawnSize(1280, 722, QSize(1920, 1080))}) {
    QVideoFrame f(QVideoFrameFormat(s, QVideoFrameFormat::Format_YUV420P));
    ASSERT_TRUE(f.map(QVideoFrame::WriteOnly));
    EXPECT_EQ(f.bytesPerLine(1) % 4, 0) << s.width() << "x" << s.height();
    f.unmap();
  }
}

TEST(KioskPictureScaler, ScalesDownKeepingColoursAndTheQtFormatOfTheRange) {
  for (uint32_t pixfmt : {uint32_t(VALKKA_PIXFMT_YUV420P), uint32_t(VALKKA_PIXFMT_NV12)}) {
    for (bool full : {false, true}) {
      SCOPED_TRACE(testing::Message() << "pixfmt " << pixfmt << (full ? " full" : " limited"));
      TestFrame t(640, 360, pixfmt, 16, 235, 90, 240);
      t.frame.color_range = full ? VALKKA_COLOR_RANGE_FULL : VALKKA_COLOR_RANGE_LIMITED;
      PictureScaler scaler;
      QVideoFrame out = scaler.scaled(&t.frame, QSize(320, 180));
      ASSERT_TRUE(out.isValid());
      EXPECT_EQ(out.size(), QSize(320, 180));
      EXPECT_EQ(out.startTime(), t.frame.mstime * 1000);
      // The same Qt format, range and matrix the unscaled copy gets (video_frame_copy.h), but
      // planar: an NV12 picture's chroma is split.
      const QVideoFrameFormat want = videoFrameFormat(&t.frame);
      EXPECT_EQ(out.pixelFormat(),
                full ? QVideoFrameFormat::Format_YV12 : QVideoFrameFormat::Format_YUV420P);
      EXPECT_EQ(out.surfaceFormat().colorRange(), want.colorRange());
      EXPECT_EQ(out.surfaceFormat().colorSpace(), want.colorSpace());
      ASSERT_TRUE(out.map(QVideoFrame::ReadOnly));
      // Black left, white right, and only the columns where they meet in between.
      for (int y = 0; y < 180; y++)
        for (int x = 0; x < 320; x++) {
          const int b = out.bits(0)[y * out.bytesPerLine(0) + x];
          if (x < 158) {
            ASSERT_EQ(b, 16) << x << "," << y;
          } else if (x > 161) {
            ASSERT_EQ(b, 235) << x << "," << y;
          }
        }
      // U and V where Qt reads them: YV12's plane 1 is V.
      expectPlaneWithin(out, full ? 2 : 1, 160, 90, 90, 90);
      expectPlaneWithin(out, full ? 1 : 2, 160, 90, 240, 240);
      out.unmap();
    }
  }
}

TEST(KioskPictureScaler, APictureNoLargerThanItsTileIsCopiedAsItIs) {
  TestFrame t(64, 36, VALKKA_PIXFMT_NV12, 40, 50, 60, 70);
  PictureScaler scaler;
  QVideoFrame out = scaler.scaled(&t.frame, QSize(640, 360));
  ASSERT_TRUE(out.isValid());
  EXPECT_EQ(out.size(), QSize(64, 36));
  EXPECT_EQ(out.pixelFormat(), QVideoFrameFormat::Format_NV12);
  valkka_frame_t encoded{};
  encoded.kind = VALKKA_FRAME_ENCODED;
  EXPECT_FALSE(scaler.scaled(&encoded, QSize(32, 18)).isValid());
}

TEST(KioskPictureScaler, APictureOfASizeQtMisdrawsGoesAFewPixelsLarger) {
  TestFrame t(854, 480, VALKKA_PIXFMT_YUV420P, 16, 235, 90, 240);
  PictureScaler scaler;
  QVideoFrame out = scaler.scaled(&t.frame, QSize(1280, 720));
  ASSERT_TRUE(out.isValid());
  EXPECT_EQ(out.size(), QSize(864, 484));
  EXPECT_EQ(out.pixelFormat(), QVideoFrameFormat::Format_YUV420P);
  ASSERT_TRUE(out.map(QVideoFrame::ReadOnly));
  EXPECT_EQ(out.bytesPerLine(1) % 4, 0);
  expectPlaneWithin(out, 1, 432, 242, 90, 90);
  expectPlaneWithin(out, 2, 432, 242, 240, 240);
  out.unmap();
}

TEST(KioskKeptPicture, HoldsThePictureAsDecodedInBuffersUsedAgain) {
  auto pool = std::make_shared<PicturePool>();
  TestFrame t(640, 360, VALKKA_PIXFMT_YUV420P, 30, 200, 100, 150);
  for (int i = 0; i < 10; i++) {
    const std::shared_ptr<const KeptPicture> kept = pool->keep(&t.frame);
    ASSERT_TRUE(kept);
  }
  EXPECT_EQ(pool->allocated(), 1u) << "a copy given back is used again";
  {
    std::vector<std::shared_ptr<const KeptPicture>> held;
    for (int i = 0; i < 3; i++) held.push_back(pool->keep(&t.frame));
    EXPECT_EQ(pool->allocated(), 3u);
    // Equal to the frame's own copy, row for row.
    QVideoFrame a = held[2]->toVideoFrame(), b = copyToVideoFrame(&t.frame);
    ASSERT_TRUE(a.isValid());
    EXPECT_EQ(a.size(), QSize(640, 360));
    EXPECT_EQ(a.startTime(), b.startTime());
    ASSERT_TRUE(a.map(QVideoFrame::ReadOnly));
    ASSERT_TRUE(b.map(QVideoFrame::ReadOnly));
    for (int p = 0; p < 3; p++) {
      const int rows = p == 0 ? 360 : 180, bytes = p == 0 ? 640 : 320;
      for (int y = 0; y < rows; y++)
        ASSERT_EQ(std::memcmp(a.bits(p) + y * a.bytesPerLine(p), b.bits(p) + y * b.bytesPerLine(p),
                              static_cast<size_t>(bytes)),
                  0)
            << "plane " << p << " row " << y;
    }
  }
  // A copy that outlives its pool is freed, not given back (ASan's leak check sees either).
  const std::shared_ptr<const KeptPicture> last = pool->keep(&t.frame);
  pool.reset();
  EXPECT_TRUE(last->toVideoFrame().isValid());
  valkka_frame_t encoded{};
  encoded.kind = VALKKA_FRAME_ENCODED;
  EXPECT_FALSE(PicturePool().keep(&encoded));
}

// Through the feed: the sink gets the picture at the tile's size, a snapshot the decoded one.
TEST(KioskKeptPicture, TheFeedDrawsTheTilesSizeAndShowsTheDecodedOneToASnapshot) {
  CameraFeed feed(0, 1, QStringLiteral("yard"));
  QVideoSink sink;
  feed.setVideoSink(&sink);
  feed.setDrawSize(QSizeF(318.4, 121));
  TestFrame t(640, 360, VALKKA_PIXFMT_YUV420P, 16, 235, 128, 128);
  for (int i = 0; i < 20; i++) {
    t.frame.mstime += 40;
    ASSERT_EQ(CameraFeed::liveSink(&feed, &t.frame), 0);
    feed.flush();
  }
  EXPECT_EQ(sink.videoFrame().size(), QSize(240, 136));
  const QVideoFrame shown = feed.shownFrame();
  EXPECT_EQ(shown.size(), QSize(640, 360));
  EXPECT_EQ(shown.startTime(), t.frame.mstime * 1000);
  EXPECT_LE(feed.keptPictures().allocated(), PicturePool::kSpare);
  // A tile as large as the picture gets it as it is, and nothing is kept beside it.
  feed.setDrawSize(QSizeF(1280, 720));
  ASSERT_EQ(CameraFeed::liveSink(&feed, &t.frame), 0);
  feed.flush();
  ASSERT_EQ(CameraFeed::liveSink(&feed, &t.frame), 0);
  feed.flush();
  EXPECT_EQ(sink.videoFrame().size(), QSize(640, 360));
  EXPECT_EQ(feed.shownFrame().size(), QSize(640, 360));
  feed.setVideoSink(nullptr);
}
