/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Colour range on the wall: flat pictures from a full-range clip (yuvj420p, as many IP cameras
// send) and a limited-range one, each a file camera of one kiosk. Each tile's picture must have
// the luma of ffmpeg's own RGB decode of its clip (which honours the range) within 2: a
// full-range picture shown as limited range is far darker (40 becomes 28), a limited one shown as
// full range far lighter. A coloured full-range clip must also keep its colour (each channel
// within 4 of ffmpeg's), which a U/V mix-up or a wrong matrix would not.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>

#include "kiosk_process.h"
#include "wall_check.h"

namespace {

// Grey RGB 40: Y 40 in full range, where limited range means (40 - 16) * 255 / 219 = 28 on
// screen; in limited range Y 50, shown as 40 (and as 50 if taken for full range). The colour is
// a dark blue (Y 60) that limited range would darken by about 8.
struct Clip {
  const char *name, *colour, *args;
  bool checkColour;
};
const Clip kClips[] = {
    {"full", "0x282828", "-pix_fmt yuvj420p", false},
    {"limited", "0x282828", "-pix_fmt yuv420p -color_range tv -colorspace bt709", false},
    {"full colour", "0x283c78", "-pix_fmt yuvj420p", true},
};
constexpr int kCameras = sizeof kClips / sizeof kClips[0];

// Runs ffmpeg with `args`; its stdout, or an empty array (and `error` set) when it failed.
QByteArray ffmpeg(const QStringList &args, QString *error) {
  QProcess process;
  process.start(QStringLiteral("ffmpeg"),
                QStringList{QStringLiteral("-hide_banner"), QStringLiteral("-nostdin"),
                            QStringLiteral("-v"), QStringLiteral("error")} +
                    args);
  if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit ||
      process.exitCode() != 0) {
    process.kill();
    process.waitForFinished(5000);
    *error =
        QStringLiteral("ffmpeg %1: %2")
            .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(process.readAllStandardError()));
    return {};
  }
  return process.readAllStandardOutput();
}

// The mean colour of ffmpeg's RGB decode of the clip's first picture; invalid on failure.
struct Rgb {
  double r = -1, g = -1, b = -1;
  double luma() const { return 0.299 * r + 0.587 * g + 0.114 * b; }  // regionStats' weights
};
Rgb ffmpegColour(const QString &clip, int width, int height, QString *error) {
  const QByteArray rgb =
      ffmpeg({QStringLiteral("-i"), clip, QStringLiteral("-frames:v"), QStringLiteral("1"),
              QStringLiteral("-f"), QStringLiteral("rawvideo"), QStringLiteral("-pix_fmt"),
              QStringLiteral("rgb24"), QStringLiteral("-")},
             error);
  if (rgb.size() != width * height * 3) {
    if (error->isEmpty())
      *error = QStringLiteral("ffmpeg gave %1 bytes of rgb24, not %2")
                   .arg(rgb.size())
                   .arg(width * height * 3);
    return {};
  }
  double sums[3] = {0, 0, 0};
  for (int i = 0; i < rgb.size(); i++) sums[i % 3] += static_cast<uint8_t>(rgb[i]);
  const double n = width * height;
  return {sums[0] / n, sums[1] / n, sums[2] / n};
}

QJsonArray tiles(const QJsonObject &state) {
  return state.value(QStringLiteral("tiles")).toArray();
}

}  // namespace

TEST(KioskColour, FullAndLimitedRangeClipsShowWhatFfmpegDecodes) {
  KioskProcess kiosk;
  QJsonArray cameras;
  Rgb expected[kCameras];
  for (int i = 0; i < kCameras; i++) {
    const QString clip = kiosk.dir() + QStringLiteral("/clip%1.mp4").arg(i);
    QString error;
    ffmpeg(QStringList{QStringLiteral("-y"), QStringLiteral("-f"), QStringLiteral("lavfi"),
                       QStringLiteral("-i"),
                       QStringLiteral("color=c=%1:size=320x240:rate=25")
                           .arg(QLatin1String(kClips[i].colour)),
                       QStringLiteral("-t"), QStringLiteral("2")} +
               QString::fromLatin1(kClips[i].args).split(QLatin1Char(' ')) +
               QStringList{QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-g"),
                           QStringLiteral("25"), clip},
           &error);
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    expected[i] = ffmpegColour(clip, 320, 240, &error);
    ASSERT_GE(expected[i].r, 0) << error.toStdString();
    cameras.append(QJsonObject{{QStringLiteral("name"), QLatin1String(kClips[i].name)},
                               {QStringLiteral("url"), clip},
                               {QStringLiteral("id"), i + 1}});
  }
  // The two grey clips are the same grey: ffmpeg shows both alike.
  EXPECT_NEAR(expected[0].luma(), expected[1].luma(), 2);

  const QString config = kiosk.dir() + QStringLiteral("/cameras.json");
  {
    const QJsonObject json{
        {QStringLiteral("fs"),
         QJsonObject{{QStringLiteral("dir"), kiosk.dir() + QStringLiteral("/fs")},
                     {QStringLiteral("create"), QJsonObject{{QStringLiteral("blocks"), 64}}}}},
        {QStringLiteral("cameras"), cameras}};
    QFile file(config);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(json).toJson()) > 0);
  }
  ASSERT_TRUE(kiosk.start({QStringLiteral("--config"), config}, true));
  bool ok = false;
  const QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        for (const QJsonValue &t : tiles(s))
          if (t.toObject().value(QStringLiteral("presented")).toDouble() < 10) return false;
        return tiles(s).size() == kCameras;
      },
      60000, &ok);
  ASSERT_TRUE(ok) << "the file cameras never showed pictures: "
                  << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();

  const QString png = kiosk.dir() + QStringLiteral("/wall.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + png),
            QStringLiteral("ok screenshot ") + png);
  const QImage image(png);
  ASSERT_FALSE(image.isNull()) << "no screenshot at " << png.toStdString();
  const QJsonObject shot = readShotJson(png);
  ASSERT_EQ(tiles(shot).size(), kCameras);
  for (int i = 0; i < kCameras; i++) {
    SCOPED_TRACE(kClips[i].name);
    const QJsonObject tile = tiles(shot).at(i).toObject();
    EXPECT_EQ(tile.value(QStringLiteral("name")).toString(), QLatin1String(kClips[i].name));
    const QRect video = rectOf(tile.value(QStringLiteral("video_rect")));
    ASSERT_FALSE(video.isEmpty());
    // The middle of the picture, clear of the name and the overlay badges: one flat colour.
    const RegionStats picture = regionStats(image, inset(video, 0.2));
    const QColor &m = picture.median;
    std::cout << "[ colour   ] " << kClips[i].name << ": ffmpeg rgb " << expected[i].r << " "
              << expected[i].g << " " << expected[i].b << " luma " << expected[i].luma()
              << "; wall rgb " << m.red() << " " << m.green() << " " << m.blue() << " luma "
              << picture.meanLuma << "\n";
    EXPECT_LT(picture.lumaStdDev, 2.0);
    EXPECT_NEAR(picture.meanLuma, expected[i].luma(), 2.0);
    if (kClips[i].checkColour) {
      EXPECT_NEAR(m.red(), expected[i].r, 4.0);
      EXPECT_NEAR(m.green(), expected[i].g, 4.0);
      EXPECT_NEAR(m.blue(), expected[i].b, 4.0);
    }
  }
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
