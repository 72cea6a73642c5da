/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk's exit codes under a display: 2 for bad arguments, 1 for a failure (a config it
// cannot use, an FS it cannot open or create, each with its one line on stderr; a window that
// cannot load), 0 for a run whose config holds keys it does not know (named on stderr).
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <gtest/gtest.h>

#include "kiosk_process.h"
#include "synthetic_config.h"

namespace {

struct Outcome {
  int code = -1;
  QString stderrText;
};

// Runs the kiosk with `args` (and `env`, "NAME=value") until it exits by itself.
Outcome run(KioskProcess *kiosk, const QStringList &args, const QStringList &env = {}) {
  Outcome outcome;
  // A session's runtime directory, as a desktop gives one: without it Qt prints a line of its own.
  const QString runtime = kiosk->dir() + QStringLiteral("/runtime");
  if (!QDir().mkpath(runtime) ||
      !QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
    return outcome;
  if (!kiosk->start(args, false, {},
                    QStringList{QStringLiteral("XDG_RUNTIME_DIR=") + runtime} + env))
    return outcome;
  if (!kiosk->waitForExit(60000)) return outcome;
  outcome.stderrText = kiosk->standardError();
  if (!kiosk->crashed()) outcome.code = kiosk->exitCode();
  return outcome;
}

// Writes `text` to `path`, readable by its owner only (a config: no warning about it).
bool writeOwnFile(const QString &path, const QByteArray &text) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly) &&
         file.setPermissions(QFile::ReadOwner | QFile::WriteOwner) &&
         file.write(text) == text.size();
}

// One line, the kiosk's, saying `what`.
void expectOneLine(const Outcome &outcome, const QString &what) {
  const std::string text = outcome.stderrText.toStdString();
  EXPECT_TRUE(outcome.stderrText.startsWith(QStringLiteral("valkka-kiosk: "))) << text;
  EXPECT_EQ(outcome.stderrText.count(QLatin1Char('\n')), 1) << text;
  EXPECT_TRUE(outcome.stderrText.endsWith(QLatin1Char('\n'))) << text;
  EXPECT_TRUE(outcome.stderrText.contains(what)) << text;
}

// The kiosk's own lines of its stderr. The core's log lines are the machine's: one without
// VA-API gets a warning when a camera's first decoder opens, which may come at any point of a
// short run (the cameras start before the window loads).
QString kioskLines(const QString &stderrText) {
  QString own;
  for (const QString &line : stderrText.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
    if (line.startsWith(QStringLiteral("valkka-kiosk: "))) own += line + QLatin1Char('\n');
  return own;
}

}  // namespace

TEST(KioskExitCodes, BadArgumentsExit2WithOneLine) {
  const std::pair<QStringList, QString> bad[] = {
      {{QStringLiteral("--layout"), QStringLiteral("5x5")}, QStringLiteral("--layout")},
      {{QStringLiteral("--no-such-option")}, QStringLiteral("no-such-option")},
      {{QStringLiteral("cameras.json")}, QStringLiteral("unexpected argument")},
      {{QStringLiteral("--fs-size"), QStringLiteral("1")}, QStringLiteral("--fs-size")},
      {{QStringLiteral("--screenshot"), QStringLiteral("wall.png")}, QStringLiteral("--after")},
      {{QStringLiteral("--screenshot"), QStringLiteral("wall.png"), QStringLiteral("--after"),
        QStringLiteral("soon")},
       QStringLiteral("--after")},
  };
  for (const auto &[args, what] : bad) {
    SCOPED_TRACE(args.join(QLatin1Char(' ')).toStdString());
    KioskProcess kiosk;
    const Outcome outcome = run(&kiosk, args);
    EXPECT_EQ(outcome.code, 2) << outcome.stderrText.toStdString();
    expectOneLine(outcome, what);
    // Refused before anything was done: no default FS.
    EXPECT_FALSE(QFileInfo::exists(kiosk.dir() + QStringLiteral("/data/valkka-kiosk")));
  }
}

TEST(KioskExitCodes, AConfigItCannotUseExits1WithOneLine) {
  KioskProcess kiosk;
  // 65 cameras: one more than `valkka record` takes.
  const QString tooMany = writeSyntheticConfig(kiosk.dir(), 65);
  ASSERT_FALSE(tooMany.isEmpty());
  const Outcome many = run(&kiosk, {QStringLiteral("--config"), tooMany});
  EXPECT_EQ(many.code, 1) << many.stderrText.toStdString();
  expectOneLine(many, QStringLiteral("config %1: cameras: 65 cameras: at most 64").arg(tooMany));
  EXPECT_FALSE(QFileInfo::exists(kiosk.dir() + QStringLiteral("/fs")));

  KioskProcess absent;
  const QString missing = absent.dir() + QStringLiteral("/absent.json");
  const Outcome none = run(&absent, {QStringLiteral("--config"), missing});
  EXPECT_EQ(none.code, 1) << none.stderrText.toStdString();
  expectOneLine(none, QStringLiteral("config %1: ").arg(missing));
}

