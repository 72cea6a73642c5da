/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Gaps in playback on the wall (issue 18): an FS of two cameras a recorder wrote for 10 s,
// stopped for 80 s, then wrote for 10 s more, viewed with `--fs DIR`. A seek into the gap: every
// tile says "no recording" with the time of the picture it still shows, and the readout says no
// camera recorded there; a seek into the recording: no tile says so. Playing through the gap
// reaches the next recording at once; in "real time" the clock runs on through it, tiles marked.
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <string>

#include "gap_recording.h"
#include "kiosk_process.h"

namespace {

constexpr int kIntervalMs = kGapIntervalMs;

QJsonArray tiles(const QJsonObject &state) {
  return state.value(QStringLiteral("tiles")).toArray();
}

// A click on the timeline at about `t` (the pixel's time: the reply's).
double seekTo(KioskProcess &kiosk, int64_t t) {
  const int64_t offset = t - QDateTime::currentMSecsSinceEpoch();
  const QString reply = kiosk.command(QStringLiteral("seek-offset %1").arg(offset));
  return reply.startsWith(QStringLiteral("ok seek ")) ? reply.mid(8).toDouble() : 0;
}

// Every tile says "no recording"; one that still shows a picture names that picture's time.
bool everyTileSaysNoRecording(const QJsonObject &state) {
  if (state.value(QStringLiteral("mode")).toString() != QStringLiteral("playback")) return false;
  for (const QJsonValue &v : tiles(state)) {
    const QString text = v.toObject().value(QStringLiteral("no_recording")).toString();
    const auto frame =
        static_cast<qint64>(v.toObject().value(QStringLiteral("frame_ms")).toDouble());
    if (!text.startsWith(QStringLiteral("No recording"))) return false;
    const QString shown =
        QDateTime::fromMSecsSinceEpoch(frame).toString(QStringLiteral("HH:mm:ss.zzz"));
    if (frame > 0 && !text.contains(shown)) return false;
  }
  return tiles(state).size() == 2;
}

// Every tile shows its picture at the playhead (within `slackMs`: a frame interval when paused;
// more while playing, the clock read a moment apart from the pictures) and says nothing of gaps.
bool everyTileAtPlayhead(const QJsonObject &state, double slackMs = kIntervalMs) {
  const double at = state.value(QStringLiteral("position_ms")).toDouble();
  for (const QJsonValue &v : tiles(state)) {
    const double frame = v.toObject().value(QStringLiteral("frame_ms")).toDouble();
    if (!v.toObject().value(QStringLiteral("no_recording")).toString().isEmpty()) return false;
    if (!(frame <= at + slackMs && frame > at - slackMs)) return false;
  }
  return tiles(state).size() == 2;
}

bool atPlayhead(const QJsonObject &state) { return everyTileAtPlayhead(state); }

std::string text(const QJsonObject &state) {
  return QJsonDocument(state).toJson(QJsonDocument::Compact).toStdString();
}

class KioskGaps : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(startKioskOnGapFs(&kiosk_, &rec_)); }

  KioskProcess kiosk_;
  GapRecording rec_;
};

}  // namespace

TEST_F(KioskGaps, SeekIntoAGapEveryTileSaysNoRecordingAndTheReadoutToo) {
  // Into the recording first: the pictures there, no tile marked.
  ASSERT_GT(seekTo(kiosk_, rec_.firstStart + 5000), 0);
  bool ok = false;
  QJsonObject state = kiosk_.waitForState(atPlayhead, 15000, &ok);
  ASSERT_TRUE(ok) << text(state);
  EXPECT_FALSE(state.value(QStringLiteral("readout")).toString().contains("NO RECORDING"));

  // Into the gap: the last pictures of session 1 stay, dimmed, each with its own time.
  const double target = seekTo(kiosk_, rec_.firstEnd + 30000);
  ASSERT_GT(target, rec_.firstEnd + 1000);
  state = kiosk_.waitForState(
      [&](const QJsonObject &s) {
        return s.value(QStringLiteral("position_ms")).toDouble() == target &&
               everyTileSaysNoRecording(s);
      },
      15000, &ok);
  ASSERT_TRUE(ok) << text(state);
  for (const QJsonValue &v : tiles(state))
    EXPECT_LE(v.toObject().value(QStringLiteral("frame_ms")).toDouble(), rec_.firstEnd);
  EXPECT_TRUE(state.value(QStringLiteral("readout")).toString().endsWith("NO RECORDING"))
      << text(state);
  if (const QString shots = shotsDir(); !shots.isEmpty())
    kiosk_.command(QStringLiteral("screenshot ") + shots + QStringLiteral("/gap.png"));
  EXPECT_TRUE(kiosk_.quit());
}

TEST_F(KioskGaps, PlayingThroughAGapReachesTheNextRecording) {
  ASSERT_GT(seekTo(kiosk_, rec_.firstEnd - 2000), 0);
  bool ok = false;
  QJsonObject state = kiosk_.waitForState(atPlayhead, 15000, &ok);
  ASSERT_TRUE(ok) << text(state);
  ASSERT_EQ(kiosk_.command(QStringLiteral("toggle-play")), QStringLiteral("ok playing"));
  // 80 s of empty time at 1x: only the jump gets there in time.
  state = kiosk_.waitForState(
      [&](const QJsonObject &s) {
        return s.value(QStringLiteral("position_ms")).toDouble() >= rec_.secondStart &&
               everyTileAtPlayhead(s, 500);
      },
      30000, &ok);
  EXPECT_TRUE(ok) << text(state);
  EXPECT_TRUE(kiosk_.quit());
}

TEST_F(KioskGaps, InRealTimeTheClockRunsThroughTheGapWithTheTilesMarked) {
  ASSERT_EQ(kiosk_.command(QStringLiteral("real-time on")), QStringLiteral("ok real-time on"));
  ASSERT_GT(seekTo(kiosk_, rec_.firstEnd - 1000), 0);
  bool ok = false;
  QJsonObject state = kiosk_.waitForState(atPlayhead, 15000, &ok);
  ASSERT_TRUE(ok) << text(state);
  EXPECT_TRUE(state.value(QStringLiteral("gaps_real_time")).toBool());
  ASSERT_EQ(kiosk_.command(QStringLiteral("speed 4")), QStringLiteral("ok speed 4"));
  ASSERT_EQ(kiosk_.command(QStringLiteral("toggle-play")), QStringLiteral("ok playing"));
  state = kiosk_.waitForState(
      [&](const QJsonObject &s) {
        const double at = s.value(QStringLiteral("position_ms")).toDouble();
        return at > rec_.firstEnd + 4000 && at < rec_.secondStart && everyTileSaysNoRecording(s);
      },
      30000, &ok);
  EXPECT_TRUE(ok) << text(state);
  EXPECT_TRUE(kiosk_.quit());
}
