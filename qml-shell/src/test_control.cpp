/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test_control.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSocketNotifier>
#include <QStyleHints>

#include <cstdio>
#include <unistd.h>

#include "frame_image.h"
#include "kiosk.h"
#include "touch_input.h"
#include "wall_state.h"

namespace {

QQuickItem *findItem(QQuickItem *item, const QString &name) {
  for (QQuickItem *child : item->childItems()) {
    if (child->objectName() == name) return child;
    if (QQuickItem *found = findItem(child, name)) return found;
  }
  return nullptr;
}

QQuickItem *findTile(QQuickItem *item, int index) {
  for (QQuickItem *child : item->childItems()) {
    if (child->objectName() == QStringLiteral("tile") &&
        child->property("cameraIndex").toInt() == index)
      return child;
    if (QQuickItem *found = findTile(child, index)) return found;
  }
  return nullptr;
}

}  // namespace

TestControl::TestControl(QQuickWindow *window, const Kiosk *kiosk, QObject *parent)
    : QObject(parent), window_(window), kiosk_(kiosk) {}

void TestControl::start() {
  notifier_ = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
  connect(notifier_, &QSocketNotifier::activated, this, &TestControl::readInput);
}

void TestControl::readInput() {
  char buffer[4096];
  const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
  if (n <= 0) {
    notifier_->setEnabled(false);
    QCoreApplication::quit();
    return;
  }
  pending_.append(buffer, static_cast<int>(n));
  for (qsizetype eol; (eol = pending_.indexOf('\n')) >= 0;) {
    const QByteArray line = pending_.left(eol).trimmed();
    pending_.remove(0, eol + 1);
    if (!line.isEmpty()) run(line);
  }
}

namespace {

// What the lanes draw, as the timeline model gives it to them (its ranges role), after a
// refresh: [{"name": NAME, "ranges": [[START_MS, END_MS], ...]}, ...].
QJsonArray laneRanges(TimelineModel *model) {
  QJsonArray lanes;
  if (!model) return lanes;
  model->refresh();
  for (int row = 0; row < model->rowCount(); row++) {
    const QModelIndex index = model->index(row);
    QJsonArray ranges;
    for (const QVariant &r : model->data(index, TimelineModel::RangesRole).toList()) {
      const QVariantMap m = r.toMap();
      ranges.append(QJsonArray{m.value(QStringLiteral("start")).toDouble(),
                               m.value(QStringLiteral("end")).toDouble()});
    }
    lanes.append(QJsonObject{{QStringLiteral("name"),
                              model->data(index, TimelineModel::NameRole).toString()},
                             {QStringLiteral("ranges"), ranges}});
  }
  return lanes;
}

}  // namespace

