/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Without a display the kiosk opens no window: one line on stderr, exit code 3, nothing created
// (ci/kiosk.sh then records headless); a config others can read is warned of all the same.
#include <QFile>
#include <QFileInfo>

#include <sys/wait.h>

#include <cstdlib>
#include <string>

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

// Under systemd with stderr the journal ($JOURNAL_STREAM names it: "DEVICE:INODE", here of the
// file stderr goes to) each line starts with its priority: the config's warning <4>, the
// failure <3>. The test above sees the same lines without them when the variable is not set.
TEST(KioskHeadless, JournalPrefixesWhenStderrIsTheJournal) {
  KioskProcess scratch;  // for its directory only
  const QString config = scratch.dir() + QStringLiteral("/cameras.json"),
                err = scratch.dir() + QStringLiteral("/err.txt");
  QFile file(config);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(R"({"cameras": [{"url": "synthetic://0"}]})");
  file.close();
  ASSERT_TRUE(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
  const std::string command =
      "err='" + err.toStdString() + "'; : >\"$err\"; env -u DISPLAY -u WAYLAND_DISPLAY " +
      "-u QT_QPA_PLATFORM JOURNAL_STREAM=$(stat -c %d:%i \"$err\") '" VALKKA_KIOSK_PATH +
      "' --config '" + config.toStdString() + "' 2>\"$err\"";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  QFile out(err);
  ASSERT_TRUE(out.open(QIODevice::ReadOnly));
  const QString text = QString::fromUtf8(out.readAll());
  EXPECT_TRUE(text.startsWith(QStringLiteral("<4>valkka-kiosk: warning: config ")))
      << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("\n<3>valkka-kiosk: no display"))) << text.toStdString();
}
