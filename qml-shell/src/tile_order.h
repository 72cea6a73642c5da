/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Which camera each tile of the wall shows, per layout. Slot s (page s / capacity, place
// s % capacity, capacity the layout's tiles) shows camera order[s]; the order is a permutation of
// the cameras, so each is on one tile of one page and none is lost to a pick. A pick in the
// camera list swaps two cameras; it is saved per layout ("1", "2x2", ...) by camera name in
// $XDG_DATA_HOME/valkka-kiosk/tiles.json (beside the default FS) and comes back at the next start.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include "camera_model.h"

// The order of `names` that `saved` (camera names by slot) asks for: the saved ones still there
// first, in their slots' order, then the others in config order. Indexes into `names`.
QList<int> orderFromNames(const QStringList &saved, const QStringList &names);

class TileOrder : public QObject {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(CameraModel *cameras READ cameras WRITE setCameras NOTIFY camerasChanged)
  Q_PROPERTY(int columns READ columns WRITE setColumns NOTIFY columnsChanged)
  Q_PROPERTY(QList<int> order READ order NOTIFY orderChanged)
  Q_PROPERTY(QString error READ error NOTIFY errorChanged)

 public:
  explicit TileOrder(QObject *parent = nullptr) : QObject(parent) {}

  CameraModel *cameras() const { return cameras_; }
  void setCameras(CameraModel *cameras);
  int columns() const { return columns_; }
  void setColumns(int columns);
  QList<int> order() const { return order_; }
  // Why the last save failed; "" when it went through.
  QString error() const { return error_; }

  // Slot `slot` shows `camera`; the camera that was there goes to the slot `camera` left. Saved.
  Q_INVOKABLE void assign(int slot, int camera);
  // The slot showing `camera`, -1 when none.
  Q_INVOKABLE int slotOf(int camera) const { return static_cast<int>(order_.indexOf(camera)); }

  // Where the orders are kept.
  static QString file();

 signals:
  void camerasChanged();
  void columnsChanged();
  void orderChanged();
  void errorChanged();

 private:
  QString layoutKey() const;
  QStringList names() const;
  void load();
  void save();

  QPointer<CameraModel> cameras_;
  int columns_ = 0;
  QList<int> order_;
  QString error_;
};
