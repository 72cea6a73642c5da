/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The test control's commands for finding a moment (jumps, go-to, calendar) and for many cameras
// (pages, the camera list, the timeline collapsed): each calls the QML function its button, key
// or field calls (test_control.h lists them).
#include <QQuickItem>
#include <QQuickWindow>

#include "kiosk.h"
#include "test_control.h"
#include "wall_state.h"

namespace {

QVariant call(QObject *item, const char *function, const QVariant &arg) {
  QVariant result;
  QMetaObject::invokeMethod(item, function, Q_RETURN_ARG(QVariant, result), Q_ARG(QVariant, arg));
  return result;
}

QByteArray number(double value) { return QByteArray::number(value, 'f', 0); }

}  // namespace

bool TestControl::runMoment(const QByteArray &command, const QString &arg) {
  static const QByteArrayList commands{"page", "pick",     "cameras",      "jump",
                                       "goto", "calendar", "calendar-day", "collapse"};
  if (!commands.contains(command)) return false;
  QQuickItem *root = window_->contentItem();
  QQuickItem *bar = findNamed(root, QStringLiteral("momentBar"));
  QQuickItem *wall = findNamed(root, QStringLiteral("wall"));
  QQuickItem *timeline = findNamed(root, QStringLiteral("timeline"));
  QQuickItem *panel = findNamed(root, QStringLiteral("cameraPanel"));
  if (!bar || !wall || !timeline || !panel) {
    reply("error the moment bar, wall, timeline or camera list is missing");
    return true;
  }
  const QByteArray position = number(kiosk_->playback()->position());
  if (command == "page") {
    QMetaObject::invokeMethod(window_, "turnPage", Q_ARG(QVariant, arg.toInt()));
    reply("ok page " + QByteArray::number(wall->property("page").toInt() + 1) + "/" +
          QByteArray::number(wall->property("pages").toInt()));
  } else if (command == "pick") {
    const QStringList a = arg.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (a.size() != 2) {
      reply("error pick SLOT CAMERA");
      return true;
    }
    QMetaObject::invokeMethod(panel, "pick", Q_ARG(QVariant, a[0].toInt()),
                              Q_ARG(QVariant, a[1].toInt()));
    reply("ok pick " + arg.toUtf8());
  } else if (command == "cameras") {
    panel->setVisible(!panel->isVisible());  // as the C key
    reply(panel->isVisible() ? "ok cameras shown" : "ok cameras hidden");
  } else if (command == "jump") {
    call(bar, "jump", arg.toDouble());
    reply("ok jump " + number(kiosk_->playback()->position()));
  } else if (command == "goto") {
    if (call(bar, "goTo", arg).toBool())
      reply("ok goto " + number(kiosk_->playback()->position()));
    else
      reply("error " + bar->property("goToError").toString().toUtf8());
  } else if (command == "calendar") {
    QMetaObject::invokeMethod(bar, "toggleCalendar");
    reply(bar->property("calendarOpen").toBool() ? "ok calendar open" : "ok calendar closed");
  } else if (command == "calendar-day") {
    if (call(bar, "pickCalendarDay", arg.toInt()).toBool())
      reply("ok calendar-day " + number(kiosk_->playback()->position()));
    else
      reply("error no recording on day " + arg.toUtf8() + " (at " + position + ")");
  } else {
    timeline->setProperty("collapsed", !timeline->property("collapsed").toBool());  // the T key
    reply(timeline->property("collapsed").toBool() ? "ok collapse on" : "ok collapse off");
  }
  return true;
}
