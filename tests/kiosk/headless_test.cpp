/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Without a display the kiosk opens no window: one line on stderr, exit code 3, nothing created
// (ci/kiosk.sh then records headless); a config others can read is warned of all the same.
#include <QFile>
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

// The warning of a config others can read comes before anything else, display or not.
TEST(KioskHeadless, WarnsOfAConfigOthersCanRead) {
  KioskProcess kiosk;
  const QString config = kiosk.dir() + QStringLiteral("/cameras.json");
  QFile file(config);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(R"({"cameras": [{"url": "rtsp://viewer:hunter2@127.0.0.1:1/x"}]})");
  file.close();
  ASSERT_TRUE(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                  QFile::ReadOther));
  ASSERT_TRUE(kiosk.start({QStringLiteral("--config"), config}, false,
                          {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"),
                           QStringLiteral("QT_QPA_PLATFORM")}));
  ASSERT_TRUE(kiosk.waitForExit(20000));
  EXPECT_EQ(kiosk.exitCode(), 3);
  const QString err = kiosk.standardError();
  EXPECT_TRUE(err.startsWith(QStringLiteral("valkka-kiosk: warning: config ") + config +
                             QStringLiteral(" is readable by everyone (mode 644)")))
      << err.toStdString();
  EXPECT_TRUE(err.contains(QStringLiteral("chmod 600"))) << err.toStdString();
  EXPECT_FALSE(err.contains(QStringLiteral("hunter2"))) << err.toStdString();
}
