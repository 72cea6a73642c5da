/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The days with recordings, for the go-to calendar: which days of a month any camera recorded on
// (local time), and the first recorded moment of a day. Read from the timeline's lanes (the
// ranges it already has from the FSes), so the calendar costs no read of an FS.
#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <vector>

#include "range_builder.h"
#include "timeline_model.h"

// Days (1..31) of `month` of `year` in local time that overlap one of `ranges`, ascending.
QList<int> recordedDays(const std::vector<TimeRange> &ranges, int year, int month);
// The first recorded mstime on that local day, -1 when none.
double firstRecordedOn(const std::vector<TimeRange> &ranges, int year, int month, int day);

class RecordedDays : public QObject {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(TimelineModel *model READ model WRITE setModel NOTIFY modelChanged)

 public:
  explicit RecordedDays(QObject *parent = nullptr) : QObject(parent) {}

  TimelineModel *model() const { return model_; }
  void setModel(TimelineModel *model);

  // month is 1..12 (QML's Date counts from 0: the caller adds one).
  Q_INVOKABLE QVariantList days(int year, int month) const;
  Q_INVOKABLE double firstOn(int year, int month, int day) const;

 signals:
  void modelChanged();

 private:
  // Every lane's ranges, together.
  std::vector<TimeRange> ranges() const;

  QPointer<TimelineModel> model_;
};
