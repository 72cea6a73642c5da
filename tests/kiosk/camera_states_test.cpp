/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera's trouble in an operator's words on its tile (issue 18): a camera whose file is
// missing is FAILED with "File missing" (no reconnect countdown), the technical line kept for the
// tooltip; an RTSP camera whose path the server does not have is FAILED with "Stream not found on
// the camera"; one that was live and whose server goes away says "Camera refused the connection"
// and since when it is offline. Read through the test control's state; the FAILED tile's
// screenshot is kept in shots/ (kiosk_process.h).
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include <string>

#include "kiosk_process.h"
#include "rtsp_server_process.h"

namespace {

QJsonObject tileNamed(const QJsonObject &state, const QString &name) {
  for (const QJsonValue &t : state.value(QStringLiteral("tiles")).toArray())
    if (t.toObject().value(QStringLiteral("name")).toString() == name) return t.toObject();
  return {};
}

QString text(const QJsonObject &tile, const char *key) {
  return tile.value(QLatin1String(key)).toString();
}

// `cameras` ({name, url} each) recording into an FS under `dir`.
QString writeConfig(const QString &dir, const QJsonArray &cameras) {
  const QJsonObject config{
      {QStringLiteral("fs"),
       QJsonObject{{QStringLiteral("dir"), dir + QStringLiteral("/fs")},
                   {QStringLiteral("create"), QJsonObject{{QStringLiteral("blocks"), 64}}}}},
      {QStringLiteral("cameras"), cameras}};
  const QString path = dir + QStringLiteral("/cameras.json");
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(config).toJson()) <= 0)
    return {};
  return path;
}

QJsonObject camera(const QString &name, const QString &url) {
  return {{QStringLiteral("name"), name}, {QStringLiteral("url"), url}};
}

std::string dump(const QJsonObject &o) {
  return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

}  // namespace

TEST(KioskCameraStates, AMissingFileIsFailedInWords) {
  KioskProcess kiosk;
  const QString missing = kiosk.dir() + QStringLiteral("/clips/gate.mp4");
  const QString config =
      writeConfig(kiosk.dir(), {camera(QStringLiteral("yard"), QStringLiteral("synthetic://0")),
                                camera(QStringLiteral("gate"), missing)});
  ASSERT_FALSE(config.isEmpty());
  ASSERT_TRUE(kiosk.start({QStringLiteral("--config"), config}, true));
  bool ok = false;
  const QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return text(tileNamed(s, QStringLiteral("gate")), "status") ==
               QStringLiteral("FAILED: File missing");
      },
      30000, &ok);
  const QJsonObject gate = tileNamed(state, QStringLiteral("gate"));
  ASSERT_TRUE(ok) << "no FAILED: File missing: " << dump(gate)
                  << kiosk.standardError().toStdString();
  EXPECT_EQ(text(gate, "state"), QStringLiteral("failed"));
  EXPECT_EQ(text(gate, "words"), QStringLiteral("File missing"));
  // The technical line stays, for the tooltip: the source's own words and the path.
  EXPECT_TRUE(text(gate, "reason").contains(QStringLiteral("No such file or directory")) &&
              text(gate, "reason").contains(missing))
      << text(gate, "reason").toStdString();
  EXPECT_EQ(text(gate, "offline_text"), QString()) << "never live, so not offline since";
  const QString shot = shotsDir() + QStringLiteral("/file-missing.png");
  EXPECT_EQ(kiosk.command(QStringLiteral("screenshot ") + shot),
            QStringLiteral("ok screenshot ") + shot);
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}

TEST(KioskCameraStates, ALiveCameraWhoseServerGoesSaysRefusedAndOfflineSince) {
  RtspServerProcess server;
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  KioskProcess kiosk;
  const QString config = writeConfig(
      kiosk.dir(), {camera(QStringLiteral("door"), QString::fromStdString(server.url("cam0"))),
                    camera(QStringLiteral("porch"), QString::fromStdString(server.url("none")))});
  ASSERT_FALSE(config.isEmpty());
  ASSERT_TRUE(kiosk.start({QStringLiteral("--config"), config}, true));
  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        const QJsonObject door = tileNamed(s, QStringLiteral("door"));
        return text(door, "state") == QStringLiteral("streaming") &&
               door.value(QStringLiteral("presented")).toDouble() >= 10;
      },
      30000, &ok);
  ASSERT_TRUE(ok) << "never live: " << dump(state) << kiosk.standardError().toStdString();
  EXPECT_EQ(text(tileNamed(state, QStringLiteral("door")), "offline_text"), QString());
  // A path the server does not serve: 404, for good.
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return text(tileNamed(s, QStringLiteral("porch")), "status") ==
               QStringLiteral("FAILED: Stream not found on the camera");
      },
      30000, &ok);
  EXPECT_TRUE(ok) << dump(tileNamed(state, QStringLiteral("porch")));

  const double stopped = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
  server.stop();
  // Its server gone, every new connection is refused.
  state = kiosk.waitForState(
      [](const QJsonObject &s) {
        return text(tileNamed(s, QStringLiteral("door")), "words") ==
               QStringLiteral("Camera refused the connection");
      },
      40000, &ok);
  const QJsonObject door = tileNamed(state, QStringLiteral("door"));
  ASSERT_TRUE(ok) << "not in words: " << dump(door);
  EXPECT_TRUE(text(door, "status").startsWith(QStringLiteral("RECONNECTING"))) << dump(door);
  EXPECT_TRUE(text(door, "reason").contains(QStringLiteral("Connection refused"))) << dump(door);
  const double since = door.value(QStringLiteral("offline_since_ms")).toDouble();
  EXPECT_GE(since, stopped) << dump(door);
  EXPECT_EQ(text(door, "offline_text"),
            QStringLiteral("offline since ") +
                QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(since))
                    .toString(QStringLiteral("HH:mm")))
      << dump(door);
  EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
}
