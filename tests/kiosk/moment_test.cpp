/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Finding a moment (issue 18): the jump buttons move the playhead by their amount; the go-to
// field seeks to the typed local time and says what is wrong with a bad one; "-00:07 behind
// live" in playback; the calendar marks today, which has recordings, and a click on it goes to
// its first recording (a screenshot of it is kept in shots/); a real wheel turn over the time
// axis zooms around the pointer (the time under it stays) and the readout there shows that time.
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "kiosk_process.h"
#include "wall_check.h"
#include "x_input.h"

namespace {

constexpr int kChangeTimeoutMs = 10000;

double num(const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toDouble(); }
QJsonObject timeline(const QJsonObject &s) {
  return s.value(QStringLiteral("timeline")).toObject();
}
std::string text(const QJsonObject &s) {
  return QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString();
}
// "ok WORD MS" -> MS; NaN when the reply is another.
double replyTime(const QString &reply, const QString &word) {
  const QString head = QStringLiteral("ok ") + word + QLatin1Char(' ');
  return reply.startsWith(head) ? reply.mid(head.size()).toDouble() : std::nan("");
}

class KioskMoment : public ::testing::Test {
 protected:
  // The 4 built-in cameras, 14 s of pictures each (25 fps): room for 10 s jumps.
  void SetUp() override {
    ASSERT_TRUE(kiosk_.start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true));
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(
        [](const QJsonObject &s) { return tilesPresented(s, 4, 350); }, 90000, &ok);
    ASSERT_TRUE(ok) << text(s) << kiosk_.standardError().toStdString();
  }
  void TearDown() override { EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString(); }

  // Playback paused `offsetMs` from now; returns the playhead.
  double seekBack(int offsetMs) {
    const double t =
        replyTime(kiosk_.command(QStringLiteral("seek-offset %1").arg(offsetMs)), "seek");
    EXPECT_FALSE(std::isnan(t));
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(
        [](const QJsonObject &s) { return s.value("mode").toString() == "playback"; },
        kChangeTimeoutMs, &ok);
    EXPECT_TRUE(ok) << text(s);
    return num(s, "position_ms");
  }

  KioskProcess kiosk_;
};

}  // namespace

TEST_F(KioskMoment, JumpButtonsMoveThePlayheadByTheirAmount) {
  const double from = seekBack(-2000);
  ASSERT_FALSE(HasFailure());
  // 10 s back and forth land exactly there (inside the recording).
  EXPECT_EQ(replyTime(kiosk_.command(QStringLiteral("jump -10000")), "jump"), from - 10000);
  EXPECT_EQ(num(kiosk_.state(), "position_ms"), from - 10000);
  EXPECT_EQ(replyTime(kiosk_.command(QStringLiteral("jump 10000")), "jump"), from);
  // A minute or ten back is before the recording began: its first moment, no earlier.
  const double first = replyTime(kiosk_.command(QStringLiteral("jump -60000")), "jump");
  EXPECT_GT(first, from - 60000);
  EXPECT_LE(first, from - 12000);
  EXPECT_EQ(replyTime(kiosk_.command(QStringLiteral("jump -600000")), "jump"), first);
  // Forward 1 min from there: never past now.
  const double before = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
  const double forward = replyTime(kiosk_.command(QStringLiteral("jump 60000")), "jump");
  EXPECT_GT(forward, first);
  EXPECT_LE(forward, static_cast<double>(QDateTime::currentMSecsSinceEpoch()));
  EXPECT_GE(forward, before - 2000);  // now, less what is not yet in a finished block
}

TEST_F(KioskMoment, TheGoToFieldSeeksToTheTypedLocalTimeAndSaysWhatIsWrong) {
  const double from = seekBack(-3000);
  ASSERT_FALSE(HasFailure());
  // Typed to the second: the playhead goes to that second's start.
  const QDateTime target = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(from) - 5000);
  const QString typed = target.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
  const double second = static_cast<double>(target.toMSecsSinceEpoch() / 1000 * 1000);
  EXPECT_EQ(replyTime(kiosk_.command(QStringLiteral("goto ") + typed), "goto"), second)
      << typed.toStdString();
  // The time alone is today's.
  const QString clock = target.toString(QStringLiteral("HH:mm:ss"));
  EXPECT_EQ(replyTime(kiosk_.command(QStringLiteral("goto ") + clock), "goto"), second);

  // Behind live: "-MM:SS behind live", now less the playhead.
  const QJsonObject s = kiosk_.state();
  const QRegularExpressionMatch behind =
      QRegularExpression(QStringLiteral("^-([0-9][0-9]):([0-9][0-9]) behind live$"))
          .match(s.value(QStringLiteral("behind_live")).toString());
  ASSERT_TRUE(behind.hasMatch()) << text(s);
  const double shownBehind = behind.captured(1).toDouble() * 60 + behind.captured(2).toDouble();
  EXPECT_NEAR(shownBehind, (num(s, "taken_ms") - num(s, "position_ms")) / 1000, 1.5) << text(s);

  // Bad input: the field's words, and the playhead stays.
  const QString bad = kiosk_.command(QStringLiteral("goto yesterday at noon"));
  EXPECT_TRUE(bad.startsWith(QStringLiteral("error Not a time: write it as"))) << bad.toStdString();
  EXPECT_EQ(kiosk_.state().value(QStringLiteral("goto_error")).toString(), bad.mid(6));
  EXPECT_TRUE(kiosk_.command(QStringLiteral("goto 2026-02-30 10:00"))
                  .startsWith(QStringLiteral("error No such day")));
  const QString future = QDateTime::currentDateTime().addDays(1).toString("yyyy-MM-dd HH:mm");
  EXPECT_TRUE(kiosk_.command(QStringLiteral("goto ") + future)
                  .startsWith(QStringLiteral("error ") + future + QStringLiteral(" is still")));
  EXPECT_EQ(num(kiosk_.state(), "position_ms"), second);
}

