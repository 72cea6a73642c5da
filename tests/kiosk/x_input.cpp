/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "x_input.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QThread>

namespace {

constexpr int kRunTimeoutMs = 10000;
// Two clicks of a double-click: well inside Qt's 400 ms double-click interval.
constexpr int kDoubleClickDelayMs = 80;

}  // namespace

bool XInput::run(const QStringList &args, QString *out) {
  QProcess xdotool;
  xdotool.start(QStringLiteral("xdotool"), args);
  if (!xdotool.waitForFinished(kRunTimeoutMs)) {
    xdotool.kill();
    xdotool.waitForFinished();
    error_ = QStringLiteral("xdotool %1: no exit").arg(args.join(QLatin1Char(' ')));
    return false;
  }
  if (out) *out = QString::fromUtf8(xdotool.readAllStandardOutput()).trimmed();
  if (xdotool.exitStatus() == QProcess::NormalExit && xdotool.exitCode() == 0) return true;
  error_ = QStringLiteral("xdotool %1: exit %2: %3")
               .arg(args.join(QLatin1Char(' ')))
               .arg(xdotool.exitCode())
               .arg(QString::fromUtf8(xdotool.readAllStandardError()));
  return false;
}

bool XInput::findWindow(qint64 pid, int timeoutMs) {
  QElapsedTimer clock;
  clock.start();
  for (;;) {
    QString out;
    // Exit 1 while nothing matches; Qt's hidden helper windows are not "visible".
    if (run({QStringLiteral("search"), QStringLiteral("--onlyvisible"), QStringLiteral("--pid"),
             QString::number(pid)},
            &out) &&
        !out.isEmpty()) {
      window_ = out.split(QLatin1Char('\n')).first();
      return true;
    }
    if (clock.elapsed() > timeoutMs) return false;
    QThread::msleep(100);
  }
}

bool XInput::focus() {
  return run({QStringLiteral("windowfocus"), QStringLiteral("--sync"), window_});
}

bool XInput::key(const QString &keysym) {
  return run({QStringLiteral("key"), QStringLiteral("--clearmodifiers"), keysym});
}

bool XInput::moveTo(int x, int y) {
  return run({QStringLiteral("mousemove"), QStringLiteral("--window"), window_, QString::number(x),
              QString::number(y)});
}

bool XInput::click(int x, int y, int button, int count) {
  return moveTo(x, y) && run({QStringLiteral("click"), QStringLiteral("--repeat"),
                              QString::number(count), QStringLiteral("--delay"),
                              QString::number(kDoubleClickDelayMs), QString::number(button)});
}

bool XInput::drag(int fromX, int fromY, int toX, int toY, int steps) {
  if (!moveTo(fromX, fromY) || !run({QStringLiteral("mousedown"), QStringLiteral("1")}))
    return false;
  for (int i = 1; i <= steps; i++)
    if (!moveTo(fromX + (toX - fromX) * i / steps, fromY + (toY - fromY) * i / steps)) return false;
  return run({QStringLiteral("mouseup"), QStringLiteral("1")});
}

bool XInput::dragHolding(const QString &modifier, int fromX, int fromY, int toX, int toY,
                         int steps) {
  if (!run({QStringLiteral("keydown"), modifier})) return false;
  const bool dragged = drag(fromX, fromY, toX, toY, steps);
  // Released whatever the drag did: a modifier left down would change every later event.
  return run({QStringLiteral("keyup"), modifier}) && dragged;
}
