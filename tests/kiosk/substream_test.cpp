/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Substreams on the wall under Xvfb (issue 15): 4 synthetic cameras (1280x720, each with its
// 640x360 substream synthetic://N/sub) decode their substreams in the 2x2 tiles, a maximised tile
// switches to its main stream and back, showing pictures all along, and the kiosk records both
// streams of each camera, the sub named "NAME/sub" of the main's id. In playback, paused on a
// seek, the small tiles show their recorded substreams and the maximised one its recorded main,
// each at the playhead, one stream decoded per tile; at a playhead from before the substreams
// were added to the config, the small tiles show the mains recorded then.
#include <QDateTime>
#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

#include <valkka/valkka.h>

#include "kiosk_process.h"

namespace {

// The default wall's cameras at 1280x720, each with its substream (or without, `subs` false).
QString writeConfig(const QString &dir, bool subs = true) {
  QString cameras;
  for (int i = 0; i < 4; i++)
    cameras +=
        QStringLiteral(R"(%1{"name": "synthetic %2", "url": "synthetic://%2", %3
        "options": {"width": 1280, "height": 720}})")
            .arg(i ? QStringLiteral(", ") : QString())
            .arg(i)
            .arg(subs ? QStringLiteral(R"("substream": "synthetic://%1/sub",)").arg(i) : QString());
  const QString path = dir + QStringLiteral("/cams.json");
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return QString();
  file.write(
      QStringLiteral(R"({"fs": {"dir": "%1/fs", "create": {"blocks": 64}}, "cameras": [%2]})")
          .arg(dir, cameras)
          .toUtf8());
  return path;
}

QJsonObject tileOf(const QJsonObject &state, int index) {
  return state.value(QStringLiteral("tiles")).toArray().at(index).toObject();
}

QString decodes(const QJsonObject &state, int index) {
  return tileOf(state, index).value(QStringLiteral("decodes")).toString();
}

double presented(const QJsonObject &state, int index) {
  return tileOf(state, index).value(QStringLiteral("presented")).toDouble();
}

// 25 fps: a tile at the playhead shows a picture less than a frame older than it.
constexpr double kFrameMs = 40;

// Paused playback at `position`, tile `index` showing stream `stream` ("main" or "sub") there.
bool atPlayhead(const QJsonObject &state, int index, const QString &stream, double position) {
  const double shown = tileOf(state, index).value(QStringLiteral("frame_ms")).toDouble();
  return state.value(QStringLiteral("mode")).toString() == QStringLiteral("playback") &&
         state.value(QStringLiteral("position_ms")).toDouble() == position &&
         decodes(state, index) == stream && shown <= position && shown > position - kFrameMs;
}

std::string text(const QJsonObject &state) { return QJsonDocument(state).toJson().toStdString(); }

// Starts the kiosk on the config and waits until every tile showed `pictures` of its substream.
bool startWall(KioskProcess *kiosk, double pictures, QJsonObject *state) {
  const QString config = writeConfig(kiosk->dir());
  if (config.isEmpty() || !kiosk->start({QStringLiteral("--config"), config}, true)) return false;
  bool ok = false;
  *state = kiosk->waitForState(
      [pictures](const QJsonObject &s) {
        for (int i = 0; i < 4; i++)
          if (presented(s, i) < pictures || decodes(s, i) != QStringLiteral("sub")) return false;
        return true;
      },
      90000, &ok);
  return ok;
}

}  // namespace

TEST(KioskSubstream, SmallTilesDecodeSubsAndAMaximisedTileItsMain) {
  KioskProcess kiosk;
  QJsonObject state;
  bool ok = startWall(&kiosk, 10, &state);
  ASSERT_TRUE(ok) << "the 4 tiles did not show their substreams: "
                  << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();

  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  const double before = presented(state, 0);
  state = kiosk.waitForState(
      [before](const QJsonObject &s) {
        return decodes(s, 0) == QStringLiteral("main") && presented(s, 0) > before + 25;
      },
      20000, &ok);
  ASSERT_TRUE(ok) << "the maximised tile did not switch to its main stream: "
                  << QJsonDocument(tileOf(state, 0)).toJson().toStdString();

  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  const double main = presented(state, 0);
  state = kiosk.waitForState(
      [main](const QJsonObject &s) {
        for (int i = 0; i < 4; i++)
          if (decodes(s, i) != QStringLiteral("sub")) return false;
        return presented(s, 0) > main + 25;
      },
      20000, &ok);
  EXPECT_TRUE(ok) << "tile 0 did not go back to its substream: "
                  << QJsonDocument(state).toJson().toStdString();
  ASSERT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();

  // Both streams of every camera are in the FS's stream table.
  const QByteArray dir = (kiosk.dir() + QStringLiteral("/fs")).toUtf8();
  valkka_fs_open_params_t params{};
  params.struct_size = sizeof params;
  params.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  ASSERT_EQ(valkka_fs_open(dir.constData(), &params, &fs), 0) << valkka_last_error();
  valkka_fs_stream_info_t streams[16]{};
  streams[0].struct_size = sizeof streams[0];
  const int n = valkka_fs_get_streams(fs, streams, 16);
  valkka_fs_close(fs);
  ASSERT_EQ(n, 8) << "4 mains and 4 substreams";
  for (int i = 0; i < 4; i++) {
    SCOPED_TRACE("camera " + std::to_string(i));
    EXPECT_EQ(streams[i].stream_id, static_cast<uint32_t>(i + 1));
    EXPECT_EQ(QString::fromUtf8(streams[i].name), QStringLiteral("synthetic %1").arg(i));
    EXPECT_EQ(streams[4 + i].stream_id, static_cast<uint32_t>(2001 + i));
    EXPECT_EQ(QString::fromUtf8(streams[4 + i].name), QStringLiteral("synthetic %1/sub").arg(i));
    EXPECT_EQ(streams[4 + i].camera_id, static_cast<uint32_t>(i + 1));
  }
}

TEST(KioskSubstream, PlaybackDecodesSubsAndAMaximisedTileItsMainAtThePlayhead) {
  KioskProcess kiosk;
  QJsonObject state;
  // 6 s recorded: room for a seek 4 s back.
  bool ok = startWall(&kiosk, 150, &state);
  ASSERT_TRUE(ok) << text(state) << kiosk.standardError().toStdString();

  const QString reply = kiosk.command(QStringLiteral("seek-offset -4000"));
  ASSERT_TRUE(reply.startsWith(QStringLiteral("ok seek "))) << reply.toStdString();
  const double target = reply.mid(8).toDouble();
  auto everySub = [target](const QJsonObject &s) {
    for (int i = 0; i < 4; i++)
      if (!atPlayhead(s, i, QStringLiteral("sub"), target)) return false;
    return true;
  };
  state = kiosk.waitForState(everySub, 20000, &ok);
  ASSERT_TRUE(ok) << "the tiles do not show their recorded substreams at " << target << ": "
                  << text(state);
  // One video stream decoded per tile, beside each camera's sound stream (recorded, mapped).
  auto decoded = [](const QJsonObject &s) {
    return s.value(QStringLiteral("playback_streams")).toDouble() - 4;
  };
  EXPECT_EQ(decoded(state), 4) << text(state);

  // Maximised, paused: the main stream's picture at the same playhead replaces the sub's.
  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  state = kiosk.waitForState(
      [target](const QJsonObject &s) { return atPlayhead(s, 0, QStringLiteral("main"), target); },
      20000, &ok);
  ASSERT_TRUE(ok) << "the maximised tile does not show its main stream at " << target << ": "
                  << text(tileOf(state, 0)) << " at " << text(state);
  // The substream it showed until then is no longer decoded.
  state = kiosk.waitForState([&](const QJsonObject &s) { return decoded(s) == 4; }, 20000, &ok);
  EXPECT_TRUE(ok) << text(state);

  ASSERT_EQ(kiosk.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
  state = kiosk.waitForState(everySub, 20000, &ok);
  ASSERT_TRUE(ok) << "tile 0 did not go back to its substream: " << text(state);
  state = kiosk.waitForState([&](const QJsonObject &s) { return decoded(s) == 4; }, 20000, &ok);
  EXPECT_TRUE(ok) << text(state);

  // A step moves the streams shown: every tile stays on its substream, at the new playhead.
  ASSERT_EQ(kiosk.command(QStringLiteral("step")), QStringLiteral("ok step"));
  state = kiosk.waitForState(
      [target](const QJsonObject &s) {
        const double position = s.value(QStringLiteral("position_ms")).toDouble();
        if (position <= target) return false;
        for (int i = 0; i < 4; i++)
          if (!atPlayhead(s, i, QStringLiteral("sub"), position)) return false;
        return true;
      },
      20000, &ok);
  EXPECT_TRUE(ok) << "a step did not move the substreams shown: " << text(state);
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}

TEST(KioskSubstream, APlayheadFromBeforeTheSubstreamsWereRecordedShowsTheMainStreams) {
  KioskProcess kiosk;
  // First the cameras alone, for 4 s.
  const QString alone = writeConfig(kiosk.dir(), false);
  ASSERT_FALSE(alone.isEmpty());
  ASSERT_TRUE(kiosk.start({QStringLiteral("--config"), alone}, true));
  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        for (int i = 0; i < 4; i++)
          if (presented(s, i) < 100 || decodes(s, i) != QStringLiteral("main")) return false;
        return true;
      },
      90000, &ok);
  ASSERT_TRUE(ok) << text(state) << kiosk.standardError().toStdString();
  const qint64 aloneEnd = QDateTime::currentMSecsSinceEpoch();
  ASSERT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();

  // Then with their substreams, in the same FS.
  ASSERT_TRUE(startWall(&kiosk, 100, &state)) << text(state) << kiosk.standardError().toStdString();
  // A seek `offsetMs` from now after which every tile shows `stream` at the playhead.
  auto seekShowing = [&](qint64 offsetMs, const QString &stream) {
    const QString reply = kiosk.command(QStringLiteral("seek-offset %1").arg(offsetMs));
    EXPECT_TRUE(reply.startsWith(QStringLiteral("ok seek "))) << reply.toStdString();
    const double target = reply.mid(8).toDouble();
    state = kiosk.waitForState(
        [&](const QJsonObject &s) {
          for (int i = 0; i < 4; i++)
            if (!atPlayhead(s, i, stream, target)) return false;
          return true;
        },
        20000, &ok);
    EXPECT_TRUE(ok) << "the tiles do not show their " << stream.toStdString() << " streams at "
                    << target << ": " << text(state);
  };
  // Before the substreams: the mains recorded then, in small tiles too.
  seekShowing(aloneEnd - 1500 - QDateTime::currentMSecsSinceEpoch(), QStringLiteral("main"));
  // Back where both were recorded: the substreams again.
  seekShowing(-1000, QStringLiteral("sub"));
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
