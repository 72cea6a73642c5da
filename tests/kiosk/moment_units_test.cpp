/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The tile order kept per layout (a saved order of camera names against the cameras of today's
// config) and the calendar's days with recordings (local days, a range over midnight marking
// both), without a display.
#include <QDate>
#include <QDateTime>

#include <gtest/gtest.h>

#include "recorded_days.h"
#include "tile_order.h"

TEST(KioskTileOrder, SavedNamesComeFirstThenTheOthersInConfigOrder) {
  const QStringList names{"a", "b", "c", "d"};
  EXPECT_EQ(orderFromNames({}, names), (QList<int>{0, 1, 2, 3}));
  EXPECT_EQ(orderFromNames({"d", "a"}, names), (QList<int>{3, 0, 1, 2}));
  // A camera gone from the config is skipped, a name twice counts once.
  EXPECT_EQ(orderFromNames({"x", "c", "c", "b"}, names), (QList<int>{2, 1, 0, 3}));
}

TEST(KioskRecordedDays, MarksTheLocalDaysARangeTouches) {
  const auto at = [](int month, int day, int hour) {
    return QDateTime(QDate(2026, month, day), QTime(hour, 0)).toMSecsSinceEpoch();
  };
  // 3 Dec 10:00-11:00; 6 Dec 23:00 - 7 Dec 01:00; 31 Dec.
  const std::vector<TimeRange> ranges{{at(12, 3, 10), at(12, 3, 11)},
                                      {at(12, 6, 23), at(12, 7, 1)},
                                      {at(12, 31, 5), at(12, 31, 6)}};
  EXPECT_EQ(recordedDays(ranges, 2026, 12), (QList<int>{3, 6, 7, 31}));
  EXPECT_TRUE(recordedDays(ranges, 2026, 11).isEmpty());
  EXPECT_EQ(firstRecordedOn(ranges, 2026, 12, 3), static_cast<double>(at(12, 3, 10)));
  // A range begun the day before: the day's first moment is its midnight.
  EXPECT_EQ(firstRecordedOn(ranges, 2026, 12, 7), static_cast<double>(at(12, 7, 0)));
  EXPECT_EQ(firstRecordedOn(ranges, 2026, 12, 4), -1);
}
