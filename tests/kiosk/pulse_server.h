/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A PulseAudio server of the test's own (Debian's pulseaudio, from ci/deps.sh): one null sink,
// reached through a Unix socket in a temporary directory, so the kiosk has a real sound output
// on any machine, headless ones included. What the kiosk plays into the sink can be recorded
// from its monitor. The server dies with the test (PR_SET_PDEATHSIG) and is always reaped.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

class PulseServer {
 public:
  PulseServer() = default;
  ~PulseServer();
  PulseServer(const PulseServer &) = delete;
  PulseServer &operator=(const PulseServer &) = delete;

  // Starts the server and waits (bounded) until it answers; false with `error` set.
  bool start(QString *error);
  // "PULSE_SERVER=unix:..." for a client's environment.
  QString clientEnvironment() const;
  // `ms` of what the null sink plays, as mono s16 at `rate` Hz (parec from its monitor).
  QByteArray record(int ms, int rate);

 private:
  QString socket() const { return dir_.path() + QStringLiteral("/native"); }
  QTemporaryDir dir_;
  QProcess server_;
};
