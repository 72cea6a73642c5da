/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kiosk_process.h"

#include "wall_check.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QThread>

#include <gtest/gtest.h>

#include <csignal>
#include <sys/prctl.h>

QString kioskPath() { return QStringLiteral(VALKKA_KIOSK_PATH); }

KioskProcess::KioskProcess() { process_.setProcessChannelMode(QProcess::SeparateChannels); }

KioskProcess::~KioskProcess() {
  if (process_.state() != QProcess::NotRunning) {
    process_.kill();
    process_.waitForFinished(10000);
  }
}

bool KioskProcess::start(const QStringList &args, bool control, const QStringList &unset,
                         const QStringList &set) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("XDG_DATA_HOME"), temp_.path() + QStringLiteral("/data"));
  for (const QString &name : unset) env.remove(name);
  for (const QString &pair : set)
    env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
  // ASan builds: libraries the kiosk must keep loaded so LeakSanitizer can see into them (see
  // tests/kiosk/CMakeLists.txt); for the kiosk only, not for own_xvfb.sh or the X server.
  const QString preload = env.value(QStringLiteral("VALKKA_KIOSK_TEST_PRELOAD"));
  if (!preload.isEmpty()) env.insert(QStringLiteral("LD_PRELOAD"), preload);
  process_.setProcessEnvironment(env);
  // If the test process dies, so does the kiosk.
  process_.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  QStringList all = args;
  if (control) all << QStringLiteral("--test-control");
  process_.start(kioskPath(), all);
  return process_.waitForStarted(10000);
}

bool KioskProcess::waitForExit(int timeoutMs) { return process_.waitForFinished(timeoutMs); }

QString KioskProcess::standardError() {
  errors_ += process_.readAllStandardError();
  return QString::fromUtf8(errors_);
}

QString KioskProcess::command(const QString &line, int timeoutMs) {
  if (process_.state() != QProcess::Running) return QString();
  process_.write(line.toUtf8() + '\n');
  process_.waitForBytesWritten(timeoutMs);
  QElapsedTimer clock;
  clock.start();
  while (!process_.canReadLine()) {
    // The kiosk's stderr must not fill its pipe while we wait on stdout.
    errors_ += process_.readAllStandardError();
    const int left = timeoutMs - static_cast<int>(clock.elapsed());
    if (left <= 0 || process_.state() != QProcess::Running) return QString();
    process_.waitForReadyRead(qMin(left, 200));
  }
  return QString::fromUtf8(process_.readLine()).trimmed();
}

QJsonObject KioskProcess::state() {
  const QString reply = command(QStringLiteral("state"));
  if (!reply.startsWith(QStringLiteral("state "))) return {};
  return QJsonDocument::fromJson(reply.mid(6).toUtf8()).object();
}

QJsonObject KioskProcess::waitForState(const std::function<bool(const QJsonObject &)> &ready,
                                       int timeoutMs, bool *ok) {
  QElapsedTimer clock;
  clock.start();
  QJsonObject last;
  for (;;) {
    last = state();
    if (!last.isEmpty() && ready(last)) {
      *ok = true;
      return last;
    }
    if (clock.elapsed() > timeoutMs || process_.state() != QProcess::Running) {
      *ok = false;
      return last;
    }
    QThread::msleep(100);
  }
}

int KioskProcess::exitCode() {
  errors_ += process_.readAllStandardError();
  return process_.exitCode();
}

bool KioskProcess::quit(int timeoutMs) {
  if (process_.state() == QProcess::NotRunning) return exitCode() == 0;
  command(QStringLiteral("quit"), 5000);
  process_.closeWriteChannel();
  if (!process_.waitForFinished(timeoutMs)) {
    process_.kill();
    process_.waitForFinished(10000);
    return false;
  }
  return process_.exitStatus() == QProcess::NormalExit && exitCode() == 0;
}

bool tilesPresented(const QJsonObject &state, int tiles, double atLeast) {
  const QJsonArray shown = state.value(QStringLiteral("tiles")).toArray();
  for (const QJsonValue &t : shown)
    if (t.toObject().value(QStringLiteral("presented")).toDouble() < atLeast) return false;
  return shown.size() == tiles;
}

double seekAndWaitForTiles(KioskProcess &kiosk, int offsetMs, int tiles, QJsonObject *state,
                           bool *ok) {
  return seekAndWaitForTiles(kiosk, QStringLiteral("seek-offset %1").arg(offsetMs), tiles, state,
                             ok);
}

double seekAndWaitForTiles(KioskProcess &kiosk, const QString &command, int tiles,
                           QJsonObject *state, bool *ok) {
  *ok = false;
  const QString reply = kiosk.command(command);
  if (!reply.startsWith(QStringLiteral("ok seek "))) return 0;
  const double target = reply.mid(8).toDouble();
  *state = kiosk.waitForState(
      [target, tiles](const QJsonObject &s) { return tilesShowTime(s, target, tiles); }, 15000, ok);
  return target;
}

QJsonObject expectState(KioskProcess &kiosk, const std::function<bool(const QJsonObject &)> &ready,
                        int timeoutMs, const QString &what) {
  bool ok = false;
  const QJsonObject s = kiosk.waitForState(ready, timeoutMs, &ok);
  EXPECT_TRUE(ok) << what.toStdString() << ": "
                  << QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString();
  return s;
}

QString shotsDir() {
  const QString dir = QDir::current().absoluteFilePath(QStringLiteral("shots"));
  return QDir().mkpath(dir) ? dir : QString();
}
