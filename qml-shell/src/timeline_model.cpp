/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "timeline_model.h"

#include <QVariantMap>

#include <algorithm>

#include <set>

namespace {

constexpr int kRefreshMs = 1000;
constexpr int kNowTickMs = 200;

}  // namespace

TimelineModel::TimelineModel(QObject *parent)
    : QAbstractListModel(parent), timer_(kRefreshMs), clock_(kNowTickMs) {
  connect(&timer_, &BeatTimer::timeout, this, &TimelineModel::refresh);
  connect(&clock_, &BeatTimer::timeout, this, &TimelineModel::nowTick);
  clock_.start();
}

void TimelineModel::followBeat(QTimer *beat) {
  timer_.follow(beat);
  clock_.follow(beat);
}

void TimelineModel::start(std::vector<Lane> lanes) {
  beginResetModel();
  lanes_ = std::move(lanes);
  endResetModel();
  refresh();
  timer_.start();
}

void TimelineModel::stop() {
  timer_.stop();
  for (Lane &lane : lanes_) lane.fs = nullptr;
}

void TimelineModel::reload() {
  beginResetModel();
  for (Lane &lane : lanes_)
    if (lane.fs) lane.ranges = recordedRanges(lane.fs, lane.streamId);
  endResetModel();
}

void TimelineModel::refresh() {
  // One time range per FS, however many lanes share it.
  std::set<valkka_fs_t *> seen;
  int64_t first = 0, last = 0;
  for (const Lane &lane : lanes_) {
    if (!lane.fs || !seen.insert(lane.fs).second) continue;
    int64_t f = 0, l = 0;
    if (valkka_fs_time_range(lane.fs, &f, &l) == 0 && l > 0) {
      first = first ? std::min(first, f) : f;
      last = std::max(last, l);
    }
  }
  for (size_t i = 0; i < lanes_.size(); i++) {
    Lane &lane = lanes_[i];
    if (!lane.fs) continue;
    std::vector<TimeRange> ranges = recordedRanges(lane.fs, lane.streamId);
    if (ranges == lane.ranges) continue;
    lane.ranges = std::move(ranges);
    const QModelIndex index = createIndex(static_cast<int>(i), 0);
    emit dataChanged(index, index, {RangesRole});
  }
  if (first != first_ || last != last_) {
    first_ = first;
    last_ = last;
    emit timeRangeChanged();
  }
}

int TimelineModel::rowCount(const QModelIndex &parent) const {
  return parent.isValid() ? 0 : static_cast<int>(lanes_.size());
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(lanes_.size())) return {};
  const Lane &lane = lanes_[static_cast<size_t>(index.row())];
  switch (role) {
    case NameRole:
    case Qt::DisplayRole: return lane.name;
    case RangesRole: {
      // Milliseconds since the epoch are exact in a double (and in a JS number).
      QVariantList list;
      list.reserve(static_cast<int>(lane.ranges.size()));
      for (const TimeRange &r : lane.ranges)
        list.append(QVariantMap{{QStringLiteral("start"), static_cast<double>(r.start)},
                                {QStringLiteral("end"), static_cast<double>(r.end)}});
      return list;
    }
    default: return {};
  }
}

QHash<int, QByteArray> TimelineModel::roleNames() const {
  return {{NameRole, "name"}, {RangesRole, "ranges"}};
}
