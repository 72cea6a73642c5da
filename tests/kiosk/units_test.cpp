// The shell's pure parts, without a display: the config reader (the CLI's format), recorded
// ranges from a block table, and the picture copy into a QVideoFrame.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cstring>

#include "kiosk_config.h"
#include "range_builder.h"
#include "video_frame_copy.h"

namespace {

bool load(const QTemporaryDir &dir, const QByteArray &json, KioskConfig *config, QString *error) {
  const QString path = dir.filePath(QStringLiteral("cameras.json"));
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size())
    return false;
  file.close();
  return loadConfig(path, 64LL << 20, config, error);
}

valkka_fs_block_t block(int64_t min, int64_t max, std::initializer_list<uint32_t> ids,
                        uint32_t flags = 0) {
  valkka_fs_block_t b{};
  b.struct_size = sizeof b;
  b.flags = flags;
  b.min_ms = min;
  b.max_ms = max;
  for (uint32_t id : ids) b.stream_ids[b.n_streams++] = id;
  return b;
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
  ASSERT_EQ(config.cameras[0].options.size(), 3);
  EXPECT_EQ(config.cameras[0].options[0].second, QByteArray("10"));
  EXPECT_EQ(config.cameras[0].options[1].second, QByteArray("1"));
  EXPECT_EQ(config.cameras[0].options[2].second, QByteArray("udp"));
  EXPECT_EQ(config.cameras[1].name, QStringLiteral("camera 1"));
  EXPECT_EQ(config.cameras[1].streamId, 7u);
  EXPECT_EQ(config.cameras[1].fsDir, dir.filePath(QStringLiteral("other")));
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
      {R"({"fs": "x", "cameras": [{"url": "a"}, {"url": "b", "id": 1}]})", "cameras[1].id"},
      {R"({"fs": "x", "cameras": [{"url": "a", "options": {"k": [1]}}]})", "options.k"},
      {"{", "invalid JSON"},
  };
  for (const auto &[json, field] : bad) {
    KioskConfig config;
    QString error;
    EXPECT_FALSE(load(dir, json, &config, &error)) << json;
    EXPECT_TRUE(error.contains(QLatin1String(field))) << json << ": " << error.toStdString();
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
  }
}

TEST(KioskRanges, JoinsNearBlocksAndKeepsGaps) {
  std::vector<valkka_fs_block_t> table = {
      block(5000, 6000, {1, 2}),  // out of order: the table is circular
      block(1000, 2000, {1, 2}),
      block(2040, 3000, {1}),  // 40 ms after the previous: one range for stream 1
      block(0, 0, {}, VALKKA_FS_BLOCK_VOID),
      block(9000, 9500, {3}, VALKKA_FS_BLOCK_OVERFLOW),  // may hold any stream
  };
  auto ranges = buildRanges(table, 1000);
  EXPECT_EQ(ranges[1], (std::vector<TimeRange>{{1000, 3000}, {5000, 6000}, {9000, 9500}}));
  EXPECT_EQ(ranges[2], (std::vector<TimeRange>{{1000, 2000}, {5000, 6000}, {9000, 9500}}));
  EXPECT_EQ(ranges[3], (std::vector<TimeRange>{{9000, 9500}}));
  EXPECT_EQ(ranges.count(4), 0u);
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
