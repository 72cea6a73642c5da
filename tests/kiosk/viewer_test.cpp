/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk as a viewer of a `valkka record` process (issue 13): `--fs DIR` shows the cameras the
// recorder records, live from the recording (no connection to the cameras), each tile its own
// camera's picture from within a second; a kiosk started on the recorder's own config sees the
// FS held and views it too; `kill -9` of the kiosk leaves the recording without a gap; the tiles'
// states are the recorder's (status.json), a camera it cannot reach and the recorder stopping too.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <vector>

#include <valkka/valkka.h>

#include "kiosk_process.h"
#include "recorder_process.h"
#include "wall_check.h"

namespace {

constexpr const char *kDoorPassword = "door-pw-16180";

// The largest step between consecutive frames of `stream` in the FS (0 with fewer than two).
int64_t largestStep(const QString &dir, uint32_t stream) {
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  p.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_open(dir.toUtf8().constData(), &p, &fs) != 0) return -1;
  valkka_fs_block_t probe{};
  probe.struct_size = sizeof probe;
  const int n = valkka_fs_read_table(fs, &probe, 0);
  std::vector<valkka_fs_block_t> table(static_cast<size_t>(std::max(n, 0)));
  if (n > 0) {
    table[0].struct_size = sizeof table[0];
    valkka_fs_read_table(fs, table.data(), static_cast<uint32_t>(n));
  }
  std::sort(table.begin(), table.end(), [](const auto &a, const auto &b) { return a.seq < b.seq; });
  struct Times {
    uint32_t stream;
    std::vector<int64_t> ms;
  } times{stream, {}};
  for (const auto &b : table) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    valkka_fs_read_block(
        fs, b.index,
        [](void *user, const valkka_frame_t *f) {
          auto *t = static_cast<Times *>(user);
          if (f->stream_id == t->stream && f->kind == VALKKA_FRAME_ENCODED)
            t->ms.push_back(f->mstime);
          return 0;
        },
        &times);
  }
  valkka_fs_close(fs);
  int64_t largest = 0;
  for (size_t i = 1; i < times.ms.size(); i++)
    largest = std::max(largest, times.ms[i] - times.ms[i - 1]);
  return largest;
}

void expectFourLiveCameras(const QString &png, const std::string &errors) {
  const QImage image(png);
  ASSERT_FALSE(image.isNull()) << "no screenshot: " << errors;
  const QJsonObject shot = readShotJson(png);
  const QJsonArray tiles = shot.value(QStringLiteral("tiles")).toArray();
  ASSERT_EQ(tiles.size(), 4) << errors;
  const double taken = shot.value(QStringLiteral("taken_ms")).toDouble();
  for (int i = 0; i < 4; i++) {
    SCOPED_TRACE("tile " + std::to_string(i));
    const QJsonObject tile = tiles.at(i).toObject();
    EXPECT_EQ(tile.value(QStringLiteral("state")).toString(), QStringLiteral("streaming"));
    // The recorder's own picture of now: its record time within a second of the screenshot.
    EXPECT_NEAR(tile.value(QStringLiteral("frame_ms")).toDouble(), taken, 1000);
    const RegionStats picture =
        regionStats(image, inset(rectOf(tile.value(QStringLiteral("video_rect"))), 0.2));
    EXPECT_EQ(nearestSyntheticCamera(picture.median), i)
        << "tile " << i << " shows " << picture.median.name().toStdString();
  }
}

