/* SPDX-License-Identifier: LGPL-2.1-or-later */
// --screenshot FILE --after S: grabs the window at S seconds after start (as many as given),
// and quits once the last is written (exit code 1 if any failed).
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

class QQuickWindow;
class Kiosk;

class ScreenshotSchedule : public QObject {
  Q_OBJECT
 public:
  ScreenshotSchedule(QQuickWindow *window, const Kiosk *kiosk, QObject *parent = nullptr);
  // Starts the timers now. Nothing happens for an empty list.
  void start(const QStringList &files, const QList<double> &afterSeconds);

 private:
  void take(const QString &file);

  QQuickWindow *window_;
  const Kiosk *kiosk_;
  int pending_ = 0;
  bool failed_ = false;
};
