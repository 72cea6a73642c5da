/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A wall of two recorders (issue 14): two `valkka record` processes, each into its own FS, both
// with stream ids 1..4 and cameras named "camera 0" .. "camera 3", and one kiosk `--fs A --fs B`.
// Each of the 8 tiles shows its own recorder's camera live (south records the synthetic cameras
// in the other order: the same stream id is another picture there), is named by its recorder,
// takes its state from its own recorder's status.json, and a timeline seek puts all 8 on one time:
// the FS as directories, and each behind its own lighttpd with TLS and a password.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http_server.h"
#include "kiosk_process.h"
#include "recorder_process.h"
#include "wall_check.h"

namespace {

// `valkka record --config` of synthetic://camera[0..3] as stream ids 1..4 named "camera 0" ..
// "camera 3" into `fs`; the config's path ("" when it cannot be written).
QString writeConfig(const QString &path, const QString &fs, const int (&camera)[4]) {
  QString cameras;
  for (int i = 0; i < 4; i++)
    cameras += QStringLiteral(R"(%1{"name": "camera %2", "url": "synthetic://%3", "id": %4,
      "options": {"width": 320, "height": 180}})")
                   .arg(i ? QStringLiteral(", ") : QString())
                   .arg(i)
                   .arg(camera[i])
                   .arg(i + 1);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
    return {};
  const QByteArray text =
      QStringLiteral(R"({"fs": {"dir": "%1"}, "cameras": [%2]})").arg(fs, cameras).toUtf8();
  return file.write(text) == text.size() ? path : QString();
}

bool everyTileStreams(const QJsonObject &state, int n) {
  const QJsonArray tiles = state.value(QStringLiteral("tiles")).toArray();
  for (const QJsonValue &t : tiles)
    if (t.toObject().value(QStringLiteral("state")).toString() != QStringLiteral("streaming"))
      return false;
  return tiles.size() == n;
}

// The two recorders of a wall: north records synthetic cameras 0..3 as ids 1..4, south 3..0.
const int kNorthCameras[4] = {0, 1, 2, 3}, kSouthCameras[4] = {3, 2, 1, 0};

// A kiosk started with `args` (its --fs of north, then south) shows the 8 cameras live, each its
// own recorder's and named "PREFIX: camera I" by it (prefix[0] north's, prefix[1] south's); a
// seek 3 s back puts all 8 on that time and LIVE brings them back; south's recorder stopped,
// only south's tiles say so.
void wallOfTwo(KioskProcess &kiosk, const QStringList &args, const std::string (&prefix)[2],
               Recorder &northRecorder, Recorder &southRecorder) {
  ASSERT_TRUE(
      kiosk.start(args + QStringList{QStringLiteral("--layout"), QStringLiteral("3x3")}, true));
  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return tilesPresented(s, 8, 100) && tilesLive(s, 8) && everyTileStreams(s, 8);
      },
      90000, &ok);
  ASSERT_TRUE(ok) << "not 8 live tiles: " << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();

  const QString png = kiosk.dir() + QStringLiteral("/wall.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + png),
            QStringLiteral("ok screenshot ") + png);
  const QImage image(png);
  ASSERT_FALSE(image.isNull());
  const QJsonArray tiles = readShotJson(png).value(QStringLiteral("tiles")).toArray();
  ASSERT_EQ(tiles.size(), 8);
  for (int i = 0; i < 8; i++) {
    SCOPED_TRACE("tile " + std::to_string(i));
    const QJsonObject tile = tiles.at(i).toObject();
    const bool ofNorth = i < 4;
    // Both recorders name their cameras alike: the wall adds each one's.
    EXPECT_EQ(tile.value(QStringLiteral("name")).toString().toStdString(),
              prefix[ofNorth ? 0 : 1] + ": camera " + std::to_string(i % 4));
    const RegionStats picture =
        regionStats(image, inset(rectOf(tile.value(QStringLiteral("video_rect"))), 0.2));
    EXPECT_EQ(nearestSyntheticCamera(picture.median),
              ofNorth ? kNorthCameras[i % 4] : kSouthCameras[i % 4])
        << "shows " << picture.median.name().toStdString();
  }

  // One clock: a seek 3 s back puts every tile of both recorders on that time.
  const double target = seekAndWaitForTiles(kiosk, -3000, 8, &state, &ok);
  ASSERT_TRUE(ok) << "target " << static_cast<int64_t>(target) << ": "
                  << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  ASSERT_EQ(kiosk.command(QStringLiteral("live")), QStringLiteral("ok live"));
  state = kiosk.waitForState([](const QJsonObject &s) { return tilesLive(s, 8); }, 15000, &ok);
  ASSERT_TRUE(ok) << "live pictures did not return: "
                  << QJsonDocument(state).toJson().toStdString();

  // Each recorder's word is on its own tiles only: south stopping leaves north's streaming.
  ASSERT_EQ(southRecorder.stop(), 0);
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        const QJsonArray t = s.value(QStringLiteral("tiles")).toArray();
        if (t.size() != 8) return false;
        for (int i = 0; i < 8; i++) {
          const QString status = t.at(i).toObject().value(QStringLiteral("status")).toString();
          if ((i >= 4) != status.startsWith(QStringLiteral("RECORDER STOPPED at "))) return false;
        }
        return true;
      },
      20000, &ok);
  EXPECT_TRUE(ok) << QJsonDocument(state).toJson().toStdString();
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
  EXPECT_EQ(northRecorder.stop(), 0);
}