TEST(KioskViewer, ShowsTheCamerasARecorderRecords) {
  KioskProcess kiosk;
  const QString fs = kiosk.dir() + QStringLiteral("/fs");
  Recorder recorder(fs);
  ASSERT_TRUE(recorder.waitForStreams()) << "the recorder never recorded four streams";
  const QString png = kiosk.dir() + QStringLiteral("/viewer.png");
  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs"), fs, QStringLiteral("--screenshot"), png,
                           QStringLiteral("--after"), QStringLiteral("6")},
                          false));
  ASSERT_TRUE(kiosk.waitForExit(90000)) << kiosk.standardError().toStdString();
  const std::string errors = kiosk.standardError().toStdString();
  ASSERT_EQ(kiosk.exitCode(), 0) << errors;
  expectFourLiveCameras(png, errors);
  // The tiles are named as the recorder named the streams.
  const QJsonArray tiles = readShotJson(png).value(QStringLiteral("tiles")).toArray();
  for (int i = 0; i < tiles.size(); i++)
    EXPECT_EQ(tiles.at(i).toObject().value(QStringLiteral("name")).toString(),
              QStringLiteral("camera %1").arg(i))
        << errors;
  EXPECT_TRUE(recorder.running()) << "the viewer's exit stopped the recorder";
  EXPECT_EQ(recorder.stop(), 0);
}

// The viewer's timeline plays the recording back as the recorder's own kiosk would: a seek 3 s
// into the past puts every tile on that time, LIVE brings the live edge back. Then the kiosk is
// killed with SIGKILL: the recorder goes on, its recording has no gap.
TEST(KioskViewer, PlaysBackAndKillingItLeavesTheRecordingWhole) {
  KioskProcess kiosk;
  const QString fs = kiosk.dir() + QStringLiteral("/fs");
  Recorder recorder(fs);
  ASSERT_TRUE(recorder.waitForStreams());
  ASSERT_TRUE(kiosk.start({QStringLiteral("--viewer"), QStringLiteral("--fs"), fs}, true));
  bool ok = false;
  // Live pictures for 4 s first (the seek's target must be recorded, with a keyframe before it).
  kiosk.waitForState(
      [](const QJsonObject &s) { return tilesPresented(s, 4, 100) && tilesLive(s, 4); }, 60000,
      &ok);
  ASSERT_TRUE(ok) << "no live pictures: " << kiosk.standardError().toStdString();
  QJsonObject state;
  const double target = seekAndWaitForTiles(kiosk, -3000, 4, &state, &ok);
  ASSERT_TRUE(ok) << "target " << static_cast<int64_t>(target) << ": "
                  << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  ASSERT_EQ(kiosk.command(QStringLiteral("live")), QStringLiteral("ok live"));
  state = kiosk.waitForState([](const QJsonObject &s) { return tilesLive(s, 4); }, 15000, &ok);
  ASSERT_TRUE(ok) << "live pictures did not return: "
                  << QJsonDocument(state).toJson().toStdString();

  ::kill(static_cast<pid_t>(kiosk.pid()), SIGKILL);
  kiosk.waitForExit(10000);
  QThread::msleep(1000);  // a second of recording after the viewer died
  ASSERT_TRUE(recorder.running()) << "killing the viewer stopped the recorder";
  ASSERT_EQ(recorder.stop(), 0);
  for (uint32_t stream = 1; stream <= 4; stream++) {
    const int64_t step = largestStep(fs, stream);
    EXPECT_GT(step, 0) << "stream " << stream;
    // Synthetic cameras run at 25 fps: one frame missing would be an 80 ms step.
    EXPECT_LT(step, 80) << "stream " << stream << " has a gap";
  }
}

// Whether there are `n` tiles and the `key` of each starts with `text`.
bool everyTileSays(const QJsonObject &state, int n, const QString &key, const QString &text) {
  const QJsonArray tiles = state.value(QStringLiteral("tiles")).toArray();
  for (const QJsonValue &t : tiles)
    if (!t.toObject().value(key).toString().startsWith(text)) return false;
  return tiles.size() == n;
}

