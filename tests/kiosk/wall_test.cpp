/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The wall with its 4 built-in synthetic cameras under Xvfb: every tile shows its own camera
// with its name drawn; tiles that are hidden are not decoded while recording goes on.
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QThread>

#include <gtest/gtest.h>

#include <functional>

#include "kiosk_process.h"
#include "wall_check.h"

namespace {

// A small FS: the test must not preallocate the 2 GiB default.
const QStringList kSmallFs = {QStringLiteral("--fs-size"), QStringLiteral("67108864")};

double tileValue(const QJsonObject &state, int index, const char *key) {
  return state.value(QStringLiteral("tiles"))
      .toArray()
      .at(index)
      .toObject()
      .value(QLatin1String(key))
      .toDouble();
}

// Waits until each of the 4 tiles has presented `pictures` and `more(state)` holds.
bool waitForPictures(KioskProcess &kiosk, double pictures,
                     const std::function<bool(const QJsonObject &)> &more = {}) {
  bool ok = false;
  kiosk.waitForState(
      [&](const QJsonObject &s) {
        for (int i = 0; i < 4; i++)
          if (tileValue(s, i, "presented") < pictures) return false;
        return !more || more(s);
      },
      60000, &ok);
  return ok;
}

}  // namespace

TEST(KioskWall, FourTilesShowTheirOwnCamerasAfter5Seconds) {
  KioskProcess kiosk;
  const QString png = kiosk.dir() + QStringLiteral("/wall.png");
  ASSERT_TRUE(kiosk.start(kSmallFs + QStringList{QStringLiteral("--screenshot"), png,
                                                 QStringLiteral("--after"), QStringLiteral("5")},
                          false));
  ASSERT_TRUE(kiosk.waitForExit(90000)) << kiosk.standardError().toStdString();
  ASSERT_FALSE(kiosk.crashed()) << kiosk.standardError().toStdString();
  ASSERT_EQ(kiosk.exitCode(), 0) << kiosk.standardError().toStdString();

  // First run: the default FS was created under XDG_DATA_HOME.
  EXPECT_TRUE(
      QFileInfo::exists(kiosk.dir() + QStringLiteral("/data/valkka-kiosk/fs/valkkafs.json")));

  const QImage image(png);
  ASSERT_FALSE(image.isNull()) << "no screenshot at " << png.toStdString();
  const QJsonObject shot = readShotJson(png);
  const QJsonArray tiles = shot.value(QStringLiteral("tiles")).toArray();
  ASSERT_EQ(tiles.size(), 4);
  EXPECT_EQ(shot.value(QStringLiteral("mode")).toString(), QStringLiteral("live"));
  const double taken = shot.value(QStringLiteral("taken_ms")).toDouble();

  QColor medians[4];
  for (int i = 0; i < 4; i++) {
    SCOPED_TRACE("tile " + std::to_string(i));
    const QJsonObject tile = tiles.at(i).toObject();
    ASSERT_EQ(tile.value(QStringLiteral("index")).toInt(), i);
    EXPECT_TRUE(tile.value(QStringLiteral("visible")).toBool());
    EXPECT_EQ(tile.value(QStringLiteral("name")).toString(), QStringLiteral("synthetic %1").arg(i));
    EXPECT_EQ(tile.value(QStringLiteral("state")).toString(), QStringLiteral("streaming"));
    // The picture shown is current: within 2 s of the screenshot.
    EXPECT_NEAR(tile.value(QStringLiteral("frame_ms")).toDouble(), taken, 2000);

    const QRect video = rectOf(tile.value(QStringLiteral("video_rect")));
    ASSERT_FALSE(video.isEmpty());
    // The middle of the picture, clear of the camera's own label and the overlay badges.
    const RegionStats picture = regionStats(image, inset(video, 0.2));
    medians[i] = picture.median;
    EXPECT_GT(std::max({picture.median.red(), picture.median.green(), picture.median.blue()}), 80)
        << "tile " << i << " is black";
    EXPECT_EQ(nearestSyntheticCamera(picture.median), i)
        << "tile " << i << " shows " << picture.median.name().toStdString();

    // The name is drawn: its badge is text on a dark background, not one flat colour.
    const QRect name = rectOf(tile.value(QStringLiteral("name_rect")));
    ASSERT_FALSE(name.isEmpty());
    EXPECT_GT(regionStats(image, name).lumaStdDev, 20.0);
  }
  for (int i = 0; i < 4; i++)
    for (int j = i + 1; j < 4; j++)
      EXPECT_GT(colourDistance(medians[i], medians[j]), 60.0)
          << "tiles " << i << " and " << j << " look alike";
}

