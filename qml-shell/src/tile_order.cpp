/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tile_order.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "kiosk_config.h"

namespace {

QJsonObject readLayouts() {
  QFile file(TileOrder::file());
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll())
      .object()
      .value(QStringLiteral("layouts"))
      .toObject();
}

}  // namespace

QList<int> orderFromNames(const QStringList &saved, const QStringList &names) {
  QList<int> order;
  for (const QString &name : saved) {
    const int i = static_cast<int>(names.indexOf(name));
    if (i >= 0 && !order.contains(i)) order.append(i);
  }
  for (int i = 0; i < names.size(); i++)
    if (!order.contains(i)) order.append(i);
  return order;
}

QString TileOrder::file() {
  return QFileInfo(defaultFsDir()).path() + QStringLiteral("/tiles.json");
}

void TileOrder::setCameras(CameraModel *cameras) {
  if (cameras == cameras_) return;
  cameras_ = cameras;
  emit camerasChanged();
  load();
}

void TileOrder::setColumns(int columns) {
  if (columns == columns_) return;
  columns_ = columns;
  emit columnsChanged();
  load();
}

QString TileOrder::layoutKey() const {
  return columns_ <= 1 ? QStringLiteral("1") : QStringLiteral("%1x%1").arg(columns_);
}

QStringList TileOrder::names() const {
  QStringList out;
  if (cameras_)
    for (const CameraFeed *feed : cameras_->feeds()) out.append(feed->name());
  return out;
}

void TileOrder::load() {
  QStringList saved;
  for (const QJsonValue &v : readLayouts().value(layoutKey()).toArray()) saved.append(v.toString());
  order_ = orderFromNames(saved, names());
  emit orderChanged();
}

void TileOrder::assign(int slot, int camera) {
  const int from = slotOf(camera);
  if (slot < 0 || slot >= order_.size() || from < 0 || from == slot) return;
  order_.swapItemsAt(slot, from);
  emit orderChanged();
  save();
}

void TileOrder::save() {
  const QStringList all = names();
  QJsonArray saved;
  for (int camera : order_) saved.append(all.value(camera));
  // The other layouts' orders stay as they were.
  QJsonObject layouts = readLayouts();
  layouts[layoutKey()] = saved;
  QString error;
  QDir().mkpath(QFileInfo(file()).path());
  QSaveFile out(file());
  if (!out.open(QIODevice::WriteOnly) ||
      out.write(QJsonDocument(QJsonObject{{QStringLiteral("layouts"), layouts}}).toJson()) < 0 ||
      !out.commit())
    error =
        QStringLiteral("cannot save the tiles' cameras to %1: %2").arg(file(), out.errorString());
  if (error == error_) return;
  error_ = error;
  emit errorChanged();
}
