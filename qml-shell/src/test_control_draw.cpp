/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The test control's commands of the timeline's drawing (bench/timeline): a view set outright,
// and the time from a change of the lanes to the frame that shows it on screen.
#include <QElapsedTimer>
#include <QQuickItem>
#include <QQuickWindow>

#include <atomic>
#include <memory>

#include "kiosk.h"
#include "test_control.h"
#include "timeline_model.h"
#include "wall_state.h"

namespace {

// Bars the lanes drew (RangeStrip's count), over the lanes shown.
int drawnBars(QQuickItem *item) {
  int bars = 0;
  for (QQuickItem *child : item->childItems()) {
    if (!child->isVisible()) continue;
    if (child->objectName() == QStringLiteral("rangeStrip"))
      bars += child->property("bars").toInt();
    else
      bars += drawnBars(child);
  }
  return bars;
}

}  // namespace

bool TestControl::runDraw(const QByteArray &command, const QString &arg) {
  if (command != "view" && command != "draw-time") return false;
  QQuickItem *timeline = findNamed(window_->contentItem(), QStringLiteral("timeline"));
  if (!timeline) {
    reply("error no timeline");
    return true;
  }
  const QStringList a = arg.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  if (command == "view") {
    // As zooming and panning until the view is FROM .. TO, the playhead left where it is.
    if (a.size() != 2 || a[1].toDouble() <= a[0].toDouble()) {
      reply("error view FROM_MS TO_MS");
      return true;
    }
    timeline->setProperty("follow", false);
    timeline->setProperty("span", a[1].toDouble() - a[0].toDouble());
    timeline->setProperty("viewEnd", a[1].toDouble());
    reply("ok view " + arg.toUtf8());
    return true;
  }
  // draw-time [wheel DY]: the clock runs from the change (the model re-read from the FS and its
  // lanes made anew, as at the start; or a wheel turn over the lanes) to the swap of the first
  // frame synchronised after it. The render thread tells both; the reply goes from this thread.
  const bool wheel = a.size() == 2 && a[0] == QStringLiteral("wheel");
  if (!a.isEmpty() && !wheel) {
    reply("error draw-time [wheel DY]");
    return true;
  }
  auto clock = std::make_shared<QElapsedTimer>();
  auto synced = std::make_shared<std::atomic<bool>>(false);
  auto swapped = std::make_shared<std::atomic<bool>>(false);
  auto links = std::make_shared<std::vector<QMetaObject::Connection>>();
  clock->start();
  links->push_back(connect(
      window_, &QQuickWindow::afterSynchronizing, this, [synced] { synced->store(true); },
      Qt::DirectConnection));
  links->push_back(connect(
      window_, &QQuickWindow::frameSwapped, this,
      [this, clock, synced, swapped, links, timeline] {
        if (!synced->load() || swapped->exchange(true)) return;
        const double ms = static_cast<double>(clock->nsecsElapsed()) / 1e6;
        QMetaObject::invokeMethod(
            this,
            [this, ms, links, timeline] {
              for (const QMetaObject::Connection &link : *links) disconnect(link);
              reply("ok draw-time " + QByteArray::number(ms, 'f', 2) + ' ' +
                    QByteArray::number(drawnBars(timeline)));
            },
            Qt::QueuedConnection);
      },
      Qt::DirectConnection));
  if (wheel) {
    const double middle = timeline->property("labelWidth").toDouble() +
                          timeline->property("trackWidth").toDouble() / 2;
    QMetaObject::invokeMethod(timeline, "wheelAt", Q_ARG(QVariant, 0.0),
                              Q_ARG(QVariant, a[1].toDouble()), Q_ARG(QVariant, middle));
  } else {
    kiosk_->timeline()->reload();
  }
  window_->update();
  return true;
}
