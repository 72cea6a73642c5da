/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Touch gestures for --test-control. Xvfb has no touch screen, so these come from a touch screen
// device registered through Qt's public test API (QTest::createTouchDevice) and enter as the
// platform's touch events do (QTest::touchEvent): Qt's own delivery takes them to the QML
// handlers (the timeline's PinchHandler, the tiles' TapHandler) like a user's fingers.
#pragma once

#include <QEventPoint>
#include <QObject>
#include <QPoint>

#include <functional>

class QPointingDevice;
class QQuickWindow;

class TouchInput : public QObject {
  Q_OBJECT
 public:
  explicit TouchInput(QQuickWindow *window, QObject *parent = nullptr);

  // Two fingers on a horizontal line through `centre`, `from` px apart, moved to `to` px apart
  // in `steps` equal moves, then lifted; `done` runs after the lift. Qt Quick holds touch moves
  // back to the next frame and merges those of one frame, so each move waits for two frames:
  // the handler sees every move, as it would see a finger's.
  void pinch(QPoint centre, int from, int to, int steps, std::function<void()> done);
  // Two taps at `at` (window pixels), at once: well within the double-click interval.
  void doubleTap(QPoint at);

 private:
  void fingersAt(int distance, QEventPoint::State state);
  void frameSwapped();

  QQuickWindow *window_;
  QPointingDevice *device_;
  // The pinch under way (while done_ is set): its centre, distances, moves and frames to wait.
  QPoint centre_;
  int from_ = 0;
  int to_ = 0;
  int steps_ = 0;
  int step_ = 0;
  int framesToWait_ = 0;
  std::function<void()> done_;
};
