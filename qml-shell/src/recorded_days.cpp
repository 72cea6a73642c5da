/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorded_days.h"

#include <QDate>
#include <QDateTime>

namespace {

// [start, end) of a local day in mstime (a day of a zone change is 23 or 25 hours).
std::pair<int64_t, int64_t> dayBounds(const QDate &day) {
  return {day.startOfDay().toMSecsSinceEpoch(), day.addDays(1).startOfDay().toMSecsSinceEpoch()};
}

}  // namespace

QList<int> recordedDays(const std::vector<TimeRange> &ranges, int year, int month) {
  QList<int> days;
  const QDate first(year, month, 1);
  if (!first.isValid()) return days;
  for (int d = 1; d <= first.daysInMonth(); d++) {
    const auto [start, end] = dayBounds(QDate(year, month, d));
    for (const TimeRange &r : ranges)
      if (r.end >= start && r.start < end) {
        days.append(d);
        break;
      }
  }
  return days;
}

double firstRecordedOn(const std::vector<TimeRange> &ranges, int year, int month, int day) {
  const QDate date(year, month, day);
  if (!date.isValid()) return -1;
  const auto [start, end] = dayBounds(date);
  int64_t first = -1;
  for (const TimeRange &r : ranges) {
    if (r.end < start || r.start >= end) continue;
    const int64_t t = qMax(r.start, start);
    if (first < 0 || t < first) first = t;
  }
  return static_cast<double>(first);
}

void RecordedDays::setModel(TimelineModel *model) {
  if (model == model_) return;
  model_ = model;
  emit modelChanged();
}

std::vector<TimeRange> RecordedDays::ranges() const {
  std::vector<TimeRange> all;
  if (!model_) return all;
  for (int row = 0; row < model_->rowCount(); row++)
    for (const QVariant &r : model_->data(model_->index(row), TimelineModel::RangesRole).toList()) {
      const QVariantMap m = r.toMap();
      all.push_back({static_cast<int64_t>(m.value(QStringLiteral("start")).toDouble()),
                     static_cast<int64_t>(m.value(QStringLiteral("end")).toDouble())});
    }
  return all;
}

QVariantList RecordedDays::days(int year, int month) const {
  QVariantList out;
  for (int d : recordedDays(ranges(), year, month)) out.append(d);
  return out;
}

double RecordedDays::firstOn(int year, int month, int day) const {
  return firstRecordedOn(ranges(), year, month, day);
}