TEST(KioskExitCodes, AnFsItCannotOpenExits1WithOneLine) {
  // A config naming an FS directory that holds none, with no "create": it must exist.
  KioskProcess kiosk;
  const QString config = kiosk.dir() + QStringLiteral("/cameras.json");
  QFile file(config);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  ASSERT_TRUE(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
  const QString fsDir = kiosk.dir() + QStringLiteral("/no-fs-here");
  ASSERT_TRUE(QDir().mkdir(fsDir));
  file.write(
      QStringLiteral(R"({"fs": "%1", "cameras": [{"url": "synthetic://0"}]})").arg(fsDir).toUtf8());
  file.close();
  const Outcome outcome = run(&kiosk, {QStringLiteral("--config"), config});
  EXPECT_EQ(outcome.code, 1) << outcome.stderrText.toStdString();
  expectOneLine(outcome, QStringLiteral("no-fs-here"));
}

TEST(KioskExitCodes, AnFsItCannotCreateExits1WithOneLine) {
  // The default FS goes under XDG_DATA_HOME; here that lies under a regular file.
  KioskProcess kiosk;
  const QString blocker = kiosk.dir() + QStringLiteral("/a-file");
  QFile file(blocker);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.close();
  const Outcome outcome =
      run(&kiosk, {QStringLiteral("--fs-size"), QStringLiteral("4194304")},
          {QStringLiteral("XDG_DATA_HOME=") + blocker + QStringLiteral("/data")});
  EXPECT_EQ(outcome.code, 1) << outcome.stderrText.toStdString();
  expectOneLine(outcome, blocker);
  EXPECT_TRUE(QFileInfo(blocker).isFile());
}

// VALKKA_KIOSK_QML (README "The kiosk") loads the window from a file: a broken one cannot load.
// Qt names the file and the error; the kiosk's own line comes last, and the code is 1.
TEST(KioskExitCodes, AUserInterfaceThatCannotLoadExits1) {
  KioskProcess kiosk;
  const QString broken = kiosk.dir() + QStringLiteral("/broken.qml");
  ASSERT_TRUE(writeOwnFile(broken, "import QtQuick\nWindow { this is not QML }\n"));
  const Outcome outcome = run(&kiosk, {QStringLiteral("--fs-size"), QStringLiteral("4194304")},
                              {QStringLiteral("VALKKA_KIOSK_QML=") + broken});
  const std::string text = outcome.stderrText.toStdString();
  EXPECT_EQ(outcome.code, 1) << text;
  EXPECT_EQ(kioskLines(outcome.stderrText).toStdString(),
            "valkka-kiosk: the QML user interface failed to load\n")
      << text;
  EXPECT_TRUE(outcome.stderrText.contains(QStringLiteral("broken.qml:2"))) << text;
}

// The same switch with the kiosk's own Main.qml: the window loads from the file and runs.
TEST(KioskExitCodes, TheUserInterfaceLoadsFromTheFileTheSwitchNames) {
  KioskProcess kiosk;
  const QString png = kiosk.dir() + QStringLiteral("/wall.png");
  const Outcome outcome =
      run(&kiosk,
          {QStringLiteral("--fs-size"), QStringLiteral("4194304"), QStringLiteral("--screenshot"),
           png, QStringLiteral("--after"), QStringLiteral("1")},
          {QStringLiteral("VALKKA_KIOSK_QML=" VALKKA_KIOSK_MAIN_QML)});
  EXPECT_EQ(outcome.code, 0) << outcome.stderrText.toStdString();
  EXPECT_TRUE(QFileInfo(png).isFile());
}

// A key the config reader does not know is named on stderr as `valkka record` names it, and the
// kiosk runs with the rest.
TEST(KioskExitCodes, UnknownConfigKeysAreNamedAndTheKioskRuns) {
  KioskProcess kiosk;
  const QString config = kiosk.dir() + QStringLiteral("/cameras.json");
  ASSERT_TRUE(writeOwnFile(
      config, QStringLiteral(R"({"colour": "blue", "fs": {"dir": "%1", "create": {"blocks": 8}},
      "cameras": [{"url": "synthetic://0", "zoom": 2}]})")
                  .arg(kiosk.dir() + QStringLiteral("/fs"))
                  .toUtf8()));
  const QString png = kiosk.dir() + QStringLiteral("/wall.png");
  const Outcome outcome =
      run(&kiosk, {QStringLiteral("--config"), config, QStringLiteral("--screenshot"), png,
                   QStringLiteral("--after"), QStringLiteral("1")});
  EXPECT_EQ(outcome.code, 0) << outcome.stderrText.toStdString();
  EXPECT_EQ(kioskLines(outcome.stderrText).toStdString(),
            QStringLiteral("valkka-kiosk: config %1: colour: unknown key, ignored\n"
                           "valkka-kiosk: config %1: cameras[0].zoom: unknown key, ignored\n"
                           "valkka-kiosk: screenshot %2\n")
                .arg(config, png)
                .toStdString());
  EXPECT_TRUE(QFileInfo(png).isFile());
}
