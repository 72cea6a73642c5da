/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Full screen on a display with no window manager (issue 18), on a screen larger than the
// kiosk's 1280x720 window (ctest runs this suite under a 1600x900 Xvfb): --fullscreen and the F
// key must give the window the screen's geometry by themselves, and keys (real X input through
// xdotool) must act without the window having been clicked or focused first. The full screen's
// screenshot is kept in shots/ (kiosk_process.h).
#include <QJsonArray>

#include <gtest/gtest.h>

#include <functional>

#include "kiosk_process.h"
#include "wall_check.h"
#include "x_input.h"

namespace {

constexpr int kChangeTimeoutMs = 10000;

QJsonObject windowOf(const QJsonObject &s) { return s.value(QStringLiteral("window")).toObject(); }
QJsonObject screenOf(const QJsonObject &s) { return s.value(QStringLiteral("screen")).toObject(); }

// The window covers its screen exactly.
bool fillsScreen(const QJsonObject &s) {
  return !screenOf(s).isEmpty() && geometry(windowOf(s)) == geometry(screenOf(s));
}

class KioskFullScreen : public ::testing::Test {
 protected:
  // The 4 built-in cameras, each with pictures shown; the window found but never focused.
  void startKiosk(const QStringList &extra) {
    QStringList args{QStringLiteral("--fs-size"), QStringLiteral("67108864")};
    args << extra;
    ASSERT_TRUE(kiosk_.start(args, true));
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(
        [](const QJsonObject &s) {
          const QJsonArray tiles = s.value(QStringLiteral("tiles")).toArray();
          for (const QJsonValue &t : tiles)
            if (t.toObject().value(QStringLiteral("presented")).toDouble() < 25) return false;
          return tiles.size() == 4;
        },
        60000, &ok);
    ASSERT_TRUE(ok) << kiosk_.standardError().toStdString();
    // The suite means nothing on a screen the window already fills.
    ASSERT_GT(screenOf(s).value(QStringLiteral("width")).toInt(), 1280)
        << geometry(screenOf(s)).toStdString();
    ASSERT_TRUE(x_.findWindow(kiosk_.pid(), 10000)) << x_.lastError().toStdString();
  }
  void TearDown() override { EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString(); }

  QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &ready, const char *what) {
    return expectState(kiosk_, ready, kChangeTimeoutMs, QString::fromUtf8(what));
  }
  // A key as the X server gets it from a keyboard: to whichever window has the X focus.
  void key(const QString &keysym) { ASSERT_TRUE(x_.key(keysym)) << x_.lastError().toStdString(); }

  KioskProcess kiosk_;
  XInput x_;
};

TEST_F(KioskFullScreen, FullscreenOptionFillsTheScreenAndKeysActWithoutAClick) {
  ASSERT_NO_FATAL_FAILURE(startKiosk({QStringLiteral("--fullscreen")}));
  waitFor(
      [](const QJsonObject &s) {
        return s.value(QStringLiteral("fullscreen")).toBool() && fillsScreen(s);
      },
      "the window does not take the screen's geometry");
  const QString png = shotsDir() + QStringLiteral("/fullscreen.png");
  EXPECT_EQ(kiosk_.command(QStringLiteral("screenshot ") + png),
            QStringLiteral("ok screenshot ") + png);
  // No click, no xdotool windowfocus: the 1 key picks the one-tile layout.
  key(QStringLiteral("1"));
  waitFor([](const QJsonObject &s) { return s.value(QStringLiteral("columns")).toInt() == 1; },
          "the 1 key did not act before any click");
}

TEST_F(KioskFullScreen, FKeyFillsTheScreenAndRestoresTheWindow) {
  ASSERT_NO_FATAL_FAILURE(startKiosk({}));
  const QJsonObject before = waitFor(
      [](const QJsonObject &s) { return windowOf(s).value(QStringLiteral("width")).toInt() > 0; },
      "no window");
  const QString windowed = geometry(windowOf(before));
  ASSERT_FALSE(fillsScreen(before)) << windowed.toStdString();
  key(QStringLiteral("f"));
  waitFor(
      [](const QJsonObject &s) {
        return s.value(QStringLiteral("fullscreen")).toBool() && fillsScreen(s);
      },
      "F did not fill the screen");
  key(QStringLiteral("f"));
  waitFor(
      [&windowed](const QJsonObject &s) {
        return !s.value(QStringLiteral("fullscreen")).toBool() && geometry(windowOf(s)) == windowed;
      },
      "F again did not give the window its geometry back");
}

}  // namespace
