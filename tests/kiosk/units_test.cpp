/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The shell's pure parts, without a display: the config reader (the CLI's format), recorded
// ranges from a block table, and the picture copy into a QVideoFrame (with its colour range and
// space).
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "kiosk_config.h"
#include "options.h"
#include "range_builder.h"
#include "video_frame_copy.h"

#include <valkka/error.h>

namespace {

bool load(const QTemporaryDir &dir, const QByteArray &json, KioskConfig *config, QString *error) {
  const QString path = dir.filePath(QStringLiteral("cameras.json"));
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size())
    return false;
  file.close();
  return loadConfig(path, 64LL << 20, config, error);
}

}  // namespace

TEST(KioskConfig, ReadsTheCliFormat) {
  QTemporaryDir dir;
  QDir::setCurrent(dir.path());
  KioskConfig config;
  QString error;
  ASSERT_TRUE(load(
      dir, R"({"fs": {"dir": "rec", "create": {"kind": "multi", "block_size": "2M", "blocks": 16}},
    "cameras": [{"name": "door", "url": "rtsp://u:p@10.0.0.1/s", "options": {"transport": "udp", "fps": 10, "loop": true}},
                {"url": "synthetic://1", "id": 7, "fs": "other"}]})",
      &config, &error))
      << error.toStdString();
  ASSERT_EQ(config.filesystems.size(), 2);
  EXPECT_EQ(config.filesystems[0].dir, dir.filePath(QStringLiteral("rec")));
  EXPECT_TRUE(config.filesystems[0].create);
  EXPECT_EQ(config.filesystems[0].blockSize, 2u << 20);
  EXPECT_EQ(config.filesystems[0].nBlocks, 16u);
  EXPECT_FALSE(config.filesystems[1].create);  // as the CLI: it must exist
  ASSERT_EQ(config.cameras.size(), 2);
  EXPECT_EQ(config.cameras[0].name, QStringLiteral("door"));
  EXPECT_EQ(config.cameras[0].streamId, 1u);
  EXPECT_EQ(config.cameras[0].fsDir, config.filesystems[0].dir);
  ASSERT_EQ(config.cameras[0].options.size(), 3);  // in file order, as the CLI hands them on
  EXPECT_EQ(config.cameras[0].options[0].second, QByteArray("udp"));
  EXPECT_EQ(config.cameras[0].options[1].second, QByteArray("10"));
  EXPECT_EQ(config.cameras[0].options[2].second, QByteArray("1"));
  EXPECT_EQ(config.cameras[1].name, QStringLiteral("camera 1"));
  EXPECT_EQ(config.cameras[1].streamId, 7u);
  EXPECT_EQ(config.cameras[1].fsDir, dir.filePath(QStringLiteral("other")));
  EXPECT_TRUE(config.unknownKeys.isEmpty())
      << config.unknownKeys.join(QLatin1Char('\n')).toStdString();
}

// As `valkka record` (RecordConfigRules.UnknownKeysAreNamedAndIgnored), with its wording: each
// key named with its field, the config read as if it were not there.
TEST(KioskConfig, UnknownKeysAreNamedAndIgnored) {
  QTemporaryDir dir;
  QDir::setCurrent(dir.path());
  KioskConfig config;
  QString error;
  ASSERT_TRUE(load(dir,
                   R"({"colour": "blue", "fs": {"dir": "rec", "spare": 1, "create": {"blocks": 8,
    "block_size": "1M", "fast": true}}, "cameras": [{"url": "synthetic://0", "zoom": 2,
    "fs": {"dir": "other", "extra": null}}, {"url": "synthetic://1"}]})",
                   &config, &error))
      << error.toStdString();
  const QString path = dir.filePath(QStringLiteral("cameras.json"));
  QStringList expected;
  for (const char *key :
       {"colour", "fs.spare", "fs.create.fast", "cameras[0].zoom", "cameras[0].fs.extra"})
    expected.append(
        QStringLiteral("config %1: %2: unknown key, ignored").arg(path, QLatin1String(key)));
  EXPECT_EQ(config.unknownKeys, expected)
      << config.unknownKeys.join(QLatin1Char('\n')).toStdString();
  ASSERT_EQ(config.filesystems.size(), 2);
  EXPECT_EQ(config.filesystems[0].nBlocks, 8u);
  ASSERT_EQ(config.cameras.size(), 2);
  EXPECT_EQ(config.cameras[0].fsDir, dir.filePath(QStringLiteral("other")));
  EXPECT_EQ(config.cameras[1].fsDir, dir.filePath(QStringLiteral("rec")));
}

