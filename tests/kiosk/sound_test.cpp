/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk's sound: a file camera with a 440 Hz tone in AAC beside a silent synthetic camera,
// played into a PulseAudio server of the test's own. Muted by default and for tiles that are not
// maximised; M (the "sound" command) turns the maximised tile's sound on, and the tone is then
// recorded from the server's output (its pitch and level), live and in playback; off again,
// the output is silent. A camera without sound has no speaker button.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "kiosk_process.h"
#include "pulse_server.h"

namespace {

constexpr int kRate = 48000;
constexpr double kToneHz = 440;

QJsonObject sound(const QJsonObject &state) {
  return state.value(QStringLiteral("sound")).toObject();
}

QJsonObject tile(const QJsonObject &state, int index) {
  for (const QJsonValue &t : state.value(QStringLiteral("tiles")).toArray())
    if (t.toObject().value(QStringLiteral("index")).toInt() == index) return t.toObject();
  return {};
}

double playedMs(const QJsonObject &state) {
  return sound(state).value(QStringLiteral("played_ms")).toDouble();
}

// RMS and sign changes per second of mono s16 sound at kRate.
struct Level {
  double rms = 0, crossingsPerS = 0;
};
Level measure(const QByteArray &pcm) {
  const int16_t *s = reinterpret_cast<const int16_t *>(pcm.constData());
  const qsizetype n = pcm.size() / 2;
  double sum = 0;
  long crossings = 0;
  for (qsizetype i = 0; i < n; i++) {
    sum += double(s[i]) * s[i];
    if (i > 0 && (s[i] < 0) != (s[i - 1] < 0)) crossings++;
  }
  return n ? Level{std::sqrt(sum / n), crossings * double(kRate) / n} : Level{};
}

bool makeClip(const QString &path, QString *error) {
  QProcess ffmpeg;
  ffmpeg.start(QStringLiteral("ffmpeg"), {QStringLiteral("-nostdin"),
                                          QStringLiteral("-v"),
                                          QStringLiteral("error"),
                                          QStringLiteral("-y"),
                                          QStringLiteral("-f"),
                                          QStringLiteral("lavfi"),
                                          QStringLiteral("-i"),
                                          QStringLiteral("testsrc=size=320x240:rate=25"),
                                          QStringLiteral("-f"),
                                          QStringLiteral("lavfi"),
                                          QStringLiteral("-i"),
                                          QStringLiteral("sine=frequency=440:sample_rate=48000"),
                                          QStringLiteral("-t"),
                                          QStringLiteral("8"),
                                          QStringLiteral("-c:v"),
                                          QStringLiteral("libx264"),
                                          QStringLiteral("-g"),
                                          QStringLiteral("25"),
                                          QStringLiteral("-c:a"),
                                          QStringLiteral("aac"),
                                          path});
  if (ffmpeg.waitForFinished(60000) && ffmpeg.exitStatus() == QProcess::NormalExit &&
      ffmpeg.exitCode() == 0)
    return true;
  *error = QString::fromUtf8(ffmpeg.readAllStandardError());
  return false;
}

}  // namespace

