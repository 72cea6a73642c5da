/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A `valkka record` process for the kiosk's viewer tests: it records into an FS it is given (made
// first: 64 blocks of 1 MiB), stopped with the test.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

class Recorder {
 public:
  // Records four synthetic cameras into `fs` unless `args` (after `valkka record`) say otherwise.
  explicit Recorder(const QString &fs, QStringList args = {});
  ~Recorder() { stop(); }
  bool running();
  // Until the FS holds four streams, at most 30 s.
  bool waitForStreams();
  // The streams of the FS (-1 when it does not open).
  int streams();
  // SIGKILL: a recorder that dies without a word.
  void kill();
  // SIGTERM, then its exit code (-1 when it had to be killed or crashed).
  int stop();

 private:
  QString fs_;
  bool created_ = false;
  QProcess process_;
};
