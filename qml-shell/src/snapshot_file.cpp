/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "snapshot_file.h"

#include <QDateTime>
#include <QDir>
#include <QFont>
#include <QFontMetrics>
#include <QPainter>
#include <QStandardPaths>

#include <algorithm>
#include <cstdlib>

QString defaultSnapshotFolder() {
  QString pictures = qEnvironmentVariable("XDG_PICTURES_DIR");
  if (pictures.isEmpty())
    pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
  if (pictures.isEmpty()) pictures = QDir::homePath() + QStringLiteral("/Pictures");
  return QDir(pictures).filePath(QStringLiteral("valkka-kiosk"));
}

QString snapshotFileName(const QString &camera, qint64 mstime) {
  QString safe;
  for (const QChar c : camera)
    safe += c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('_') ||
                    c == QLatin1Char('-')
                ? c
                : QLatin1Char('_');
  // No hidden file, no file named after nothing.
  if (safe.isEmpty() || safe.startsWith(QLatin1Char('.'))) safe.prepend(QLatin1String("camera"));
  const QString when =
      QDateTime::fromMSecsSinceEpoch(mstime).toString(QStringLiteral("yyyyMMdd-HHmmss.zzz"));
  return safe + QLatin1Char('-') + when + QStringLiteral(".png");
}

QString snapshotTimeText(qint64 mstime) {
  const QDateTime local = QDateTime::fromMSecsSinceEpoch(mstime);
  const QString text = local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz ")) +
                       local.timeZoneAbbreviation();
  const int offset = local.offsetFromUtc();
  if (offset == 0 && local.timeZoneAbbreviation() == QLatin1String("UTC")) return text;
  const int minutes = std::abs(offset) / 60;
  return text + QStringLiteral(" UTC%1%2:%3")
                    .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                    .arg(minutes / 60, 2, 10, QLatin1Char('0'))
                    .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

QRect burnInLabel(QImage *image, const QString &camera, qint64 mstime) {
  const QString time = snapshotTimeText(mstime);
  QFont font;
  // Readable at any size: a 360-line picture gets 12 px text, a 1080-line one 36 px.
  font.setPixelSize(std::max(12, image->height() / 30));
  font.setBold(true);
  const QFontMetrics metrics(font);
  const int pad = std::max(4, font.pixelSize() / 3);
  const int textWidth =
      std::max(metrics.horizontalAdvance(camera), metrics.horizontalAdvance(time));
  const int width = std::min(image->width(), textWidth + 2 * pad);
  const int height = std::min(image->height(), 2 * metrics.height() + 2 * pad);
  const QRect box(0, image->height() - height, width, height);
  QPainter painter(image);
  // Dark enough that white text reads over any picture.
  painter.fillRect(box, QColor(0, 0, 0, 200));
  painter.setFont(font);
  painter.setPen(Qt::white);
  const QRect text = box.adjusted(pad, pad, -pad, -pad);
  painter.drawText(text, Qt::AlignLeft | Qt::AlignTop, camera);
  painter.drawText(text.adjusted(0, metrics.height(), 0, 0), Qt::AlignLeft | Qt::AlignTop, time);
  return box;
}