void TestControl::reply(const QByteArray &line) {
  std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

TouchInput *TestControl::touch() {
  if (!touch_) touch_ = new TouchInput(window_, this);
  return touch_;
}

void TestControl::run(const QByteArray &line) {
  const qsizetype space = line.indexOf(' ');
  const QByteArray command = space < 0 ? line : line.left(space);
  const QString arg = space < 0 ? QString() : QString::fromUtf8(line.mid(space + 1));
  QQuickItem *root = window_->contentItem();

  if (command == "screenshot") {
    QString error;
    reply(saveScreenshot(window_, kiosk_, arg, &error) ? "ok screenshot " + arg.toUtf8()
                                                       : "error " + error.toUtf8());
  } else if (command == "state") {
    reply("state " + QJsonDocument(wallState(window_, kiosk_)).toJson(QJsonDocument::Compact));
  } else if (command == "seek-offset" || command == "drag-offset") {
    QQuickItem *timeline = findItem(root, QStringLiteral("timeline"));
    if (!timeline) return reply("error no timeline");
    const double target = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) + arg.toDouble();
    // As a click (a drag's release), or the mouse pressed or moved there in a drag: the x of that
    // time on the timeline, then the mouse handler's own function.
    const bool click = command == "seek-offset";
    QVariant x, seeked;
    QMetaObject::invokeMethod(timeline, "xForTime", Q_RETURN_ARG(QVariant, x),
                              Q_ARG(QVariant, target));
    QMetaObject::invokeMethod(timeline, click ? "pressAt" : "scrubAt",
                              Q_RETURN_ARG(QVariant, seeked), Q_ARG(QVariant, x));
    dragX_ = click ? -1 : x.toDouble();
    reply((click ? "ok seek " : "ok drag ") + QByteArray::number(seeked.toDouble(), 'f', 0));
  } else if (command == "drag-release") {
    // Where the mouse last moved, as a real release: the time under it, not one computed anew
    // from a clock that went on while the command travelled.
    QQuickItem *timeline = findItem(root, QStringLiteral("timeline"));
    if (!timeline) return reply("error no timeline");
    if (dragX_ < 0) return reply("error no drag");
    QVariant seeked;
    QMetaObject::invokeMethod(timeline, "pressAt", Q_RETURN_ARG(QVariant, seeked),
                              Q_ARG(QVariant, dragX_));
    dragX_ = -1;
    reply("ok seek " + QByteArray::number(seeked.toDouble(), 'f', 0));
  } else if (command == "live") {
    QMetaObject::invokeMethod(window_, "goLive");
    reply("ok live");
  } else if (command == "maximise") {
    QQuickItem *tile = findTile(root, arg.toInt());
    if (!tile) return reply("error no tile " + arg.toUtf8());
    QMetaObject::invokeMethod(tile, "toggleMaximise");
    reply("ok maximise " + arg.toUtf8());
  } else if (command == "sound") {
    QMetaObject::invokeMethod(window_, "toggleSound");
    reply(kiosk_->sound()->muted() ? "ok sound off" : "ok sound on");
  } else if (command == "touch-pinch") {
    const QStringList a = arg.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (a.size() != 5 || a[4].toInt() < 1) return reply("error touch-pinch X Y FROM TO STEPS");
    const QByteArray threshold =
        QByteArray::number(QGuiApplication::styleHints()->startDragDistance());
    touch()->pinch(QPoint(a[0].toInt(), a[1].toInt()), a[2].toInt(), a[3].toInt(), a[4].toInt(),
                   [this, threshold] { reply("ok touch-pinch " + threshold); });
  } else if (command == "touch-double-tap") {
    const QStringList a = arg.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (a.size() != 2) return reply("error touch-double-tap X Y");
    touch()->doubleTap(QPoint(a[0].toInt(), a[1].toInt()));
    reply("ok touch-double-tap");
  } else if (command == "toggle-play") {
    Playback *playback = kiosk_->playback();
    playback->togglePlay();  // as the Space key
    reply(playback->playing() ? "ok playing" : "ok paused");
  } else if (command == "wheel" || command == "pan") {
    QQuickItem *timeline = findItem(root, QStringLiteral("timeline"));
    if (!timeline) return reply("error no timeline");
    if (command == "pan") {
      // As a drag of the time axis by that many pixels.
      QMetaObject::invokeMethod(timeline, "pan", Q_ARG(QVariant, arg.toDouble()));
    } else {
      // As the wheel turned by that angle delta over the middle of the lanes.
      const double middle = timeline->property("labelWidth").toDouble() +
                            timeline->property("trackWidth").toDouble() / 2;
      QMetaObject::invokeMethod(timeline, "wheelAt", Q_ARG(QVariant, 0.0),
                                Q_ARG(QVariant, arg.toDouble()), Q_ARG(QVariant, middle));
    }
    reply("ok " + command + " " + arg.toUtf8());
  } else if (command == "speed") {
    kiosk_->playback()->setSpeed(arg.toDouble());  // as the speed box
    reply("ok speed " + QByteArray::number(kiosk_->playback()->speed()));
  } else if (command == "step") {
    kiosk_->playback()->stepForward();  // as the Step button and the Right key
    reply("ok step");
  } else if (command == "real-time") {
    kiosk_->gaps()->setRealTime(arg == QStringLiteral("on"));  // as the Real time button
    reply(kiosk_->gaps()->realTime() ? "ok real-time on" : "ok real-time off");
  } else if (command == "mark-in" || command == "mark-out") {
    // As the I and O keys at that time.
    WallExport *exporter = kiosk_->exporter();
    if (command == "mark-in")
      exporter->setMarkIn(arg.toDouble());
    else
      exporter->setMarkOut(arg.toDouble());
    reply("ok " + command + " " + arg.toUtf8());
  } else if (command == "export") {
    // As the export panel's button, the cameras on the wall chosen (its default).
    QVariantList cameras;
    for (int i = 0; i < kiosk_->feeds().size(); i++)
      if (QQuickItem *tile = findTile(root, i); tile && tile->isVisible()) cameras.append(i);
    kiosk_->exporter()->setFolder(arg);
    const bool started = kiosk_->exporter()->start(cameras);
    reply(started ? "ok export" : "error " + kiosk_->exporter()->result().toUtf8());
  } else if (command == "play-backward") {
    Playback *playback = kiosk_->playback();
    playback->toggleBackward();  // as the reverse button and Shift+Space
    reply(playback->playing() ? "ok playing backwards" : "ok paused");
  } else if (command == "step-back") {
    kiosk_->playback()->stepBackward();  // as the Back button and the Left key
    reply("ok step-back");
  } else if (command == "frame-image") {
    // The reference a snapshot's pixels are checked against: the same picture, converted alike.
    const qsizetype cut = arg.indexOf(QLatin1Char(' '));
    const int index = arg.left(cut).toInt();
    if (cut < 0 || index < 0 || index >= kiosk_->feeds().size())
      return reply("error frame-image INDEX FILE");
    const QVideoFrame frame = kiosk_->feeds().at(index)->shownFrame();
    const QImage image = frameImage(frame);
    if (image.isNull() || !image.save(arg.mid(cut + 1), "PNG"))
      return reply("error no picture to write");
    reply("ok frame-image " + QByteArray::number(image.width()) + ' ' +
          QByteArray::number(image.height()) + ' ' + QByteArray::number(frame.startTime() / 1000));
  } else if (command == "quit") {
    reply("ok quit");
    QCoreApplication::quit();
  } else if (command == "lanes") {
    reply("lanes " + QJsonDocument(laneRanges(kiosk_->timeline())).toJson(QJsonDocument::Compact));
  } else if (runMoment(command, arg) || runDraw(command, arg)) {
  } else {
    reply("error unknown command " + command);
  }
}
