/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "timeline_model.h"

#include <QVariantMap>

#include <algorithm>

#include <map>

namespace {

// Consecutive blocks of one recording are a frame interval or so apart; a longer break is a gap.
constexpr int64_t kJoinMs = 1000;
constexpr int kRefreshMs = 1000;

std::vector<valkka_fs_block_t> readTable(valkka_fs_t *fs) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  if (valkka_fs_get_info(fs, &info) != 0 || info.n_blocks == 0) return {};
  std::vector<valkka_fs_block_t> table(info.n_blocks);
  table[0].struct_size = sizeof(valkka_fs_block_t);
  const int n = valkka_fs_read_table(fs, table.data(), info.n_blocks);
  table.resize(n > 0 ? std::min<size_t>(static_cast<size_t>(n), table.size()) : 0);
  return table;
}

}  // namespace

TimelineModel::TimelineModel(QObject *parent) : QAbstractListModel(parent) {
  timer_.setInterval(kRefreshMs);
  connect(&timer_, &QTimer::timeout, this, &TimelineModel::refresh);
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

void TimelineModel::refresh() {
  // One table read per FS, however many lanes share it.
  std::map<valkka_fs_t *, std::map<uint32_t, std::vector<TimeRange>>> byFs;
  int64_t first = 0, last = 0;
  for (const Lane &lane : lanes_) {
    if (!lane.fs || byFs.count(lane.fs)) continue;
    byFs[lane.fs] = buildRanges(readTable(lane.fs), kJoinMs);
    int64_t f = 0, l = 0;
    if (valkka_fs_time_range(lane.fs, &f, &l) == 0 && l > 0) {
      first = first ? std::min(first, f) : f;
      last = std::max(last, l);
    }
  }
  for (size_t i = 0; i < lanes_.size(); i++) {
    Lane &lane = lanes_[i];
    if (!lane.fs) continue;
    auto &streams = byFs[lane.fs];
    auto it = streams.find(lane.streamId);
    std::vector<TimeRange> ranges = it == streams.end() ? std::vector<TimeRange>{} : it->second;
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
