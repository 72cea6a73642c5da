/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The timeline's view and the transport, driven as the wheel, a drag of the time axis, the
// speed box and the Step button drive them: the view zooms by 1.25 a notch from 5 s to 14 days
// and pans with the drag; the playhead runs at the speed chosen; a step forward or back moves
// every tile by one of its frames, the cameras' phases apart, and the playhead to the latest
// picture shown. The readout's time names its zone and the day ticks their month.
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kiosk_process.h"

namespace {

// The built-in cameras are synthetic ones at 25 fps, frame n at their start + n x 40 ms exactly
// (their pacer's times): one frame of each is 40 ms.
constexpr double kFrameMs = 40;

QJsonArray tiles(const QJsonObject &state) {
  return state.value(QStringLiteral("tiles")).toArray();
}

double view(const QJsonObject &state, const char *key) {
  return state.value(QStringLiteral("timeline")).toObject().value(QLatin1String(key)).toDouble();
}

double number(const QJsonObject &object, const char *key) {
  return object.value(QLatin1String(key)).toDouble();
}

std::string text(const QJsonObject &state) { return QJsonDocument(state).toJson().toStdString(); }

// Each of the 4 tiles shows its last picture at or before the playhead.
bool onThePlayhead(const QJsonObject &state) {
  const double position = number(state, "position_ms");
  for (const QJsonValue &t : tiles(state)) {
    const double shown = number(t.toObject(), "frame_ms");
    if (!(shown <= position && shown > position - kFrameMs)) return false;
  }
  return tiles(state).size() == 4 &&
         state.value(QStringLiteral("mode")).toString() == QStringLiteral("playback");
}

// Starts the built-in cameras (`env`: "NAME=value" for the kiosk) and waits until every tile
// showed `pictures` live ones.
void startAndRecord(KioskProcess *kiosk, double pictures, const QStringList &env = {}) {
  ASSERT_TRUE(
      kiosk->start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true, {}, env));
  bool ok = false;
  const QJsonObject state = kiosk->waitForState(
      [pictures](const QJsonObject &s) {
        for (const QJsonValue &t : tiles(s))
          if (number(t.toObject(), "presented") < pictures) return false;
        return tiles(s).size() == 4 && view(s, "trackWidth") > 100;
      },
      60000, &ok);
  ASSERT_TRUE(ok) << text(state) << kiosk->standardError().toStdString();
}

// The playhead's ms per ms of the state's clock between two states at least `advance` apart.
double playheadRate(KioskProcess *kiosk, double advance) {
  bool ok = false;
  const QJsonObject from = kiosk->state();
  const double start = number(from, "position_ms");
  const QJsonObject to = kiosk->waitForState(
      [start, advance](const QJsonObject &s) {
        return number(s, "position_ms") >= start + advance;
      },
      30000, &ok);
  EXPECT_TRUE(ok) << "the playhead did not advance " << advance << " ms: " << text(to);
  return (number(to, "position_ms") - start) / (number(to, "taken_ms") - number(from, "taken_ms"));
}

}  // namespace

