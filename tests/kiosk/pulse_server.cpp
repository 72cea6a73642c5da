/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pulse_server.h"

#include <QProcessEnvironment>
#include <QThread>

#include <signal.h>
#include <sys/prctl.h>

namespace {

// pactl info is tried this often, at most this many times, while the server starts.
constexpr int kPollMs = 100;
constexpr int kPolls = 100;

}  // namespace

PulseServer::~PulseServer() {
  if (server_.state() == QProcess::NotRunning) return;
  server_.terminate();
  if (!server_.waitForFinished(5000)) {
    server_.kill();
    server_.waitForFinished(5000);
  }
}

QString PulseServer::clientEnvironment() const {
  return QStringLiteral("PULSE_SERVER=unix:") + socket();
}

bool PulseServer::start(QString *error) {
  if (!dir_.isValid()) {
    *error = QStringLiteral("no temporary directory");
    return false;
  }
  // Its own home and runtime directory: nothing of a desktop session is used or touched.
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("HOME"), dir_.path());
  env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir_.path());
  env.insert(QStringLiteral("PULSE_RUNTIME_PATH"), dir_.path() + QStringLiteral("/runtime"));
  env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
  server_.setProcessEnvironment(env);
  server_.setProcessChannelMode(QProcess::MergedChannels);
  server_.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  server_.start(
      QStringLiteral("pulseaudio"),
      {QStringLiteral("-n"), QStringLiteral("--daemonize=no"),
       QStringLiteral("--exit-idle-time=-1"), QStringLiteral("--use-pid-file=no"),
       QStringLiteral("--disallow-module-loading"), QStringLiteral("-L"),
       QStringLiteral("module-null-sink"), QStringLiteral("-L"),
       QStringLiteral("module-native-protocol-unix socket=%1 auth-anonymous=1").arg(socket())});
  if (!server_.waitForStarted(10000)) {
    *error = QStringLiteral("pulseaudio did not start: %1").arg(server_.errorString());
    return false;
  }
  QProcessEnvironment client = env;
  client.insert(QStringLiteral("PULSE_SERVER"), QStringLiteral("unix:") + socket());
  for (int i = 0; i < kPolls; i++) {
    if (server_.state() == QProcess::NotRunning) break;
    QProcess info;
    info.setProcessEnvironment(client);
    info.start(QStringLiteral("pactl"), {QStringLiteral("info")});
    if (info.waitForFinished(5000) && info.exitStatus() == QProcess::NormalExit &&
        info.exitCode() == 0)
      return true;
    QThread::msleep(kPollMs);
  }
  *error = QStringLiteral("pulseaudio never answered: %1")
               .arg(QString::fromLocal8Bit(server_.readAll()));
  return false;
}

QByteArray PulseServer::record(int ms, int rate) {
  QProcess parec;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("PULSE_SERVER"), QStringLiteral("unix:") + socket());
  parec.setProcessEnvironment(env);
  parec.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  parec.start(QStringLiteral("parec"),
              {QStringLiteral("-d"), QStringLiteral("null.monitor"), QStringLiteral("--raw"),
               QStringLiteral("--format=s16le"), QStringLiteral("--channels=1"),
               QStringLiteral("--rate=%1").arg(rate), QStringLiteral("--latency-msec=20")});
  if (!parec.waitForStarted(5000)) return {};
  // parec records until stopped: what came within `ms` is the recording.
  parec.waitForFinished(ms);
  QByteArray out = parec.readAllStandardOutput();
  parec.terminate();
  if (!parec.waitForFinished(5000)) {
    parec.kill();
    parec.waitForFinished(5000);
  }
  return out + parec.readAllStandardOutput();
}
