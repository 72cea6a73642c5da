/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Dragging the playhead (the timeline's scrub): while the mouse moves, every tile follows with
// its camera's keyframe at or before the time under the mouse; on release every tile shows the
// exact frame there.
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include "kiosk_process.h"
#include "wall_check.h"

namespace {

// The synthetic cameras' GOP: a keyframe a second (25 frames at 25 fps), give or take a frame.
constexpr double kGopMs = 1000 + 40;

// Every one of `tiles` tiles shows a keyframe at or before `target`, within a GOP of it.
bool tilesShowKeyframes(const QJsonObject &state, double target, int tiles) {
  if (state.value(QStringLiteral("mode")).toString() != QStringLiteral("playback")) return false;
  const QJsonArray shown = state.value(QStringLiteral("tiles")).toArray();
  for (const QJsonValue &v : shown) {
    const QJsonObject t = v.toObject();
    const double at = t.value(QStringLiteral("frame_ms")).toDouble();
    if (!t.value(QStringLiteral("frame_key")).toBool() || at > target || at <= target - kGopMs)
      return false;
  }
  return shown.size() == tiles;
}

std::string text(const QJsonObject &state) {
  return QJsonDocument(state).toJson(QJsonDocument::Compact).toStdString();
}

}  // namespace

TEST(KioskScrub, TilesFollowADragOnKeyframesAndShowTheExactFrameOnRelease) {
  KioskProcess kiosk;
  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true));
  bool ok = false;
  // 8 s of recording first.
  kiosk.waitForState([](const QJsonObject &s) { return tilesPresented(s, 4, 200); }, 60000, &ok);
  ASSERT_TRUE(ok) << kiosk.standardError().toStdString();

  // A drag from 7 s back to 2 s back, a mouse move every 300 ms of recording: each step the tiles
  // show the keyframes of the time under the mouse, the playhead reads it, playback is paused.
  double target = 0;
  for (int offset = -7000; offset <= -2000; offset += 300) {
    const QString reply = kiosk.command(QStringLiteral("drag-offset %1").arg(offset));
    ASSERT_TRUE(reply.startsWith(QStringLiteral("ok drag "))) << reply.toStdString();
    target = reply.mid(8).toDouble();
    QJsonObject state = kiosk.waitForState(
        [target](const QJsonObject &s) { return tilesShowKeyframes(s, target, 4); }, 15000, &ok);
    ASSERT_TRUE(ok) << "drag to " << static_cast<int64_t>(target) << ": " << text(state);
    EXPECT_NEAR(state.value(QStringLiteral("position_ms")).toDouble(), target, 1);
    EXPECT_FALSE(state.value(QStringLiteral("playing")).toBool());
  }

  // The release where the drag's mouse last was: the exact frame of that time in every tile.
  QJsonObject state;
  const double released =
      seekAndWaitForTiles(kiosk, QStringLiteral("drag-release"), 4, &state, &ok);
  ASSERT_TRUE(ok) << "release at " << static_cast<int64_t>(released) << ": " << text(state);
  EXPECT_NEAR(released, target, 1);  // the drag's last time: the view stood still under it
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
