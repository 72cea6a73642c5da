/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pointer_idle.h"

#include <QCoreApplication>
#include <QEvent>
#include <QQuickWindow>

PointerIdle::PointerIdle(QQuickWindow *window, QObject *parent) : QObject(parent), window_(window) {
  idle_.setSingleShot(true);
  idle_.setInterval(kPointerIdleMs);
  connect(&idle_, &QTimer::timeout, this, &PointerIdle::leave);
  window_->installEventFilter(this);
  idle_.start();  // a pointer already over the window when it opened sends no move
}

bool PointerIdle::eventFilter(QObject *watched, QEvent *event) {
  switch (event->type()) {
    case QEvent::Enter:
    case QEvent::MouseMove:
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::Wheel:
    case QEvent::TabletMove: idle_.start(); break;
    default: break;
  }
  return QObject::eventFilter(watched, event);
}

void PointerIdle::leave() {
  QEvent leave(QEvent::Leave);
  QCoreApplication::sendEvent(window_, &leave);
}
