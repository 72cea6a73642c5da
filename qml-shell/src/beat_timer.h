/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A periodic timeout for what changes the window between pictures: the tiles' overlays, the
// timeline's view and ranges. Each change the window draws is a drawing of the whole wall, so
// once the kiosk has its beat (live_pace.h) these time out on it: their changes go into the frame
// of the beat's pictures instead of frames of their own. Without software drawing that does not
// matter; with it (Xvfb, llvmpipe), separate timers made a third of the wall's frames.
// GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class BeatTimer : public QObject {
  Q_OBJECT

 public:
  explicit BeatTimer(int periodMs, QObject *parent = nullptr);

  void start();
  void stop();
  // From now on, times out at the first timeout of `beat` at or after each period (less half a
  // beat, so a beat's jitter does not skip one), not on a timer of its own. `beat` may go away:
  // then the own timer takes over again.
  void follow(QTimer *beat);
  // Times out at the next beat (at once without one), then keeps its period from there: for a
  // change that should show soon, but in the beat's frame.
  void fireSoon();

 signals:
  void timeout();

 private:
  void onBeat();
  void fire();

  const int periodMs_;
  QTimer own_;
  QPointer<QTimer> beat_;
  QMetaObject::Connection beatConnection_, goneConnection_;
  QElapsedTimer since_;  // since the last timeout
  bool active_ = false;
  bool soon_ = false;
};
