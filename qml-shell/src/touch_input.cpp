/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "touch_input.h"

#include <QPointingDevice>
#include <QQuickWindow>
#include <QtTest/qtesttouch.h>

#include <utility>

namespace {
// Frames each move waits for: one may already be past the point where Qt Quick delivers the
// held-back moves, the next is not.
constexpr int kFramesPerMove = 2;
}  // namespace

TouchInput::TouchInput(QQuickWindow *window, QObject *parent)
    : QObject(parent), window_(window), device_(QTest::createTouchDevice()) {
  // QTest registers the device and never deletes it: it goes with this object, which unregisters
  // it (and frees what Qt Quick keeps per device), so the kiosk leaks nothing at exit.
  device_->setParent(this);
  // Emitted on the render thread: queued, so the next move starts on the GUI thread.
  connect(window_, &QQuickWindow::frameSwapped, this, &TouchInput::frameSwapped,
          Qt::QueuedConnection);
}

// Both fingers in each event, as a touch screen reports every finger down. No processEvents in
// commit: the delivery is synchronous, and the test channel must not be read again meanwhile.
void TouchInput::fingersAt(int distance, QEventPoint::State state) {
  const QPoint left = centre_ - QPoint(distance / 2, 0);
  const QPoint right = centre_ + QPoint(distance - distance / 2, 0);
  QTest::QTouchEventSequence sequence = QTest::touchEvent(window_, device_, false);
  if (state == QEventPoint::Pressed)
    sequence.press(0, left).press(1, right);
  else if (state == QEventPoint::Released)
    sequence.release(0, left).release(1, right);
  else
    sequence.move(0, left).move(1, right);
  sequence.commit(false);
}

void TouchInput::pinch(QPoint centre, int from, int to, int steps, std::function<void()> done) {
  centre_ = centre;
  from_ = from;
  to_ = to;
  steps_ = steps;
  step_ = 0;
  done_ = std::move(done);
  fingersAt(from_, QEventPoint::Pressed);
  framesToWait_ = kFramesPerMove;
  window_->update();
}

// The moves, each after kFramesPerMove frames, then the lift where the last move ended.
void TouchInput::frameSwapped() {
  if (!done_ || --framesToWait_ > 0) return;
  if (++step_ <= steps_) {
    fingersAt(from_ + (to_ - from_) * step_ / steps_, QEventPoint::Updated);
    framesToWait_ = kFramesPerMove;
    window_->update();
    return;
  }
  fingersAt(to_, QEventPoint::Released);
  std::exchange(done_, nullptr)();
}

void TouchInput::doubleTap(QPoint at) {
  for (int tap = 0; tap < 2; ++tap) {
    QTest::touchEvent(window_, device_, false).press(0, at).commit(false);
    QTest::touchEvent(window_, device_, false).release(0, at).commit(false);
  }
}
