// Without a display the kiosk opens no window: one line on stderr, exit code 3, nothing created
// (ci/kiosk.sh then records headless).
#include <QFileInfo>

#include <gtest/gtest.h>

#include "kiosk_process.h"

TEST(KioskHeadless, ExitsWith3WithoutADisplay) {
  KioskProcess kiosk;
  ASSERT_TRUE(kiosk.start({}, false,
                          {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"),
                           QStringLiteral("QT_QPA_PLATFORM")}));
  ASSERT_TRUE(kiosk.waitForExit(20000));
  EXPECT_FALSE(kiosk.crashed());
  EXPECT_EQ(kiosk.exitCode(), 3);
  const QString err = kiosk.standardError();
  EXPECT_TRUE(err.contains(QStringLiteral("no display"))) << err.toStdString();
  EXPECT_EQ(err.count(QLatin1Char('\n')), 1) << err.toStdString();
  EXPECT_FALSE(QFileInfo::exists(kiosk.dir() + QStringLiteral("/data/valkka-kiosk")));
}
