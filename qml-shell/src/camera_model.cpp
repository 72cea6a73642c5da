/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "camera_model.h"

CameraModel::CameraModel(QList<CameraFeed *> feeds, QObject *parent)
    : QAbstractListModel(parent), feeds_(std::move(feeds)) {}

int CameraModel::rowCount(const QModelIndex &parent) const {
  return parent.isValid() ? 0 : static_cast<int>(feeds_.size());
}

QVariant CameraModel::data(const QModelIndex &index, int role) const {
  if (!index.isValid() || index.row() >= feeds_.size()) return {};
  CameraFeed *feed = feeds_.at(index.row());
  switch (role) {
    case FeedRole: return QVariant::fromValue(feed);
    case NameRole:
    case Qt::DisplayRole: return feed->name();
    default: return {};
  }
}

QHash<int, QByteArray> CameraModel::roleNames() const {
  return {{FeedRole, "feed"}, {NameRole, "name"}};
}
