/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The wall's cameras as a list model: one row per camera, its CameraFeed in the "feed" role.
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

#include "camera_feed.h"

class CameraModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  Q_PROPERTY(int count READ rowCount CONSTANT)

 public:
  enum Role { FeedRole = Qt::UserRole + 1, NameRole };

  // The feeds are not owned; they outlive the model.
  explicit CameraModel(QList<CameraFeed *> feeds, QObject *parent = nullptr);

  int rowCount(const QModelIndex &parent = QModelIndex()) const override;
  QVariant data(const QModelIndex &index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  const QList<CameraFeed *> &feeds() const { return feeds_; }

 private:
  QList<CameraFeed *> feeds_;
};
