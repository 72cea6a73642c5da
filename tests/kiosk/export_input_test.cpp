/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Export from the wall by hand (issue 18), through real X input: a drag on the lanes with Shift
// held marks the range under it; I and O mark the playhead; E opens and closes the export
// panel (its screenshot is kept as shots/export-panel.png).
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "gap_recording.h"
#include "kiosk_process.h"
#include "x_input.h"

namespace {

QJsonObject exportOf(const QJsonObject &state) {
  return state.value(QStringLiteral("export")).toObject();
}

double markIn(const QJsonObject &state) {
  return exportOf(state).value(QStringLiteral("mark_in_ms")).toDouble();
}

double markOut(const QJsonObject &state) {
  return exportOf(state).value(QStringLiteral("mark_out_ms")).toDouble();
}

std::string text(const QJsonObject &state) {
  return QJsonDocument(state).toJson(QJsonDocument::Compact).toStdString();
}

// The timeline's x (window pixels) of time `t` in the view `state` reports.
int xOf(const QJsonObject &state, double t) {
  const QJsonObject view = state.value(QStringLiteral("timeline")).toObject();
  const QJsonArray axis = view.value(QStringLiteral("axis_rect")).toArray();
  return static_cast<int>(std::lround(axis[0].toDouble() +
                                      (t - view.value(QStringLiteral("view_start_ms")).toDouble()) /
                                          view.value(QStringLiteral("span_ms")).toDouble() *
                                          axis[2].toDouble()));
}

// The time at window x in the view `state` reports.
double timeAt(const QJsonObject &state, int x) {
  const QJsonObject view = state.value(QStringLiteral("timeline")).toObject();
  const QJsonArray axis = view.value(QStringLiteral("axis_rect")).toArray();
  return view.value(QStringLiteral("view_start_ms")).toDouble() +
         (x - axis[0].toDouble()) / axis[2].toDouble() *
             view.value(QStringLiteral("span_ms")).toDouble();
}

}  // namespace

TEST(KioskExportByHand, ShiftDragAndTheIOAndEKeysMarkTheRangeAndOpenThePanel) {
  KioskProcess kiosk;
  GapRecording rec;
  ASSERT_NO_FATAL_FAILURE(startKioskOnGapFs(&kiosk, &rec));
  bool ok = false;
  XInput x;
  ASSERT_TRUE(x.findWindow(kiosk.pid(), 10000)) << x.lastError().toStdString();
  ASSERT_TRUE(x.focus()) << x.lastError().toStdString();

  // Shift+drag over session 1 on the first lane: the marks are the times under the press and
  // the release. The view follows the clock, so they lie between the times those pixels had
  // before the drag and after it, give or take a pixel.
  const QJsonObject before = kiosk.state();
  const int fromX = xOf(before, static_cast<double>(rec.firstStart + 2000));
  const int toX = xOf(before, static_cast<double>(rec.firstStart + 8000));
  const QJsonArray track = before.value(QStringLiteral("timeline"))
                               .toObject()
                               .value(QStringLiteral("track_rect"))
                               .toArray();
  const int y = static_cast<int>(track[1].toDouble()) + 4;
  ASSERT_GT(toX, fromX) << text(before);
  ASSERT_TRUE(x.dragHolding(QStringLiteral("shift"), fromX, y, toX, y, 4))
      << x.lastError().toStdString();
  QJsonObject after = kiosk.waitForState(
      [](const QJsonObject &s) { return markOut(s) > markIn(s) && markIn(s) > 0; }, 10000, &ok);
  ASSERT_TRUE(ok) << "no range marked by the drag: " << text(after);
  const QJsonObject view = before.value(QStringLiteral("timeline")).toObject();
  const double pixelMs = view.value(QStringLiteral("span_ms")).toDouble() /
                         view.value(QStringLiteral("axis_rect")).toArray()[2].toDouble();
  EXPECT_GE(markIn(after), timeAt(before, fromX) - pixelMs) << text(after);
  EXPECT_LE(markIn(after), timeAt(after, fromX) + pixelMs) << text(after);
  EXPECT_GE(markOut(after), timeAt(before, toX) - pixelMs) << text(after);
  EXPECT_LE(markOut(after), timeAt(after, toX) + pixelMs) << text(after);
  // A drag without Shift marks nothing: it is the lanes' own (a scrub, then a seek).
  const double markedIn = markIn(after), markedOut = markOut(after);
  ASSERT_TRUE(x.drag(toX + 6, y, toX + 12, y, 2)) << x.lastError().toStdString();
  after = kiosk.waitForState(
      [](const QJsonObject &s) {
        return s.value(QStringLiteral("mode")).toString() == QStringLiteral("playback");
      },
      10000, &ok);
  ASSERT_TRUE(ok) << text(after);
  EXPECT_EQ(markIn(after), markedIn);
  EXPECT_EQ(markOut(after), markedOut);

  // I and O: the playhead's time.
  for (const auto &[key, offset] :
       {std::pair<const char *, int64_t>{"i", 3000}, std::pair<const char *, int64_t>{"o", 7000}}) {
    const int64_t t = rec.firstStart + offset;
    const QString reply = kiosk.command(
        QStringLiteral("seek-offset %1").arg(t - QDateTime::currentMSecsSinceEpoch()));
    ASSERT_TRUE(reply.startsWith(QStringLiteral("ok seek "))) << reply.toStdString();
    const double position = kiosk.state().value(QStringLiteral("position_ms")).toDouble();
    ASSERT_TRUE(x.key(QString::fromLatin1(key))) << x.lastError().toStdString();
    const bool in = key[0] == 'i';
    after = kiosk.waitForState(
        [in, position](const QJsonObject &s) { return (in ? markIn(s) : markOut(s)) == position; },
        10000, &ok);
    ASSERT_TRUE(ok) << key << " did not mark " << static_cast<int64_t>(position) << ": "
                    << text(after);
  }

  // E opens the panel over the wall, and closes it.
  ASSERT_TRUE(x.key(QStringLiteral("e"))) << x.lastError().toStdString();
  after = kiosk.waitForState(
      [](const QJsonObject &s) { return s.value(QStringLiteral("export_panel")).toBool(); }, 10000,
      &ok);
  ASSERT_TRUE(ok) << text(after);
  const QString shot = shotsDir() + QStringLiteral("/export-panel.png");
  EXPECT_EQ(kiosk.command(QStringLiteral("screenshot ") + shot),
            QStringLiteral("ok screenshot ") + shot);
  ASSERT_TRUE(x.key(QStringLiteral("e"))) << x.lastError().toStdString();
  after = kiosk.waitForState(
      [](const QJsonObject &s) { return !s.value(QStringLiteral("export_panel")).toBool(); }, 10000,
      &ok);
  EXPECT_TRUE(ok) << text(after);
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
