/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A wall of two recorders (issue 14): two `valkka record` processes, each into its own FS, both
// with stream ids 1..4 and cameras named "camera 0" .. "camera 3", and one kiosk `--fs A --fs B`.
// Each of the 8 tiles shows its own recorder's camera live (south records the synthetic cameras
// in the other order: the same stream id is another picture there), is named by its recorder,
// takes its state from its own recorder's status.json, and a timeline seek puts all 8 on one time.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <string>

#include "kiosk_process.h"
#include "recorder_process.h"
#include "wall_check.h"

namespace {

// `valkka record --config` of synthetic://camera[0..3] as stream ids 1..4 named "camera 0" ..
// "camera 3" into `fs`; the config's path ("" when it cannot be written).
QString writeConfig(const QString &path, const QString &fs, const int (&camera)[4]) {
  QString cameras;
  for (int i = 0; i < 4; i++)
    cameras += QStringLiteral(R"(%1{"name": "camera %2", "url": "synthetic://%3", "id": %4,
      "options": {"width": 320, "height": 180}})")
                   .arg(i ? QStringLiteral(", ") : QString())
                   .arg(i)
                   .arg(camera[i])
                   .arg(i + 1);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
    return {};
  const QByteArray text =
      QStringLiteral(R"({"fs": {"dir": "%1"}, "cameras": [%2]})").arg(fs, cameras).toUtf8();
  return file.write(text) == text.size() ? path : QString();
}

bool everyTileStreams(const QJsonObject &state, int n) {
  const QJsonArray tiles = state.value(QStringLiteral("tiles")).toArray();
  for (const QJsonValue &t : tiles)
    if (t.toObject().value(QStringLiteral("state")).toString() != QStringLiteral("streaming"))
      return false;
  return tiles.size() == n;
}

TEST(KioskRecorders, OneWallShowsAndSeeksTwoRecorders) {
  KioskProcess kiosk;
  const QString north = kiosk.dir() + QStringLiteral("/north"),
                south = kiosk.dir() + QStringLiteral("/south");
  const int northCameras[4] = {0, 1, 2, 3}, southCameras[4] = {3, 2, 1, 0};
  const QString northConfig =
                    writeConfig(kiosk.dir() + QStringLiteral("/north.json"), north, northCameras),
                southConfig =
                    writeConfig(kiosk.dir() + QStringLiteral("/south.json"), south, southCameras);
  ASSERT_FALSE(northConfig.isEmpty() || southConfig.isEmpty());
  Recorder northRecorder(north, {QStringLiteral("--config"), northConfig});
  Recorder southRecorder(south, {QStringLiteral("--config"), southConfig});
  ASSERT_TRUE(northRecorder.waitForStreams()) << "north never recorded four streams";
  ASSERT_TRUE(southRecorder.waitForStreams()) << "south never recorded four streams";
  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs"), north, QStringLiteral("--fs"), south,
                           QStringLiteral("--layout"), QStringLiteral("3x3")},
                          true));
  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return tilesPresented(s, 8, 100) && tilesLive(s, 8) && everyTileStreams(s, 8);
      },
      90000, &ok);
  ASSERT_TRUE(ok) << "not 8 live tiles: " << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();

  const QString png = kiosk.dir() + QStringLiteral("/wall.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + png),
            QStringLiteral("ok screenshot ") + png);
  const QImage image(png);
  ASSERT_FALSE(image.isNull());
  const QJsonArray tiles = readShotJson(png).value(QStringLiteral("tiles")).toArray();
  ASSERT_EQ(tiles.size(), 8);
  for (int i = 0; i < 8; i++) {
    SCOPED_TRACE("tile " + std::to_string(i));
    const QJsonObject tile = tiles.at(i).toObject();
    const bool ofNorth = i < 4;
    // Both recorders name their cameras alike: the wall adds each one's (its directory here).
    EXPECT_EQ(tile.value(QStringLiteral("name")).toString().toStdString(),
              (ofNorth ? "north: camera " : "south: camera ") + std::to_string(i % 4));
    const RegionStats picture =
        regionStats(image, inset(rectOf(tile.value(QStringLiteral("video_rect"))), 0.2));
    EXPECT_EQ(nearestSyntheticCamera(picture.median),
              ofNorth ? northCameras[i % 4] : southCameras[i % 4])
        << "shows " << picture.median.name().toStdString();
  }

  // One clock: a seek 3 s back puts every tile of both recorders on that time.
  const double target = seekAndWaitForTiles(kiosk, -3000, 8, &state, &ok);
  ASSERT_TRUE(ok) << "target " << static_cast<int64_t>(target) << ": "
                  << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  ASSERT_EQ(kiosk.command(QStringLiteral("live")), QStringLiteral("ok live"));
  state = kiosk.waitForState([](const QJsonObject &s) { return tilesLive(s, 8); }, 15000, &ok);
  ASSERT_TRUE(ok) << "live pictures did not return: "
                  << QJsonDocument(state).toJson().toStdString();

  // Each recorder's word is on its own tiles only: south stopping leaves north's streaming.
  ASSERT_EQ(southRecorder.stop(), 0);
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        const QJsonArray t = s.value(QStringLiteral("tiles")).toArray();
        if (t.size() != 8) return false;
        for (int i = 0; i < 8; i++) {
          const QString status = t.at(i).toObject().value(QStringLiteral("status")).toString();
          if ((i >= 4) != status.startsWith(QStringLiteral("RECORDER STOPPED at "))) return false;
        }
        return true;
      },
      20000, &ok);
  EXPECT_TRUE(ok) << QJsonDocument(state).toJson().toStdString();
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
  EXPECT_EQ(northRecorder.stop(), 0);
}

}  // namespace
