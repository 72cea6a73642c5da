/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Runs valkka-kiosk as a child process for one test: its own XDG_DATA_HOME in a temporary
// directory, optionally driven through --test-control (commands on stdin, one reply line each on
// stdout). The child dies with the test (PR_SET_PDEATHSIG) and is always reaped, so no kiosk is
// left running whatever happens.
#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>

class KioskProcess {
 public:
  KioskProcess();
  ~KioskProcess();

  // The directory the kiosk's XDG_DATA_HOME points at; also a scratch dir for the test.
  QString dir() const { return temp_.path(); }

  // Starts the kiosk with `args` (plus --test-control when `control`). `unset` names environment
  // variables to remove for the child (e.g. DISPLAY); `set` holds "NAME=value" ones to add.
  bool start(const QStringList &args, bool control, const QStringList &unset = {},
             const QStringList &set = {});
  qint64 pid() const { return process_.processId(); }
  // Waits for the kiosk to exit on its own; false on timeout.
  bool waitForExit(int timeoutMs);
  // The exit code, except that LeakSanitizer's own crash at exit (ASan builds; see
  // sanitizerCrashedAtExit) counts as 0: it is no leak report and says nothing of the kiosk.
  int exitCode();
  bool crashed() const { return process_.exitStatus() == QProcess::CrashExit; }
  QString standardError();

  // Sends a command and returns its reply line ("" when none came within timeoutMs).
  QString command(const QString &line, int timeoutMs = 15000);
  // "state" parsed; an empty object when it failed.
  QJsonObject state();
  // Polls state() every 100 ms until `ready` holds or timeoutMs passes; returns the last state.
  QJsonObject waitForState(const std::function<bool(const QJsonObject &)> &ready, int timeoutMs,
                           bool *ok);
  // quit, then wait; kills it when it does not go. Returns whether it went by itself with 0.
  bool quit(int timeoutMs = 20000);

 private:
  QTemporaryDir temp_;
  QProcess process_;
  QByteArray errors_;
};

// Path of the kiosk under test.
QString kioskPath();

// Every one of `tiles` tiles with at least `atLeast` pictures presented.
bool tilesPresented(const QJsonObject &state, int tiles, double atLeast);

// A click on the timeline `offsetMs` from now (the test control's seek-offset), then a wait (at
// most 15 s) until each of `tiles` tiles shows its picture at the time the click chose
// (tilesShowTime). Returns that time, 0 when the click did not seek; *state is the last state
// read, *ok whether the tiles showed it.
double seekAndWaitForTiles(KioskProcess &kiosk, int offsetMs, int tiles, QJsonObject *state,
                           bool *ok);
// The same after `command`, any test-control command that replies "ok seek TARGET_MS" (a
// drag-release, say).
double seekAndWaitForTiles(KioskProcess &kiosk, const QString &command, int tiles,
                           QJsonObject *state, bool *ok);

// waitForState, with a test failure (not fatal) naming `what` and the last state when `ready`
// did not come to hold within timeoutMs. Returns the last state.
QJsonObject expectState(KioskProcess &kiosk, const std::function<bool(const QJsonObject &)> &ready,
                        int timeoutMs, const QString &what);

// The directory screenshots worth keeping go to (shots/ under the test's working directory,
// build/tests/kiosk under ctest), created; "" when it cannot be.
QString shotsDir();