// The recorder's word on its cameras (status.json) is the viewer's tiles' state: its four synthetic
// cameras stream, "door" (refused by 127.0.0.1:1, never in the FS) reconnects with the recorder's
// reason, redacted, and its countdown; once the recorder stops, every tile says so.
TEST(KioskViewer, TileStatesAreTheRecorders) {
  KioskProcess kiosk;
  const QString fs = kiosk.dir() + QStringLiteral("/fs"),
                config = kiosk.dir() + QStringLiteral("/cameras.json");
  QString cameras;
  for (int i = 0; i < 4; i++)
    cameras += QStringLiteral(R"({"name": "camera %1", "url": "synthetic://%1", "id": %2}, )")
                   .arg(i)
                   .arg(i + 1);
  QFile file(config);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  file.write(QStringLiteral(R"({"fs": {"dir": "%1"}, "cameras": [%2
    {"name": "door", "url": "rtsp://viewer:%3@127.0.0.1:1/live", "id": 5}]})")
                 .arg(fs, cameras, QLatin1String(kDoorPassword))
                 .toUtf8());
  file.close();
  Recorder recorder(fs, {QStringLiteral("--config"), config});
  ASSERT_TRUE(recorder.waitForStreams()) << "the recorder never recorded four streams";
  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs"), fs}, true));
  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        const QJsonArray tiles = s.value(QStringLiteral("tiles")).toArray();
        if (tiles.size() != 5) return false;
        for (int i = 0; i < 4; i++)
          if (tiles.at(i).toObject().value(QStringLiteral("state")).toString() !=
              QStringLiteral("streaming"))
            return false;
        const QJsonObject door = tiles.at(4).toObject();
        // The countdown is the recorder's next attempt (retry_at).
        return door.value(QStringLiteral("state")).toString() == QStringLiteral("reconnecting") &&
               door.value(QStringLiteral("status"))
                   .toString()
                   .startsWith(QStringLiteral("RECONNECTING in ")) &&
               door.value(QStringLiteral("reason"))
                   .toString()
                   .contains(QStringLiteral("rtsp://***@127.0.0.1:1/live"));
      },
      60000, &ok);
  const QByteArray text = QJsonDocument(state).toJson();
  EXPECT_TRUE(ok) << text.toStdString() << kiosk.standardError().toStdString();
  EXPECT_FALSE(text.contains(kDoorPassword)) << "the password reached the viewer";
  const QJsonObject door = state.value(QStringLiteral("tiles")).toArray().at(4).toObject();
  EXPECT_EQ(door.value(QStringLiteral("name")).toString(), QStringLiteral("door"));

  ASSERT_EQ(recorder.stop(), 0);
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return everyTileSays(s, 5, QStringLiteral("status"),
                             QStringLiteral("RECORDER STOPPED at "));
      },
      20000, &ok);
  EXPECT_TRUE(ok) << "the tiles did not say the recorder stopped: "
                  << QJsonDocument(state).toJson().toStdString();
  for (const QJsonValue &t : state.value(QStringLiteral("tiles")).toArray())
    EXPECT_EQ(t.toObject().value(QStringLiteral("state")).toString(),
              QStringLiteral("recorder_stopped"));
  EXPECT_FALSE(kiosk.standardError().contains(QLatin1String(kDoorPassword)));
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}

// A recorder killed with SIGKILL leaves status.json as it was: its `updated` goes stale and every
// tile says the recorder is not updating instead of a stale "streaming".
TEST(KioskViewer, ADeadRecordersTilesSayItIsNotUpdating) {
  KioskProcess kiosk;
  const QString fs = kiosk.dir() + QStringLiteral("/fs");
  Recorder recorder(fs);
  ASSERT_TRUE(recorder.waitForStreams());
  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs"), fs}, true));
  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return everyTileSays(s, 4, QStringLiteral("state"), QStringLiteral("streaming"));
      },
      60000, &ok);
  ASSERT_TRUE(ok) << kiosk.standardError().toStdString();
  recorder.kill();
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return everyTileSays(s, 4, QStringLiteral("status"),
                             QStringLiteral("RECORDER NOT UPDATING since "));
      },
      30000, &ok);
  EXPECT_TRUE(ok) << QJsonDocument(state).toJson().toStdString();
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}

}  // namespace
