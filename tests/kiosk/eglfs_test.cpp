/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk on Qt's eglfs platform (issue 18: a console with no window system), as far as this
// machine can run it: eglfs with its X11 device integration (eglfs_x11, Qt's own for trying eglfs
// on a desktop), on Mesa's EGL, on a 1600x900 Xvfb (ctest's). No window manager and no request
// for full screen: the window takes the whole screen, and every tile shows its own camera.
#include <QJsonArray>

#include <gtest/gtest.h>

#include "kiosk_process.h"
#include "wall_check.h"

namespace {}  // namespace

TEST(KioskEglfs, TheWallTakesTheWholeScreenAndShowsEveryCamera) {
  KioskProcess kiosk;
  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true, {},
                          {QStringLiteral("QT_QPA_PLATFORM=eglfs"),
                           QStringLiteral("QT_QPA_EGLFS_INTEGRATION=eglfs_x11")}));
  bool ok = false;
  const QJsonObject state =
      kiosk.waitForState([](const QJsonObject &s) { return tilesPresented(s, 4, 25); }, 60000, &ok);
  ASSERT_TRUE(ok) << kiosk.standardError().toStdString();
  const QJsonObject screen = state.value(QStringLiteral("screen")).toObject();
  EXPECT_EQ(geometry(screen), QStringLiteral("0,0 1600x900"));
  EXPECT_EQ(geometry(state.value(QStringLiteral("window")).toObject()), geometry(screen));

  const QString png = shotsDir() + QStringLiteral("/eglfs.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + png),
            QStringLiteral("ok screenshot ") + png);
  const QImage image(png);
  ASSERT_EQ(image.size(), QSize(1600, 900));
  const QJsonArray tiles = readShotJson(png).value(QStringLiteral("tiles")).toArray();
  ASSERT_EQ(tiles.size(), 4);
  for (int i = 0; i < 4; i++) {
    const QRect video = rectOf(tiles[i].toObject().value(QStringLiteral("video_rect")));
    EXPECT_EQ(nearestSyntheticCamera(regionStats(image, inset(video, 0.2)).median), i)
        << "tile " << i;
  }
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
