/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The timeline's lanes: one per camera, each with the time ranges its FS says are recorded
// (valkka_fs_get_ranges: re-read every second and whenever a block is finished), and the
// recording's overall time range.
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

#include <vector>

#include <valkka/fs.h>

#include "beat_timer.h"
#include "range_builder.h"

class TimelineModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  Q_PROPERTY(double firstTime READ firstTime NOTIFY timeRangeChanged)
  Q_PROPERTY(double lastTime READ lastTime NOTIFY timeRangeChanged)

 public:
  enum Role { NameRole = Qt::UserRole + 1, RangesRole };

  struct Lane {
    QString name;
    valkka_fs_t *fs = nullptr;  // not owned; nullptr: nothing recorded for this camera
    uint32_t streamId = 0;
    std::vector<TimeRange> ranges;
  };

  explicit TimelineModel(QObject *parent = nullptr);

  // Sets the lanes (their FS handles must stay open until stop()) and starts refreshing.
  void start(std::vector<Lane> lanes);
  // Stops refreshing and forgets the FS handles (call before they are closed).
  void stop();
  // Every lane's ranges read again and the lanes made anew, as at the start (the test control
  // times the drawing of that).
  void reload();

  int rowCount(const QModelIndex &parent = QModelIndex()) const override;
  QVariant data(const QModelIndex &index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  // The refresh, and the clock the timeline's view moves by (nowTick), on the wall's beat.
  void followBeat(QTimer *beat);

  // Earliest and latest recorded mstime over every lane's FS; 0 when nothing is recorded.
  double firstTime() const { return static_cast<double>(first_); }
  double lastTime() const { return static_cast<double>(last_); }

 public slots:
  void refresh();
  // A refresh at the wall's next beat (a block was finished): the lanes change in the frame of
  // the beat's pictures, not in a drawing of their own.
  void refreshSoon() { timer_.fireSoon(); }

 signals:
  void timeRangeChanged();
  // Five times a second from construction: the timeline's "now" moves.
  void nowTick();

 private:
  std::vector<Lane> lanes_;
  int64_t first_ = 0, last_ = 0;
  BeatTimer timer_;
  BeatTimer clock_;
};
