// An RTSP camera on the wall: when its server stops the tile says RECONNECTING (with the
// countdown), and when the server is back on the same port the picture returns.
#include <QDateTime>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include "kiosk_process.h"
#include "rtsp_server_process.h"
#include "wall_check.h"

namespace {

QJsonObject tile0(const QJsonObject &state) {
  return state.value(QStringLiteral("tiles")).toArray().at(0).toObject();
}

bool writeConfig(const QString &path, const QString &fsDir, const std::string &url) {
  const QJsonObject config{
      {QStringLiteral("fs"),
       QJsonObject{{QStringLiteral("dir"), fsDir},
                   {QStringLiteral("create"), QJsonObject{{QStringLiteral("blocks"), 64}}}}},
      {QStringLiteral("cameras"),
       QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("door")},
                              {QStringLiteral("url"), QString::fromStdString(url)},
                              {QStringLiteral("id"), 1}}}}};
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(config).toJson()) > 0;
}

// The picture in the tile's video area is not black.
bool showsPicture(const QString &png) {
  const QImage image(png);
  const QJsonObject shot = readShotJson(png);
  const QRect video = rectOf(tile0(shot).value(QStringLiteral("video_rect")));
  if (image.isNull() || video.isEmpty()) return false;
  return regionStats(image, inset(video, 0.2)).meanLuma > 30;
}

}  // namespace

TEST(KioskRtsp, ShowsReconnectingWhileTheServerIsDownAndThePictureAfter) {
  RtspServerProcess server;
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;

  KioskProcess kiosk;
  const QString config = kiosk.dir() + QStringLiteral("/cameras.json");
  ASSERT_TRUE(writeConfig(config, kiosk.dir() + QStringLiteral("/fs"), server.url("cam0")));
  ASSERT_TRUE(kiosk.start({QStringLiteral("--config"), config}, true));

  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return tile0(s).value(QStringLiteral("state")).toString() == QStringLiteral("streaming") &&
               tile0(s).value(QStringLiteral("presented")).toDouble() >= 10;
      },
      30000, &ok);
  ASSERT_TRUE(ok) << "the RTSP camera never showed pictures: "
                  << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();
  EXPECT_EQ(tile0(state).value(QStringLiteral("name")).toString(), QStringLiteral("door"));
  const QString before = kiosk.dir() + QStringLiteral("/before.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + before),
            QStringLiteral("ok screenshot ") + before);
  EXPECT_TRUE(showsPicture(before));

  server.stop();
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return tile0(s).value(QStringLiteral("state")).toString() == QStringLiteral("reconnecting");
      },
      30000, &ok);
  ASSERT_TRUE(ok) << "no RECONNECTING after the server stopped: "
                  << QJsonDocument(state).toJson().toStdString();
  EXPECT_TRUE(tile0(state)
                  .value(QStringLiteral("status"))
                  .toString()
                  .startsWith(QStringLiteral("RECONNECTING")))
      << tile0(state).value(QStringLiteral("status")).toString().toStdString();
  const QString down = kiosk.dir() + QStringLiteral("/down.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + down),
            QStringLiteral("ok screenshot ") + down);

  ASSERT_TRUE(server.start(&err)) << err;
  const double restarted = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
  const double presentedBefore = tile0(state).value(QStringLiteral("presented")).toDouble();
  // The backoff is capped at 10 s: the next attempt comes within that.
  state = kiosk.waitForState(
      [&](const QJsonObject &s) {
        const QJsonObject t = tile0(s);
        return t.value(QStringLiteral("state")).toString() == QStringLiteral("streaming") &&
               t.value(QStringLiteral("presented")).toDouble() >= presentedBefore + 10 &&
               t.value(QStringLiteral("frame_ms")).toDouble() > restarted;
      },
      40000, &ok);
  ASSERT_TRUE(ok) << "the picture did not return after the server restarted: "
                  << QJsonDocument(state).toJson().toStdString();
  const QString after = kiosk.dir() + QStringLiteral("/after.png");
  ASSERT_EQ(kiosk.command(QStringLiteral("screenshot ") + after),
            QStringLiteral("ok screenshot ") + after);
  EXPECT_TRUE(showsPicture(after));
  EXPECT_EQ(tile0(readShotJson(after)).value(QStringLiteral("status")).toString(), QString());

  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
  server.stop();
}
