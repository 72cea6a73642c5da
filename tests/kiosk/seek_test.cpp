/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Playback from the timeline: a click 3 s in the past puts every tile on the recorded picture
// at that time (within one frame interval, all on one clock); LIVE brings the live pictures back.
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <cmath>

#include "kiosk_process.h"
#include "wall_check.h"

namespace {

// 25 fps cameras: the frame shown at t is the last one at or before t, less than this earlier.
constexpr double kFrameIntervalMs = 40;

QJsonArray tiles(const QJsonObject &state) {
  return state.value(QStringLiteral("tiles")).toArray();
}

}  // namespace

TEST(KioskSeek, TimelineClick3SecondsBackShowsThatFrameInEveryTileThenLive) {
  KioskProcess kiosk;
  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true));
  bool ok = false;
  // 6 s of recording and live pictures first.
  kiosk.waitForState([](const QJsonObject &s) { return tilesPresented(s, 4, 100); }, 60000, &ok);
  ASSERT_TRUE(ok) << kiosk.standardError().toStdString();

  QJsonObject state;
  const double target = seekAndWaitForTiles(kiosk, -3000, 4, &state, &ok);
  ASSERT_TRUE(ok) << "target " << static_cast<int64_t>(target) << ": "
                  << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  EXPECT_NEAR(state.value(QStringLiteral("seek_target_ms")).toDouble(), target, 1);
  EXPECT_NEAR(state.value(QStringLiteral("position_ms")).toDouble(), target, kFrameIntervalMs);

  // Paused there: the picture stays, and it is each camera's own.
  const QString png = kiosk.dir() + QStringLiteral("/playback.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + png),
            QStringLiteral("ok screenshot ") + png);
  const QImage image(png);
  const QJsonObject shot = readShotJson(png);
  ASSERT_TRUE(tilesShowTime(shot, target, 4)) << QJsonDocument(shot).toJson().toStdString();
  QColor medians[4];
  for (int i = 0; i < 4; i++) {
    const QRect video = rectOf(tiles(shot).at(i).toObject().value(QStringLiteral("video_rect")));
    medians[i] = regionStats(image, inset(video, 0.2)).median;
    EXPECT_GT(std::max({medians[i].red(), medians[i].green(), medians[i].blue()}), 80)
        << "tile " << i;
  }
  for (int i = 0; i < 4; i++)
    for (int j = i + 1; j < 4; j++) EXPECT_GT(colourDistance(medians[i], medians[j]), 60.0);

  // Back to live: live pictures again, current ones.
  ASSERT_EQ(kiosk.command(QStringLiteral("live")), QStringLiteral("ok live"));
  state = kiosk.waitForState([](const QJsonObject &s) { return tilesLive(s, 4); }, 15000, &ok);
  EXPECT_TRUE(ok) << "live pictures did not return: "
                  << QJsonDocument(state).toJson().toStdString();
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
