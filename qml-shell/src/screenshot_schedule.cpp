/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "screenshot_schedule.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

#include "kiosk_log.h"
#include "wall_state.h"

ScreenshotSchedule::ScreenshotSchedule(QQuickWindow *window, const Kiosk *kiosk, QObject *parent)
    : QObject(parent), window_(window), kiosk_(kiosk) {}

void ScreenshotSchedule::start(const QStringList &files, const QList<double> &afterSeconds) {
  pending_ = static_cast<int>(files.size());
  for (int i = 0; i < files.size(); i++) {
    const QString file = files.at(i);
    QTimer::singleShot(qRound(afterSeconds.at(i) * 1000), Qt::PreciseTimer, this,
                       [this, file] { take(file); });
  }
}

void ScreenshotSchedule::take(const QString &file) {
  QString error;
  if (saveScreenshot(window_, kiosk_, file, &error)) {
    std::fprintf(stderr, "%svalkka-kiosk: screenshot %s\n", kiosklog::prefix(VALKKA_LOG_INFO),
                 qPrintable(file));
  } else {
    std::fprintf(stderr, "%svalkka-kiosk: screenshot failed: %s\n",
                 kiosklog::prefix(VALKKA_LOG_ERROR), qPrintable(error));
    failed_ = true;
  }
  if (--pending_ == 0) QCoreApplication::exit(failed_ ? 1 : 0);
}
