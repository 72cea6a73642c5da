/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Real X input for the kiosk's window under Xvfb, through xdotool (XTEST: the events reach the
// kiosk as a user's keyboard and mouse would, not as synthetic XSendEvent ones). Coordinates are
// window pixels, as the kiosk's state reports its items. Every xdotool run is bounded.
#pragma once

#include <QString>
#include <QStringList>

class XInput {
 public:
  // Waits (bounded) for the kiosk process `pid`'s visible window; false when none appeared.
  bool findWindow(qint64 pid, int timeoutMs);
  QString window() const { return window_; }
  // Gives the window the keyboard focus (there is no window manager to do it on a click).
  bool focus();
  // One key press and release, by X keysym name ("space", "Left", "l", "Escape", "1").
  bool key(const QString &keysym);
  // Moves the pointer to (x, y) in the window and clicks `button` `count` times (1 left,
  // 4 / 5 the wheel up / down, 6 / 7 sideways); count 2 is a double-click.
  bool click(int x, int y, int button = 1, int count = 1);
  // Presses the left button at `from`, moves to `to` in `steps` equal moves, releases.
  bool drag(int fromX, int fromY, int toX, int toY, int steps);
  // The same drag with a modifier key held throughout, by keysym name ("shift").
  bool dragHolding(const QString &modifier, int fromX, int fromY, int toX, int toY, int steps);
  // Moves the pointer to (x, y) in the window, no button.
  bool moveTo(int x, int y);
  // What the last failed xdotool run printed, for the test's message.
  QString lastError() const { return error_; }

 private:
  bool run(const QStringList &args, QString *out = nullptr);

  QString window_;
  QString error_;
};