TEST(KioskTimeline, TheWheelZoomsByAQuarterANotchFrom5SecondsTo14DaysAndTheAxisDragPans) {
  KioskProcess kiosk;
  startAndRecord(&kiosk, 1);
  ASSERT_FALSE(HasFatalFailure());

  // A drag of nothing stops the view following "now"; a drag right shows earlier times.
  ASSERT_EQ(kiosk.command(QStringLiteral("pan 0")), QStringLiteral("ok pan 0"));
  const QJsonObject still = kiosk.state();
  ASSERT_FALSE(
      still.value(QStringLiteral("timeline")).toObject().value(QStringLiteral("follow")).toBool())
      << text(still);
  const double span = view(still, "span"), track = view(still, "trackWidth");
  ASSERT_EQ(kiosk.command(QStringLiteral("pan 100")), QStringLiteral("ok pan 100"));
  const QJsonObject panned = kiosk.state();
  EXPECT_NEAR(view(panned, "viewEnd"), view(still, "viewEnd") - 100 / track * span, 1)
      << text(panned);
  EXPECT_NEAR(view(panned, "viewStart"), view(still, "viewStart") - 100 / track * span, 1);
  EXPECT_EQ(view(panned, "span"), span);

  // One notch away from the user zooms in by 1.25, two towards out by 1.25 squared, about the
  // time under the pointer (the lanes' middle).
  const double middle = (view(panned, "viewStart") + view(panned, "viewEnd")) / 2;
  ASSERT_EQ(kiosk.command(QStringLiteral("wheel 120")), QStringLiteral("ok wheel 120"));
  const QJsonObject in = kiosk.state();
  EXPECT_NEAR(view(in, "span"), span / 1.25, 1) << text(in);
  EXPECT_NEAR((view(in, "viewStart") + view(in, "viewEnd")) / 2, middle, 1);
  ASSERT_EQ(kiosk.command(QStringLiteral("wheel -240")), QStringLiteral("ok wheel -240"));
  const QJsonObject out = kiosk.state();
  EXPECT_NEAR(view(out, "span"), span / 1.25 * 1.5625, 1) << text(out);
  EXPECT_NEAR((view(out, "viewStart") + view(out, "viewEnd")) / 2, middle, 1);

  // Far in: 5 seconds; far out: 14 days.
  ASSERT_EQ(kiosk.command(QStringLiteral("wheel 12000")), QStringLiteral("ok wheel 12000"));
  EXPECT_EQ(view(kiosk.state(), "span"), 5000);
  ASSERT_EQ(kiosk.command(QStringLiteral("wheel -24000")), QStringLiteral("ok wheel -24000"));
  EXPECT_EQ(view(kiosk.state(), "span"), 14.0 * 24 * 3600 * 1000);
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}

TEST(KioskTimeline, PlaysAtTheChosenSpeedAndStepsOneFrameOfTheNextCamera) {
  KioskProcess kiosk;
  // 10 s of recording: room to play 4 s at 1x and 4 s at 4x from 9 s back.
  startAndRecord(&kiosk, 250);
  ASSERT_FALSE(HasFatalFailure());
  QString reply = kiosk.command(QStringLiteral("seek-offset -9000"));
  ASSERT_TRUE(reply.startsWith(QStringLiteral("ok seek "))) << reply.toStdString();
  bool ok = false;
  QJsonObject state = kiosk.waitForState(onThePlayhead, 15000, &ok);
  ASSERT_TRUE(ok) << text(state);

  // The rate at 1x, then at 4x: the playhead runs four times as fast (as this run measured 1x).
  ASSERT_EQ(kiosk.command(QStringLiteral("toggle-play")), QStringLiteral("ok playing"));
  playheadRate(&kiosk, 300);  // under way
  const double normal = playheadRate(&kiosk, 2000);
  ASSERT_EQ(kiosk.command(QStringLiteral("speed 4")), QStringLiteral("ok speed 4"));
  playheadRate(&kiosk, 300);
  const double fast = playheadRate(&kiosk, 4000);
  ASSERT_FALSE(HasFailure());
  state = kiosk.state();
  EXPECT_EQ(number(state, "speed"), 4);
  EXPECT_TRUE(state.value(QStringLiteral("playing")).toBool());
  ASSERT_GT(normal, 0);
  EXPECT_NEAR(fast / normal, 4, 0.8) << "1x: " << normal << ", 4x: " << fast;

  // Paused on a seek (the playhead where the seek put it), then steps.
  ASSERT_EQ(kiosk.command(QStringLiteral("toggle-play")), QStringLiteral("ok paused"));
  reply = kiosk.command(QStringLiteral("seek-offset -6000"));
  ASSERT_TRUE(reply.startsWith(QStringLiteral("ok seek "))) << reply.toStdString();
  const double target = reply.mid(8).toDouble();
  state = kiosk.waitForState(
      [target](const QJsonObject &s) {
        return onThePlayhead(s) && std::abs(number(s, "position_ms") - target) <= 1;
      },
      15000, &ok);
  ASSERT_TRUE(ok) << "target " << target << ": " << text(state);
  // 8 steps forward, then 8 back (the Right and Left keys' functions): every tile moves by one
  // of its frames each time, whatever the cameras' phases, and the playhead to the latest
  // picture shown.
  for (int dir : {1, -1}) {
    for (int step = 0; step < 8; step++) {
      SCOPED_TRACE((dir > 0 ? "step " : "step back ") + std::to_string(step + 1));
      std::vector<double> shown;
      double latest = 0;
      for (const QJsonValue &t : tiles(state)) {
        shown.push_back(number(t.toObject(), "frame_ms") + dir * kFrameMs);
        latest = std::max(latest, shown.back());
      }
      const QString command = dir > 0 ? QStringLiteral("step") : QStringLiteral("step-back");
      ASSERT_EQ(kiosk.command(command), QStringLiteral("ok ") + command);
      const QJsonObject after = kiosk.waitForState(
          [latest](const QJsonObject &s) {
            return number(s, "position_ms") == latest && onThePlayhead(s);
          },
          15000, &ok);
      ASSERT_TRUE(ok) << "to " << latest << ": " << text(after);
      for (int i = 0; i < 4; i++)
        EXPECT_EQ(number(tiles(after).at(i).toObject(), "frame_ms"), shown[i]) << "tile " << i;
      EXPECT_FALSE(after.value(QStringLiteral("playing")).toBool());
      state = after;
    }
  }
  // The reverse button's function (Shift+Space): the playhead and every tile go back in time.
  const double from = number(state, "position_ms");
  ASSERT_EQ(kiosk.command(QStringLiteral("play-backward")), QStringLiteral("ok playing backwards"));
  state = kiosk.waitForState(
      [from](const QJsonObject &s) {
        return s.value(QStringLiteral("backwards")).toBool() &&
               s.value(QStringLiteral("playing")).toBool() &&
               number(s, "position_ms") < from - 400 && onThePlayhead(s);
      },
      15000, &ok);
  ASSERT_TRUE(ok) << "from " << from << ": " << text(state);
  ASSERT_EQ(kiosk.command(QStringLiteral("play-backward")), QStringLiteral("ok paused"));
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}