TEST(KioskConfig, SoundIsRecordedAsStream1000PlusTheVideosUnlessTheConfigSaysOtherwise) {
  QTemporaryDir dir;
  QDir::setCurrent(dir.path());
  KioskConfig config;
  QString error;
  ASSERT_TRUE(load(dir, R"({"fs": "rec", "cameras": [{"url": "a"}, {"url": "b", "audio_id": 77},
    {"url": "c", "audio": false}, {"url": "d", "audio": false, "audio_id": 1001}]})",
                   &config, &error))
      << error.toStdString();
  ASSERT_EQ(config.cameras.size(), 4);
  EXPECT_TRUE(config.cameras[0].audio);
  EXPECT_EQ(config.cameras[0].audioId, 1001u);
  EXPECT_EQ(config.cameras[1].audioId, 77u);
  EXPECT_FALSE(config.cameras[2].audio);
  EXPECT_FALSE(config.cameras[3].audio);  // no sound: its id clashes with nothing
}

TEST(KioskConfig, WithoutAnFsUsesTheDefaultOne) {
  QTemporaryDir dir;
  qputenv("XDG_DATA_HOME", dir.path().toUtf8());
  KioskConfig config;
  QString error;
  ASSERT_TRUE(load(dir, R"({"cameras": [{"url": "synthetic://0"}]})", &config, &error))
      << error.toStdString();
  ASSERT_EQ(config.filesystems.size(), 1);
  EXPECT_EQ(config.filesystems[0].dir, dir.filePath(QStringLiteral("valkka-kiosk/fs")));
  EXPECT_TRUE(config.filesystems[0].create);
  EXPECT_EQ(config.filesystems[0].nBlocks, 64u);
}

TEST(KioskConfig, RefusesWhatTheCliRefuses) {
  QTemporaryDir dir;
  const std::pair<const char *, const char *> bad[] = {
      {"[1]", "top level"},
      {R"({"fs": "x"})", "cameras"},
      {R"({"fs": "x", "cameras": []})", "cameras"},
      {R"({"fs": "x", "cameras": [{"name": "a"}]})", "cameras[0].url"},
      {R"({"fs": {"create": {"blocks": 4}}, "cameras": [{"url": "a"}]})", "fs"},
      {R"({"fs": {"dir": "x", "create": {}}, "cameras": [{"url": "a"}]})", "fs.create"},
      {R"({"fs": {"dir": "x", "create": {"blocks": 4, "block_size": 1000}}, "cameras": [{"url": "a"}]})",
       "block_size"},
      {R"({"fs": "x", "cameras": [{"url": "a", "id": 0}]})", "cameras[0].id"},
      {R"({"fs": "x", "cameras": [{"url": "a"}, {"url": "b", "id": 1}]})",
       "cameras[1]: stream id 1 is already cameras[0]'s in FS x"},
      // The CLI's rules the kiosk did not share: integers only, no key twice.
      {R"({"fs": "x", "cameras": [{"url": "a", "id": 2.0}]})",
       "cameras[0].id: expected an integer"},
      {R"({"fs": "x", "cameras": [{"url": "a", "url": "b"}]})", "duplicate object key"},
      {R"({"fs": "x", "cameras": [{"url": "a", "options": {"k": [1]}}]})", "options.k"},
      {R"({"fs": "x", "cameras": [{"url": "a", "audio": "yes"}]})", "cameras[0].audio"},
      {R"({"fs": "x", "cameras": [{"url": "a", "audio_id": 1}]})",
       "cameras[0]: \"audio_id\" 1 is its video's \"id\""},
      {R"({"fs": "x", "cameras": [{"url": "a"}, {"url": "b", "audio_id": 1001}]})",
       "cameras[1]: audio stream id 1001 is already cameras[0]'s"},
      {R"({"fs": "x", "cameras": [{"url": "a", "audio_id": 2}, {"url": "b"}]})",
       "cameras[1]: stream id 2 is already cameras[0]'s audio"},
      {"{", "invalid JSON"},
  };
  for (const auto &[json, field] : bad) {
    KioskConfig config;
    QString error;
    EXPECT_FALSE(load(dir, json, &config, &error)) << json;
    EXPECT_TRUE(error.contains(QLatin1String(field))) << json << ": " << error.toStdString();
  }
}

// --fs-size reads sizes as every valkka program (valkka_size_parse): bytes, "512M", "2G".
TEST(KioskOptions, FsSizeTakesSizesWithSuffixes) {
  const std::pair<const char *, qint64> good[] = {
      {"2G", 2LL << 30}, {"512M", 512LL << 20}, {"2097152", 2LL << 20}, {"1T", 1LL << 40}};
  for (const auto &[text, bytes] : good) {
    KioskOptions options;
    QString message;
    EXPECT_EQ(parseOptions({QStringLiteral("valkka-kiosk"), QStringLiteral("--fs-size"),
                            QLatin1String(text)},
                           &options, &message),
              ParseResult::Run)
        << text << ": " << message.toStdString();
    EXPECT_EQ(options.fsSize, bytes) << text;
  }
  for (const char *bad : {"1M", "2X", "0x10", "2 G", "8E"}) {
    KioskOptions options;
    QString message;
    EXPECT_EQ(parseOptions({QStringLiteral("valkka-kiosk"), QStringLiteral("--fs-size"),
                            QLatin1String(bad)},
                           &options, &message),
              ParseResult::Error)
        << bad;
    EXPECT_EQ(message, QStringLiteral("--fs-size %1: expected bytes (or 512M, 2G), at least 2M")
                           .arg(QLatin1String(bad)));
  }
}

// As `valkka record --config`: a config others can read is named with its mode.
TEST(KioskConfig, WarnsWhenOthersCanReadIt) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("cameras.json"));
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.close();
  ASSERT_TRUE(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
  EXPECT_EQ(configAccessWarning(path),
            QStringLiteral("config %1 is readable by everyone (mode 604) and may hold camera "
                           "passwords: chmod 600 it")
                .arg(path));
  ASSERT_TRUE(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
  EXPECT_TRUE(
      configAccessWarning(path).contains(QStringLiteral("readable by its group (mode 640)")));
  ASSERT_TRUE(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
  EXPECT_EQ(configAccessWarning(path), QString());
  EXPECT_EQ(configAccessWarning(dir.filePath(QStringLiteral("absent.json"))), QString());
}

TEST(KioskConfig, DefaultIsFourSyntheticCameras) {
  const KioskConfig config = defaultConfig(2LL << 30);
  ASSERT_EQ(config.cameras.size(), 4);
  EXPECT_EQ(config.filesystems[0].nBlocks, 2048u);
  EXPECT_EQ(config.filesystems[0].blockSize, 1u << 20);
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(config.cameras[i].url, QStringLiteral("synthetic://%1").arg(i));
    EXPECT_EQ(config.cameras[i].streamId, static_cast<uint32_t>(i + 1));
    // A 640x360 substream of a 1280x720 main, both recorded.
    EXPECT_EQ(config.cameras[i].subUrl, QStringLiteral("synthetic://%1/sub").arg(i));
    EXPECT_EQ(config.cameras[i].subId, static_cast<uint32_t>(2001 + i));
    EXPECT_TRUE(config.cameras[i].recordMain);
    EXPECT_TRUE(config.cameras[i].recordSub);
    const QList<QPair<QByteArray, QByteArray>> size = {{"width", "1280"}, {"height", "720"}};
    EXPECT_EQ(config.cameras[i].options, size);
  }
}

TEST(KioskRanges, AGapInsideABlockPartsTheLane) {
  QTemporaryDir dir;
  const std::string fsDir = dir.filePath(QStringLiteral("fs")).toStdString();
  valkka_fs_create_params_t create{};
  create.struct_size = sizeof create;
  create.kind = VALKKA_FS_MULTI;
  create.block_size = 1u << 20;
  create.n_blocks = 4;
  ASSERT_EQ(valkka_fs_create(fsDir.c_str(), &create), 0) << valkka_last_error();
  valkka_fs_t *fs = nullptr;
  ASSERT_EQ(valkka_fs_open(fsDir.c_str(), nullptr, &fs), 0) << valkka_last_error();
  // Forty ranges in one block, each after a 2 s gap: the block table alone sees one.
  std::vector<TimeRange> want;
  uint8_t byte = 0;
  for (int64_t t = 1000, i = 0; i < 400; i++, t += 40) {
    if (i % 10 == 0) {
      t += 2000;  // every 10th frame after a 2 s gap
      want.push_back({t, t});
    }
    valkka_frame_t f{};
    f.struct_size = sizeof f;
    f.kind = VALKKA_FRAME_ENCODED;
    f.codec = VALKKA_CODEC_H264;
    f.flags = VALKKA_FRAME_KEYFRAME;
    f.mstime = t;
    f.data = &byte;
    f.size = 1;
    ASSERT_EQ(valkka_fs_append(fs, 5, &f), 0) << valkka_last_error();
    want.back().end = t;
  }
  EXPECT_EQ(recordedRanges(fs, 5), want);
  EXPECT_TRUE(recordedRanges(fs, 6).empty());
  valkka_fs_close(fs);
}

TEST(KioskFrameCopy, CopiesPlanesRespectingStrides) {
  for (uint32_t pixfmt : {uint32_t(VALKKA_PIXFMT_YUV420P), uint32_t(VALKKA_PIXFMT_NV12)}) {
    const uint32_t w = 34, h = 10;  // odd chroma width, strides wider than the rows
    std::vector<uint8_t> buffer(4096);
    valkka_frame_t f{};
    f.struct_size = sizeof f;
    f.kind = VALKKA_FRAME_DECODED;
    f.width = w;
    f.height = h;
    f.pixfmt = pixfmt;
    f.mstime = 1234567;
    f.n_planes = pixfmt == VALKKA_PIXFMT_NV12 ? 2 : 3;
    const int strides[3] = {48, pixfmt == VALKKA_PIXFMT_NV12 ? 48 : 32, 32};
    size_t offset = 0;
    for (uint32_t p = 0; p < f.n_planes; p++) {
      f.planes[p] = buffer.data() + offset;
      f.strides[p] = strides[p];
      offset += static_cast<size_t>(strides[p]) * h;
    }
    for (size_t i = 0; i < buffer.size(); i++) buffer[i] = static_cast<uint8_t>(i * 7);

    QVideoFrame out = copyToVideoFrame(&f);
    ASSERT_TRUE(out.isValid());
    EXPECT_EQ(out.pixelFormat(), pixfmt == VALKKA_PIXFMT_NV12 ? QVideoFrameFormat::Format_NV12
                                                              : QVideoFrameFormat::Format_YUV420P);
    EXPECT_EQ(out.startTime(), 1234567000);
    ASSERT_TRUE(out.map(QVideoFrame::ReadOnly));
    for (uint32_t p = 0; p < f.n_planes; p++) {
      const int rows = p == 0 ? h : (h + 1) / 2;
      const int bytes = p == 0 ? w : pixfmt == VALKKA_PIXFMT_NV12 ? 2 * ((w + 1) / 2) : (w + 1) / 2;
      for (int y = 0; y < rows; y++)
        ASSERT_EQ(std::memcmp(out.bits(static_cast<int>(p)) +
                                  y * out.bytesPerLine(static_cast<int>(p)),
                              f.planes[p] + y * f.strides[p], static_cast<size_t>(bytes)),
                  0)
            << "plane " << p << " row " << y;
    }
    out.unmap();
  }
  valkka_frame_t encoded{};
  encoded.kind = VALKKA_FRAME_ENCODED;
  EXPECT_FALSE(copyToVideoFrame(&encoded).isValid());
}

TEST(KioskFrameCopy, CarriesColourRangeAndSpace) {
  std::vector<uint8_t> buffer(64 * 48 * 3 / 2, 128);
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.kind = VALKKA_FRAME_DECODED;
  f.width = 64;
  f.height = 48;
  f.pixfmt = VALKKA_PIXFMT_YUV420P;
  f.n_planes = 3;
  f.planes[0] = buffer.data();
  f.planes[1] = f.planes[0] + 64 * 48;
  f.planes[2] = f.planes[1] + 32 * 24;
  f.strides[0] = 64;
  f.strides[1] = f.strides[2] = 32;

  // What the stream signalled, in Qt's terms.
  f.color_range = VALKKA_COLOR_RANGE_FULL;
  f.color_space = VALKKA_COLOR_SPACE_BT709;
  EXPECT_EQ(videoColorRange(&f), QVideoFrameFormat::ColorRange_Full);
  EXPECT_EQ(videoColorSpace(&f), QVideoFrameFormat::ColorSpace_BT709);
  // Full range goes to Qt as YV12 with Qt's full-range BT.601 matrix (AdobeRgb): its own
  // full-range matrices are wrong.
  QVideoFrame out = copyToVideoFrame(&f);
  ASSERT_TRUE(out.isValid());
  EXPECT_EQ(out.pixelFormat(), QVideoFrameFormat::Format_YV12);
  EXPECT_EQ(out.surfaceFormat().colorRange(), QVideoFrameFormat::ColorRange_Full);
  EXPECT_EQ(out.surfaceFormat().colorSpace(), QVideoFrameFormat::ColorSpace_AdobeRgb);
  // Limited range keeps its matrix.
  f.color_range = VALKKA_COLOR_RANGE_LIMITED;
  f.color_space = VALKKA_COLOR_SPACE_BT2020;
  out = copyToVideoFrame(&f);
  EXPECT_EQ(out.pixelFormat(), QVideoFrameFormat::Format_YUV420P);
  EXPECT_EQ(out.surfaceFormat().colorRange(), QVideoFrameFormat::ColorRange_Video);
  EXPECT_EQ(out.surfaceFormat().colorSpace(), QVideoFrameFormat::ColorSpace_BT2020);
  f.color_space = VALKKA_COLOR_SPACE_BT709;
  EXPECT_EQ(videoFrameFormat(&f).colorSpace(), QVideoFrameFormat::ColorSpace_BT709);
  f.color_space = VALKKA_COLOR_SPACE_BT601;
  EXPECT_EQ(videoFrameFormat(&f).colorSpace(), QVideoFrameFormat::ColorSpace_BT601);

  // Not signalled: limited, BT.601 below 720 lines and BT.709 from 720 (frame.h).
  f.color_range = VALKKA_COLOR_RANGE_UNKNOWN;
  f.color_space = VALKKA_COLOR_SPACE_UNKNOWN;
  EXPECT_EQ(videoColorRange(&f), QVideoFrameFormat::ColorRange_Video);
  EXPECT_EQ(videoColorSpace(&f), QVideoFrameFormat::ColorSpace_BT601);
  EXPECT_EQ(videoFrameFormat(&f).pixelFormat(), QVideoFrameFormat::Format_YUV420P);
  EXPECT_EQ(videoFrameFormat(&f).colorRange(), QVideoFrameFormat::ColorRange_Video);
  EXPECT_EQ(videoFrameFormat(&f).colorSpace(), QVideoFrameFormat::ColorSpace_BT601);
  f.height = 719;
  EXPECT_EQ(videoColorSpace(&f), QVideoFrameFormat::ColorSpace_BT601);
  f.height = 720;
  EXPECT_EQ(videoColorSpace(&f), QVideoFrameFormat::ColorSpace_BT709);
  EXPECT_EQ(videoFrameFormat(&f).colorSpace(), QVideoFrameFormat::ColorSpace_BT709);

  // An ABI 1.0 frame has no colour fields: what lies past its end is not read.
  f.height = 48;
  f.color_range = VALKKA_COLOR_RANGE_FULL;
  f.color_space = VALKKA_COLOR_SPACE_BT2020;
  f.struct_size = offsetof(valkka_frame_t, pts_offset);
  EXPECT_EQ(videoColorRange(&f), QVideoFrameFormat::ColorRange_Video);
  EXPECT_EQ(videoColorSpace(&f), QVideoFrameFormat::ColorSpace_BT601);
  EXPECT_EQ(videoFrameFormat(&f).pixelFormat(), QVideoFrameFormat::Format_YUV420P);
}

TEST(KioskFrameCopy, FullRangeTakesAPixelFormatOfItsOwn) {
  // Qt Quick keeps one shader per pixel format and window, with the colours of its first frame:
  // full-range pictures go as YV12 / NV21, the same bytes with V before U.
  for (uint32_t pixfmt : {uint32_t(VALKKA_PIXFMT_YUV420P), uint32_t(VALKKA_PIXFMT_NV12)}) {
    const bool nv12 = pixfmt == VALKKA_PIXFMT_NV12;
    const uint32_t w = 34, h = 10, cw = 17, ch = 5;  // odd chroma width
    std::vector<uint8_t> buffer(4096);
    valkka_frame_t f{};
    f.struct_size = sizeof f;
    f.kind = VALKKA_FRAME_DECODED;
    f.width = w;
    f.height = h;
    f.pixfmt = pixfmt;
    f.n_planes = nv12 ? 2 : 3;
    f.planes[0] = buffer.data();
    f.strides[0] = 40;
    f.planes[1] = f.planes[0] + 40 * h;
    f.strides[1] = nv12 ? 40 : 20;
    f.planes[2] = nv12 ? nullptr : f.planes[1] + 20 * ch;
    f.strides[2] = nv12 ? 0 : 20;
    for (uint32_t y = 0; y < h; y++)
      for (uint32_t x = 0; x < w; x++) f.planes[0][y * 40 + x] = static_cast<uint8_t>(x + 3 * y);
    // U = 100 + x, V = 200 - y
    for (uint32_t y = 0; y < ch; y++)
      for (uint32_t x = 0; x < cw; x++) {
        const uint8_t u = static_cast<uint8_t>(100 + x), v = static_cast<uint8_t>(200 - y);
        if (nv12) {
          f.planes[1][y * 40 + 2 * x] = u;
          f.planes[1][y * 40 + 2 * x + 1] = v;
        } else {
          f.planes[1][y * 20 + x] = u;
          f.planes[2][y * 20 + x] = v;
        }
      }

    for (uint32_t range :
         {uint32_t(VALKKA_COLOR_RANGE_LIMITED), uint32_t(VALKKA_COLOR_RANGE_FULL)}) {
      const bool full = range == VALKKA_COLOR_RANGE_FULL;
      SCOPED_TRACE(std::string(nv12 ? "NV12" : "YUV420P") + (full ? " full" : " limited"));
      f.color_range = range;
      QVideoFrame out = copyToVideoFrame(&f);
      ASSERT_TRUE(out.isValid());
      EXPECT_EQ(out.pixelFormat(),
                nv12   ? (full ? QVideoFrameFormat::Format_NV21 : QVideoFrameFormat::Format_NV12)
                : full ? QVideoFrameFormat::Format_YV12
                       : QVideoFrameFormat::Format_YUV420P);
      ASSERT_TRUE(out.map(QVideoFrame::ReadOnly));
      for (uint32_t y = 0; y < h; y++)
        ASSERT_EQ(std::memcmp(out.bits(0) + y * out.bytesPerLine(0), f.planes[0] + y * 40, w), 0);
      for (uint32_t y = 0; y < ch; y++)
        for (uint32_t x = 0; x < cw; x++) {
          const uint8_t u = static_cast<uint8_t>(100 + x), v = static_cast<uint8_t>(200 - y);
          uint8_t got_u, got_v;
          if (nv12) {
            const uint8_t *row = out.bits(1) + y * out.bytesPerLine(1);
            got_u = row[full ? 2 * x + 1 : 2 * x];
            got_v = row[full ? 2 * x : 2 * x + 1];
          } else {
            const int pu = full ? 2 : 1, pv = full ? 1 : 2;
            got_u = out.bits(pu)[y * out.bytesPerLine(pu) + x];
            got_v = out.bits(pv)[y * out.bytesPerLine(pv) + x];
          }
          ASSERT_EQ(got_u, u) << "x " << x << " y " << y;
          ASSERT_EQ(got_v, v) << "x " << x << " y " << y;
        }
      out.unmap();
    }
  }
}