TEST_F(KioskMoment, TheCalendarMarksTodayAndGoesToItsFirstRecording) {
  ASSERT_EQ(kiosk_.command(QStringLiteral("calendar")), QStringLiteral("ok calendar open"));
  const int today = QDate::currentDate().day();
  bool ok = false;
  const QJsonObject s = kiosk_.waitForState(
      [today](const QJsonObject &s) {
        const QJsonArray days = s.value(QStringLiteral("calendar_days")).toArray();
        return days.contains(today);
      },
      kChangeTimeoutMs, &ok);
  ASSERT_TRUE(ok) << text(s);
  // Only today has recordings (this FS is new); yesterday is not marked.
  EXPECT_EQ(s.value(QStringLiteral("calendar_days")).toArray().size(), 1) << text(s);
  const QString shot = shotsDir() + QStringLiteral("/calendar.png");
  EXPECT_EQ(kiosk_.command(QStringLiteral("screenshot ") + shot),
            QStringLiteral("ok screenshot ") + shot);

  // Today's first recording: the earliest start of any lane.
  const QString lanes = kiosk_.command(QStringLiteral("lanes"));
  ASSERT_TRUE(lanes.startsWith(QStringLiteral("lanes ")));
  double first = 0;
  for (const QJsonValue &lane : QJsonDocument::fromJson(lanes.mid(6).toUtf8()).array())
    for (const QJsonValue &r : lane.toObject().value(QStringLiteral("ranges")).toArray())
      if (first == 0 || r.toArray().at(0).toDouble() < first) first = r.toArray().at(0).toDouble();
  ASSERT_GT(first, 0);
  EXPECT_EQ(replyTime(kiosk_.command(QStringLiteral("calendar-day %1").arg(today)), "calendar-day"),
            first);
  EXPECT_EQ(kiosk_.command(QStringLiteral("calendar")), QStringLiteral("ok calendar open"));
  EXPECT_TRUE(kiosk_.command(QStringLiteral("calendar-day %1").arg(today % 28 + 1))
                  .startsWith(QStringLiteral("error no recording")));
}

TEST_F(KioskMoment, TheWheelOverTheAxisZoomsAroundThePointer) {
  seekBack(-4000);
  ASSERT_FALSE(HasFailure());
  XInput x;
  ASSERT_TRUE(x.findWindow(kiosk_.pid(), 10000)) << x.lastError().toStdString();
  const QJsonObject before = kiosk_.state();
  const QRect axis = rectOf(timeline(before).value(QStringLiteral("axis_rect")));
  ASSERT_FALSE(axis.isEmpty()) << text(before);
  // A quarter into the axis: away from the middle, where any zoom keeps its time.
  const int px = axis.x() + axis.width() / 4;
  const auto timeAtPx = [px, axis](const QJsonObject &s) {
    const QJsonObject t = timeline(s);
    return num(t, "viewStart") + (px - axis.x()) / num(t, "trackWidth") * num(t, "span");
  };
  const double span = num(timeline(before), "span");
  const double under = timeAtPx(before);
  ASSERT_TRUE(x.click(px, axis.center().y(), 4)) << x.lastError().toStdString();  // wheel up: in
  bool ok = false;
  QJsonObject s =
      kiosk_.waitForState([span](const QJsonObject &s) { return num(timeline(s), "span") < span; },
                          kChangeTimeoutMs, &ok);
  ASSERT_TRUE(ok) << "the wheel over the axis did not zoom: " << text(s);
  EXPECT_NEAR(num(timeline(s), "span"), span / 1.25, 1) << text(s);
  EXPECT_NEAR(timeAtPx(s), under, num(timeline(s), "span") / num(timeline(s), "trackWidth"))
      << text(s);

  // The readout under the pointer names that time to the second (local time).
  const QString clock = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(timeAtPx(s)))
                            .toString(QStringLiteral("HH:mm:ss"));
  s = kiosk_.waitForState(
      [](const QJsonObject &s) {
        return !timeline(s).value(QStringLiteral("pointer_time")).toString().isEmpty();
      },
      kChangeTimeoutMs, &ok);
  ASSERT_TRUE(ok) << "no time under the pointer: " << text(s);
  const QString shown = timeline(s).value(QStringLiteral("pointer_time")).toString();
  EXPECT_TRUE(shown.endsWith(clock) ||
              shown.endsWith(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(timeAtPx(s)) + 1)
                                 .toString(QStringLiteral("HH:mm:ss"))))
      << shown.toStdString() << " vs " << clock.toStdString();
}