// In Helsinki with British English, live and in playback: the readout is the locale's short date,
// the time and the zone's abbreviation (EET, or EEST in summer); zoomed out to days, each tick
// names the day and the month in words ("Fri 4 Dec"), never "12-04".
TEST(KioskTimeline, TheReadoutNamesTheZoneAndTheDayTicksTheMonth) {
  KioskProcess kiosk;
  startAndRecord(&kiosk, 1,
                 {QStringLiteral("TZ=Europe/Helsinki"), QStringLiteral("LC_ALL=en_GB.UTF-8")});
  ASSERT_FALSE(HasFatalFailure());
  const QRegularExpression readout(QStringLiteral(
      "^(LIVE|PLAYBACK)  [0-3][0-9]/[01][0-9]/20[0-9][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] EE"
      "S?T$"));
  QString shown = kiosk.state().value(QStringLiteral("readout")).toString();
  EXPECT_TRUE(readout.match(shown).hasMatch()) << shown.toStdString();
  const QString reply = kiosk.command(QStringLiteral("seek-offset -500"));
  ASSERT_TRUE(reply.startsWith(QStringLiteral("ok seek "))) << reply.toStdString();
  bool ok = false;
  const QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return s.value(QStringLiteral("readout")).toString().startsWith(QStringLiteral("PLAYBACK"));
      },
      15000, &ok);
  shown = state.value(QStringLiteral("readout")).toString();
  EXPECT_TRUE(ok && readout.match(shown).hasMatch()) << shown.toStdString();

  ASSERT_EQ(kiosk.command(QStringLiteral("wheel -24000")), QStringLiteral("ok wheel -24000"));
  const QJsonObject days = kiosk.state();
  ASSERT_EQ(view(days, "span"), 14.0 * 24 * 3600 * 1000) << text(days);
  const QJsonArray ticks =
      days.value(QStringLiteral("timeline")).toObject().value(QStringLiteral("ticks")).toArray();
  EXPECT_GE(ticks.size(), 7) << text(days);
  const QRegularExpression day(
      QStringLiteral("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [1-9][0-9]? "
                     "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$"));
  for (const QJsonValue &tick : ticks)
    EXPECT_TRUE(day.match(tick.toString()).hasMatch()) << tick.toString().toStdString();
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