// The recorders of north and south, started, each with its four streams recorded.
struct TwoRecorders {
  QString north, south;
  std::unique_ptr<Recorder> northRecorder, southRecorder;
  explicit TwoRecorders(const KioskProcess &kiosk)
      : north(kiosk.dir() + QStringLiteral("/north")),
        south(kiosk.dir() + QStringLiteral("/south")) {
    const QString northConfig =
        writeConfig(kiosk.dir() + QStringLiteral("/north.json"), north, kNorthCameras);
    const QString southConfig =
        writeConfig(kiosk.dir() + QStringLiteral("/south.json"), south, kSouthCameras);
    EXPECT_FALSE(northConfig.isEmpty() || southConfig.isEmpty());
    northRecorder.reset(new Recorder(north, {QStringLiteral("--config"), northConfig}));
    southRecorder.reset(new Recorder(south, {QStringLiteral("--config"), southConfig}));
  }
  bool streaming() { return northRecorder->waitForStreams() && southRecorder->waitForStreams(); }
};

TEST(KioskRecorders, OneWallShowsAndSeeksTwoRecorders) {
  KioskProcess kiosk;
  TwoRecorders r(kiosk);
  ASSERT_TRUE(r.streaming()) << "a recorder never recorded four streams";
  // Named by their directories' base names.
  wallOfTwo(kiosk, {QStringLiteral("--fs"), r.north, QStringLiteral("--fs"), r.south},
            {"north", "south"}, *r.northRecorder, *r.southRecorder);
}

// The same wall with each FS behind its own lighttpd, with TLS (each server's own CA: both in
// the file --ca-file names) and a password of its own, as a site serves its recorders.
TEST(KioskRecorders, OneWallShowsAndSeeksTwoRecordersServedOverHttps) {
  KioskProcess kiosk;
  TwoRecorders r(kiosk);
  ASSERT_TRUE(r.streaming()) << "a recorder never recorded four streams";
  using testsupport::HttpServer;
  HttpServer northServer(
      HttpServer::Options{{{"/fs0", r.north.toStdString()}}, true, "wall", "north-Pa55"});
  HttpServer southServer(
      HttpServer::Options{{{"/fs0", r.south.toStdString()}}, true, "wall", "south-Pa55"});
  std::string err;
  ASSERT_TRUE(northServer.start(&err)) << err;
  ASSERT_TRUE(southServer.start(&err)) << err;
  const QString bundle = kiosk.dir() + QStringLiteral("/site-ca.pem");
  {
    QFile out(bundle);
    ASSERT_TRUE(out.open(QIODevice::WriteOnly));
    for (const HttpServer *s : {&northServer, &southServer}) {
      QFile ca(QString::fromStdString(s->ca_file()));
      ASSERT_TRUE(ca.open(QIODevice::ReadOnly));
      out.write(ca.readAll());
    }
  }
  // Named by their servers (host:port): the URLs' passwords never.
  const std::string prefix[2] = {"127.0.0.1:" + std::to_string(northServer.port()),
                                 "127.0.0.1:" + std::to_string(southServer.port())};
  wallOfTwo(kiosk,
            {QStringLiteral("--fs"), QString::fromStdString(northServer.url("/fs0")),
             QStringLiteral("--fs"), QString::fromStdString(southServer.url("/fs0")),
             QStringLiteral("--ca-file"), bundle},
            prefix, *r.northRecorder, *r.southRecorder);
  const std::string said = kiosk.standardError().toStdString();
  EXPECT_EQ(said.find("north-Pa55"), std::string::npos) << said;
  EXPECT_EQ(said.find("south-Pa55"), std::string::npos) << said;
}

}  // namespace
