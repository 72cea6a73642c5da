/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A mouse left alone over the window leaves it, as far as Qt Quick knows: once no pointer event
// has come for kPointerIdleMs the window gets a Leave, which ends its hover (the tiles' controls,
// tooltips, the timeline's pointer readout) and Qt Quick's hover delivered again at every frame.
//
// Why: Qt 6.4 (Debian 12's) appends every HoverHandler that a frame's hover visits to a list
// that this hover never empties (QTBUG-135975, mended in later Qt). A wall whose pointer rests on
// it draws 25 and more frames a second for months: in 25 minutes of 16 cameras the list held over
// 4 MiB (heaptrack, bench/wall/README.md) and went on growing. The next real move of the mouse
// brings the hover back.
#pragma once

#include <QObject>
#include <QTimer>

class QQuickWindow;

class PointerIdle : public QObject {
  Q_OBJECT

 public:
  static constexpr int kPointerIdleMs = 10000;

  explicit PointerIdle(QQuickWindow *window, QObject *parent = nullptr);

 protected:
  bool eventFilter(QObject *watched, QEvent *event) override;

 private:
  void leave();

  QQuickWindow *window_;
  QTimer idle_;
};
