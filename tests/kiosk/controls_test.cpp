/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Controls that say what they do (issue 18): `?` shows the list of keys over the wall (its
// screenshot kept in the test's output directory, shots/ under ctest's working directory) and
// `?` or Escape hides it; live, the play button reads "Pause" (it freezes the wall), "Step back"
// and "Step forward", a tooltip on every button; in playback the rate badge is the tile's shown
// rate, not the camera's; the badges leave the top of the picture, where cameras write their own
// name and time, clear. Keys are real X input through xdotool.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <functional>

#include "kiosk_process.h"
#include "wall_check.h"
#include "x_input.h"

namespace {

using Ready = std::function<bool(const QJsonObject &)>;

constexpr int kChangeTimeoutMs = 10000;

bool overlayShown(const QJsonObject &s) { return s.value(QStringLiteral("key_overlay")).toBool(); }

// The transport's button labelled `text`; empty when none is.
QJsonObject button(const QJsonObject &s, const QString &text) {
  for (const QJsonValue &b : s.value(QStringLiteral("buttons")).toArray())
    if (b.toObject().value(QStringLiteral("text")).toString() == text) return b.toObject();
  return {};
}

QJsonArray tiles(const QJsonObject &s) { return s.value(QStringLiteral("tiles")).toArray(); }

class KioskControls : public ::testing::Test {
 protected:
  // The 4 built-in cameras, 2 s of pictures each.
  void SetUp() override {
    ASSERT_TRUE(kiosk_.start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true));
    bool ok = false;
    kiosk_.waitForState([](const QJsonObject &s) { return tilesPresented(s, 4, 50); }, 60000, &ok);
    ASSERT_TRUE(ok) << kiosk_.standardError().toStdString();
    ASSERT_TRUE(x_.findWindow(kiosk_.pid(), 10000)) << x_.lastError().toStdString();
    ASSERT_TRUE(x_.focus()) << x_.lastError().toStdString();
  }
  void TearDown() override { EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString(); }

  QJsonObject until(const QString &what, const Ready &ready) {
    return expectState(kiosk_, ready, kChangeTimeoutMs, what);
  }
  void key(const QString &keysym) { EXPECT_TRUE(x_.key(keysym)) << x_.lastError().toStdString(); }

  KioskProcess kiosk_;
  XInput x_;
};

TEST_F(KioskControls, QuestionMarkShowsTheKeysAndQuestionMarkOrEscapeHidesThem) {
  ASSERT_FALSE(overlayShown(kiosk_.state()));
  key(QStringLiteral("question"));
  until(QStringLiteral("? did not show the keys"), overlayShown);

  const QString dir = shotsDir();
  ASSERT_FALSE(dir.isEmpty());
  const QString png = dir + QStringLiteral("/key-overlay.png");
  QFile::remove(png);
  ASSERT_EQ(kiosk_.command(QStringLiteral("screenshot ") + png),
            QStringLiteral("ok screenshot ") + png);
  EXPECT_FALSE(QImage(png).isNull()) << png.toStdString();
  printf("key overlay: %s\n", qPrintable(png));

  key(QStringLiteral("question"));
  until(QStringLiteral("? again did not hide the keys"),
        [](const QJsonObject &s) { return !overlayShown(s); });
  key(QStringLiteral("question"));
  until(QStringLiteral("? did not show the keys again"), overlayShown);
  // Escape closes the list and leaves a maximised tile as it is.
  ASSERT_EQ(kiosk_.command(QStringLiteral("maximise 2")), QStringLiteral("ok maximise 2"));
  key(QStringLiteral("Escape"));
  const QJsonObject s = until(QStringLiteral("Escape did not hide the keys"),
                              [](const QJsonObject &s) { return !overlayShown(s); });
  EXPECT_EQ(s.value(QStringLiteral("maximised")).toInt(), 2);
}

TEST_F(KioskControls, LivePauseFreezesAndEveryButtonSaysWhatItDoes) {
  QJsonObject s = kiosk_.state();
  for (const char *label : {"LIVE", "Step back", "Pause", "Step forward"})
    EXPECT_FALSE(button(s, QLatin1String(label)).isEmpty())
        << "no button " << label << ": " << QJsonDocument(s).toJson().toStdString();
  EXPECT_TRUE(button(s, QStringLiteral("Play")).isEmpty()) << "live reads Play";
  EXPECT_TRUE(button(s, QStringLiteral("Back")).isEmpty());
  for (const QJsonValue &b : s.value(QStringLiteral("buttons")).toArray())
    EXPECT_FALSE(b.toObject().value(QStringLiteral("tooltip")).toString().isEmpty())
        << "no tooltip: " << QJsonDocument(b.toObject()).toJson().toStdString();

  // Live "Pause" (Space, as the button) freezes the wall at now; then it reads Play.
  key(QStringLiteral("space"));
  s = until(QStringLiteral("Pause did not freeze the wall"), [](const QJsonObject &s) {
    return s.value(QStringLiteral("mode")).toString() == QStringLiteral("playback") &&
           !s.value(QStringLiteral("playing")).toBool() &&
           !button(s, QStringLiteral("Play")).isEmpty();
  });
  key(QStringLiteral("space"));
  until(QStringLiteral("Play did not play"), [](const QJsonObject &s) {
    return s.value(QStringLiteral("playing")).toBool() &&
           !button(s, QStringLiteral("Pause")).isEmpty();
  });
}

TEST_F(KioskControls, InPlaybackTheRateBadgeIsTheTilesShownRate) {
  QJsonObject s;
  bool ok = false;
  seekAndWaitForTiles(kiosk_, -2000, 4, &s, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(s).toJson().toStdString();
  // Paused: no picture a second, whatever the cameras send live.
  until(QStringLiteral("paused tiles do not say 0.0 fps"), [](const QJsonObject &s) {
    for (const QJsonValue &t : tiles(s))
      if (t.toObject().value(QStringLiteral("fps_text")).toString() != QStringLiteral("0.0 fps") ||
          t.toObject().value(QStringLiteral("fps")).toDouble() < 20)
        return false;
    return tiles(s).size() == 4;
  });
  // Playing at 1x: the 25 fps recording, as shown.
  ASSERT_EQ(kiosk_.command(QStringLiteral("toggle-play")), QStringLiteral("ok playing"));
  until(QStringLiteral("playing tiles do not show their shown rate"), [](const QJsonObject &s) {
    for (const QJsonValue &t : tiles(s)) {
      const double shown = t.toObject().value(QStringLiteral("shown_fps")).toDouble();
      if (shown < 15 || t.toObject().value(QStringLiteral("fps_text")).toString() !=
                            QString::number(shown, 'f', 1) + QStringLiteral(" fps"))
        return false;
    }
    return tiles(s).size() == 4;
  });
}

TEST_F(KioskControls, TheBadgesLeaveThePicturesTopClear) {
  QJsonObject s;
  bool ok = false;
  // In playback too: its time badge is the longest.
  seekAndWaitForTiles(kiosk_, -2000, 4, &s, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(s).toJson().toStdString();
  // The time badge shows once the feed's polled picture time has caught up with the seek.
  s = until(QStringLiteral("no time badges"), [](const QJsonObject &s) {
    for (const QJsonValue &t : tiles(s))
      if (!t.toObject().contains(QStringLiteral("time_rect"))) return false;
    return tiles(s).size() == 4;
  });
  for (const QJsonValue &value : tiles(s)) {
    const QJsonObject t = value.toObject();
    const QRect video = rectOf(t.value(QStringLiteral("video_rect")));
    ASSERT_FALSE(video.isEmpty());
    const QRect top(video.x(), video.y(), video.width(), video.height() / 2);
    for (const char *badge : {"name_rect", "fps_rect", "time_rect"}) {
      const QRect r = rectOf(t.value(QLatin1String(badge)));
      EXPECT_FALSE(r.isEmpty()) << badge;
      EXPECT_FALSE(r.intersects(top))
          << badge << " covers the picture's top half: " << QJsonDocument(t).toJson().toStdString();
    }
  }
}

}  // namespace