TEST(KioskSound, TheMaximisedTilesSoundPlaysWhenTurnedOnLiveAndInPlayback) {
  PulseServer pulse;
  QString error;
  ASSERT_TRUE(pulse.start(&error)) << error.toStdString();
  KioskProcess kiosk;
  const QString clip = kiosk.dir() + QStringLiteral("/tone.mp4");
  ASSERT_TRUE(makeClip(clip, &error)) << error.toStdString();
  const QString config = kiosk.dir() + QStringLiteral("/cameras.json");
  QFile file(config);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(
      QJsonDocument(
          QJsonObject{
              {QStringLiteral("fs"),
               QJsonObject{{QStringLiteral("dir"), kiosk.dir() + QStringLiteral("/fs")},
                           {QStringLiteral("create"),
                            QJsonObject{{QStringLiteral("kind"), QStringLiteral("multi")},
                                        {QStringLiteral("blocks"), 64}}}}},
              {QStringLiteral("cameras"),
               QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("tone")},
                                      {QStringLiteral("url"), clip},
                                      {QStringLiteral("options"),
                                       QJsonObject{{QStringLiteral("loop"), true},
                                                   {QStringLiteral("realtime"), true}}}},
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("silent")},
                                      {QStringLiteral("url"), QStringLiteral("synthetic://1")}}}}})
          .toJson());
  file.close();
  QFile::setPermissions(config, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  ASSERT_TRUE(
      kiosk.start({QStringLiteral("--config"), config}, true, {}, {pulse.clientEnvironment()}));

  // Sound is seen, but nothing is maximised: muted, no speaker button, nothing played.
  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return tile(s, 0).value(QStringLiteral("has_sound")).toBool() &&
               tile(s, 1).value(QStringLiteral("presented")).toDouble() > 25;
      },
      30000, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  EXPECT_TRUE(sound(state).value(QStringLiteral("muted")).toBool());
  EXPECT_EQ(sound(state).value(QStringLiteral("camera")).toInt(), -1);
  EXPECT_FALSE(tile(state, 0).value(QStringLiteral("sound_button")).toBool());
  EXPECT_FALSE(tile(state, 1).value(QStringLiteral("has_sound")).toBool());

  // Maximised: the button shows, still muted, and the output stays silent.
  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return tile(s, 0).value(QStringLiteral("sound_button")).toBool();
      },
      5000, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(state).toJson().toStdString();
  EXPECT_EQ(sound(state).value(QStringLiteral("camera")).toInt(), 0);
  EXPECT_LT(measure(pulse.record(1000, kRate)).rms, 30);
  EXPECT_EQ(playedMs(kiosk.state()), 0);

  // On: the tone comes out, at its pitch and about lavfi's level (1/8 of full scale).
  ASSERT_EQ(kiosk.command(QStringLiteral("sound")), QStringLiteral("ok sound on"));
  state = kiosk.waitForState([](const QJsonObject &s) { return playedMs(s) > 1000; }, 15000, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  EXPECT_EQ(sound(state).value(QStringLiteral("codec")).toString(), QStringLiteral("AAC"));
  EXPECT_EQ(sound(state).value(QStringLiteral("rate")).toInt(), kRate);
  EXPECT_EQ(sound(state).value(QStringLiteral("channels")).toInt(), 1);
  EXPECT_EQ(sound(state).value(QStringLiteral("problem")).toString(), QString());
  Level live = measure(pulse.record(1500, kRate));
  EXPECT_GT(live.rms, 1000);
  EXPECT_NEAR(live.crossingsPerS, 2 * kToneHz, 40);

  // Off: silence again, and the device plays no more.
  ASSERT_EQ(kiosk.command(QStringLiteral("sound")), QStringLiteral("ok sound off"));
  QThread::msleep(500);
  EXPECT_LT(measure(pulse.record(1000, kRate)).rms, 30);

  // Playback 4 s back at 1x with sound on: the recorded tone plays.
  ASSERT_EQ(kiosk.command(QStringLiteral("sound")), QStringLiteral("ok sound on"));
  ASSERT_TRUE(
      kiosk.command(QStringLiteral("seek-offset -4000")).startsWith(QStringLiteral("ok seek")));
  ASSERT_EQ(kiosk.command(QStringLiteral("toggle-play")), QStringLiteral("ok playing"));
  const double before = playedMs(kiosk.state());
  state = kiosk.waitForState(
      [before](const QJsonObject &s) {
        return s.value(QStringLiteral("mode")).toString() == QStringLiteral("playback") &&
               playedMs(s) > before + 1000;
      },
      15000, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  Level played = measure(pulse.record(1000, kRate));
  EXPECT_GT(played.rms, 1000);
  EXPECT_NEAR(played.crossingsPerS, 2 * kToneHz, 40);

  // The silent camera maximised instead: no button, nothing to hear.
  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 1")), QStringLiteral("ok maximise 1"));
  state = kiosk.waitForState(
      [](const QJsonObject &s) { return sound(s).value(QStringLiteral("camera")).toInt() == 1; },
      5000, &ok);
  ASSERT_TRUE(ok);
  EXPECT_FALSE(tile(state, 1).value(QStringLiteral("sound_button")).toBool());
  QThread::msleep(500);
  EXPECT_LT(measure(pulse.record(1000, kRate)).rms, 30);
  EXPECT_TRUE(kiosk.quit());
}