TEST(KioskWall, HiddenTilesAreNotDecodedButKeepRecording) {
  KioskProcess kiosk;
  ASSERT_TRUE(kiosk.start(kSmallFs, true));
  ASSERT_TRUE(waitForPictures(kiosk, 10))
      << "the 4 tiles never showed pictures: " << kiosk.standardError().toStdString();

  // Double-click tile 0: it fills the wall, the others are hidden and their decoding stops.
  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  QThread::msleep(500);
  const QJsonObject before = kiosk.state();
  QThread::msleep(2000);
  const QJsonObject after = kiosk.state();
  ASSERT_FALSE(before.isEmpty());
  ASSERT_FALSE(after.isEmpty());
  EXPECT_GT(tileValue(after, 0, "presented") - tileValue(before, 0, "presented"), 25);
  for (int i = 1; i < 4; i++) {
    SCOPED_TRACE("tile " + std::to_string(i));
    EXPECT_FALSE(after.value(QStringLiteral("tiles"))
                     .toArray()
                     .at(i)
                     .toObject()
                     .value(QStringLiteral("visible"))
                     .toBool());
    EXPECT_EQ(tileValue(after, i, "presented"), tileValue(before, i, "presented"));
    // The camera still runs (and records): its frames keep coming.
    EXPECT_GT(tileValue(after, i, "received") - tileValue(before, i, "received"), 25);
  }

  // And back: every tile shows pictures again (decoding resumes at the next keyframe, 1 s).
  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  bool ok = false;
  kiosk.waitForState(
      [&after](const QJsonObject &s) {
        for (int i = 1; i < 4; i++)
          if (tileValue(s, i, "presented") < tileValue(after, i, "presented") + 10) return false;
        return true;
      },
      20000, &ok);
  EXPECT_TRUE(ok) << "hidden tiles did not come back";
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}

// The live wall draws once a beat (live_pace.h): the 4 cameras' new pictures and what else
// changes on a period (overlays, the timeline) go into the beat's frame, not frames of their own.
// The beat is nine tenths of the cameras' 40 ms picture interval.
TEST(KioskWall, TheWallDrawsOnceABeat) {
  KioskProcess kiosk;
  ASSERT_TRUE(kiosk.start(kSmallFs, true));
  ASSERT_TRUE(waitForPictures(kiosk, 25,
                              [](const QJsonObject &s) {
                                return s.value(QStringLiteral("beat_ms")).toInt() == 36;
                              }))
      << "no pictures on the beat of 25 fps cameras: "
      << kiosk.state().value(QStringLiteral("beat_ms")).toInt() << " ms; "
      << kiosk.standardError().toStdString();
  const QJsonObject before = kiosk.state();
  QThread::msleep(3000);
  const QJsonObject after = kiosk.state();
  const auto delta = [&](const char *key) {
    return after.value(QLatin1String(key)).toDouble() - before.value(QLatin1String(key)).toDouble();
  };
  ASSERT_GT(delta("beats"), 10);
  // A frame for each beat at most, and a few for what does not come on it (the state's own
  // reading, a status change).
  EXPECT_LE(delta("window_frames"), delta("beats") + 3);
  for (int i = 0; i < 4; i++)
    EXPECT_GT(tileValue(after, i, "presented") - tileValue(before, i, "presented"), 10);
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
