/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A wall of several recorders (`valkka-kiosk --fs A --fs B`), its display-free parts: the command
// line, tile names told apart by recorder when two FS name a camera alike, each recorder's
// status.json applied to its own FS's cameras only (two recorders both have a stream 1), and a
// recorder whose server does not answer said on its tiles, without the password of its URL.
#include <QDir>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <valkka/fs.h>
#include <valkka/live.h>

#include "kiosk_config.h"
#include "options.h"
#include "recorder_status.h"
#include "viewer_config.h"

namespace {

constexpr qint64 kNow = 1796000000000;  // 2026-11-30, any time will do

CameraConfig camera(const QString &fs, uint32_t id, const QString &name) {
  CameraConfig cam;
  cam.fsDir = fs;
  cam.streamId = id;
  cam.name = name;
  return cam;
}

RecorderSnapshot snapshot(const QList<RecorderCamera> &cameras) {
  RecorderSnapshot s;
  s.valid = true;
  s.updatedMs = kNow - 500;
  s.cameras = cameras;
  return s;
}

RecorderCamera said(uint32_t id, const QString &name, const QString &state) {
  RecorderCamera c;
  c.streamId = id;
  c.name = name;
  c.state = state;
  return c;
}

TEST(KioskManyRecorders, FsIsRepeatableWithTheWaysToReachAServer) {
  KioskOptions options;
  QString message;
  ASSERT_EQ(parseOptions({QStringLiteral("valkka-kiosk"), QStringLiteral("--fs"),
                          QStringLiteral("/srv/north"), QStringLiteral("--fs"),
                          QStringLiteral("https://viewer:pw-31415@rec-2.example:8443/fs0"),
                          QStringLiteral("--ca-file"), QStringLiteral("/etc/site-ca.pem"),
                          QStringLiteral("--token-file"), QStringLiteral("/run/token")},
                         &options, &message),
            ParseResult::Run)
      << message.toStdString();
  EXPECT_EQ(options.fsDirs,
            (QStringList{QStringLiteral("/srv/north"),
                         QStringLiteral("https://viewer:pw-31415@rec-2.example:8443/fs0")}));
  EXPECT_TRUE(options.viewer);
  EXPECT_EQ(options.caFile, QStringLiteral("/etc/site-ca.pem"));
  EXPECT_EQ(options.tokenFile, QStringLiteral("/run/token"));

  const QString url = QStringLiteral("https://viewer:pw-31415@rec-2.example/fs0");
  EXPECT_EQ(parseOptions({QStringLiteral("valkka-kiosk"), QStringLiteral("--fs"), url,
                          QStringLiteral("--fs"), url},
                         &options, &message),
            ParseResult::Error);
  EXPECT_EQ(message, QStringLiteral("--fs https://***@rec-2.example/fs0 is given twice"));
}

TEST(KioskManyRecorders, ARecorderIsNamedByItsStatusElseItsPlace) {
  EXPECT_EQ(recorderLabel(QStringLiteral("/srv/north/fs"), QStringLiteral("gate recorder")),
            QStringLiteral("gate recorder"));
  EXPECT_EQ(recorderLabel(QStringLiteral("/srv/north/fs"), {}), QStringLiteral("fs"));
  EXPECT_EQ(recorderLabel(QStringLiteral("/srv/north/fs"), {}, true),
            QStringLiteral("/srv/north/fs"));
  const QString url = QStringLiteral("https://viewer:pw-31415@rec-2.example:8443/valkka/fs0");
  EXPECT_EQ(recorderLabel(url, {}), QStringLiteral("rec-2.example:8443"));
  EXPECT_EQ(recorderLabel(url, {}, true), QStringLiteral("rec-2.example:8443/valkka/fs0"));
  EXPECT_EQ(recorderLabel(QStringLiteral("http://rec-3.example/fs0"), {}),
            QStringLiteral("rec-3.example"));
}

// Two recorders of the built-in cameras both name theirs "camera 0": the wall tells them apart
// by recorder; a name only one FS has stays as it is.
TEST(KioskManyRecorders, NamesTwoFsShareGetTheirRecorders) {
  const QString north = QStringLiteral("/srv/north"), south = QStringLiteral("/srv/south");
  QList<CameraConfig> cameras = {camera(north, 1, QStringLiteral("camera 0")),
                                 camera(north, 2, QStringLiteral("door")),
                                 camera(south, 1, QStringLiteral("camera 0")),
                                 camera(south, 2, QStringLiteral("gate"))};
  nameByRecorder(&cameras, {{north, QStringLiteral("north")}, {south, QStringLiteral("south")}});
  EXPECT_EQ(cameras.at(0).name, QStringLiteral("north: camera 0"));
  EXPECT_EQ(cameras.at(0).recorderName, QStringLiteral("camera 0"));
  EXPECT_EQ(cameras.at(1).name, QStringLiteral("door"));
  EXPECT_TRUE(cameras.at(1).recorderName.isEmpty());
  EXPECT_EQ(cameras.at(2).name, QStringLiteral("south: camera 0"));
  EXPECT_EQ(cameras.at(3).name, QStringLiteral("gate"));

  // One FS naming two streams alike is that FS's business: no recorder to tell apart.
  QList<CameraConfig> one = {camera(north, 1, QStringLiteral("lobby")),
                             camera(north, 2, QStringLiteral("lobby"))};
  nameByRecorder(&one, {{north, QStringLiteral("north")}});
  EXPECT_EQ(one.at(0).name, QStringLiteral("lobby"));
  EXPECT_EQ(one.at(1).name, QStringLiteral("lobby"));
}

// North's status says its stream 1 reconnects: south's stream 1 (the same id, the same name as
// its recorder gives it) is not north's camera and hears nothing of it.
TEST(KioskManyRecorders, AStatusSpeaksOfItsOwnFsCamerasOnly) {
  const QString north = QStringLiteral("/srv/north"), south = QStringLiteral("/srv/south");
  QList<CameraConfig> cameras = {camera(north, 1, QStringLiteral("camera 0")),
                                 camera(south, 1, QStringLiteral("camera 0")),
                                 camera(south, 9, QStringLiteral("door"))};
  nameByRecorder(&cameras, {{north, QStringLiteral("north")}, {south, QStringLiteral("south")}});
  const RecorderSnapshot northSays =
      snapshot({said(1, QStringLiteral("camera 0"), QStringLiteral("reconnecting"))});
  const auto views = recorderViews(northSays, north, cameras, kNow);
  ASSERT_EQ(views.size(), 1);
  EXPECT_EQ(views.at(0).first, 0);
  EXPECT_EQ(views.at(0).second.state, static_cast<uint32_t>(VALKKA_STREAM_RECONNECTING));

  // By the name its recorder gives it, not the wall's "south: camera 0", when the id is not there.
  const RecorderSnapshot southSays =
      snapshot({said(7, QStringLiteral("camera 0"), QStringLiteral("streaming")),
                said(9, QStringLiteral("door"), QStringLiteral("stalled"))});
  const auto south2 = recorderViews(southSays, south, cameras, kNow);
  ASSERT_EQ(south2.size(), 2);
  EXPECT_EQ(south2.at(0).first, 1);
  EXPECT_TRUE(south2.at(0).second.known);
  EXPECT_EQ(south2.at(0).second.state, static_cast<uint32_t>(VALKKA_STREAM_STREAMING));
  EXPECT_EQ(south2.at(1).first, 2);
  EXPECT_EQ(south2.at(1).second.state, static_cast<uint32_t>(VALKKA_STREAM_STALLED));
}

// A server that does not answer: every tile of its recorder says so (before any staleness, and
// with no file read yet), until it answers again.
TEST(KioskManyRecorders, AnUnreachableRecorderSaysWhyOnEveryTile) {
  RecorderSnapshot s = snapshot({said(1, QStringLiteral("camera 0"), QStringLiteral("streaming"))});
  s.unreachable = QStringLiteral("rec-2.example:8443/fs0/status.json: connection refused");
  for (uint32_t id : {1u, 99u}) {
    const RecorderCameraView v = recorderView(s, id, {}, kNow);
    EXPECT_TRUE(v.known && v.recorderGone) << id;
    EXPECT_EQ(v.banner, QStringLiteral("RECORDER UNREACHABLE: ") + s.unreachable);
  }
  RecorderSnapshot never;
  never.unreachable = QStringLiteral("stalled 5 s");
  EXPECT_TRUE(recorderView(never, 1, {}, kNow).recorderGone);
  s.unreachable.clear();
  EXPECT_EQ(recorderView(s, 1, {}, kNow).state, static_cast<uint32_t>(VALKKA_STREAM_STREAMING));
  EXPECT_FALSE(recorderView(s, 1, {}, kNow).recorderGone);
}

TEST(KioskManyRecorders, TheStatusNamesItsRecorder) {
  const QByteArray text = R"({"recorder": {"updated": "2026-11-30T08:00:00.000Z", "host": "rec-2"},
                              "cameras": []})";
  EXPECT_EQ(parseRecorderStatus(text).recorder, QStringLiteral("rec-2"));
  QByteArray named = text;
  named.replace(R"("host": "rec-2")", R"("name": "north gate", "host": "rec-2")");
  EXPECT_EQ(parseRecorderStatus(named).recorder, QStringLiteral("north gate"));
}

// The config's "recorders" are viewed whole, as --fs; a URL, there or as a camera's "fs", is taken
// as written (no directory made of it), and a camera's URL FS is viewed read-only, not created.
TEST(KioskManyRecorders, TheConfigsRecordersAndUrlsAreViewed) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("cams.json"));
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  file.write(R"({"recorders": ["https://v:pw@rec-2.example/fs0", "north"],
    "cameras": [{"name": "door", "url": "synthetic://0", "fs": "http://rec-3.example:8080/fs1"}]})");
  file.close();
  KioskConfig config;
  QString error;
  ASSERT_TRUE(loadConfig(path, 64LL << 20, &config, &error)) << error.toStdString();
  ASSERT_EQ(config.recorders.size(), 2);
  EXPECT_EQ(config.recorders.at(0), QStringLiteral("https://v:pw@rec-2.example/fs0"));
  EXPECT_TRUE(config.recorders.at(1).endsWith(QStringLiteral("/north")));
  ASSERT_EQ(config.filesystems.size(), 1);
  EXPECT_EQ(config.filesystems.at(0).dir, QStringLiteral("http://rec-3.example:8080/fs1"));
  EXPECT_FALSE(config.filesystems.at(0).create);
  ASSERT_EQ(config.cameras.size(), 1);
  EXPECT_EQ(config.cameras.at(0).fsDir, QStringLiteral("http://rec-3.example:8080/fs1"));
}

// A recorder's FS (empty: 2 blocks of 64 KiB) whose status.json names `camera` as stream 1, and
// the recorder `named` when not empty.
bool makeRecorderFs(const QString &dir, const QString &camera, const QString &named = {}) {
  valkka_fs_create_params_t params{};
  params.struct_size = sizeof params;
  params.kind = VALKKA_FS_MULTI;
  params.block_size = 1u << 16;
  params.n_blocks = 2;
  if (valkka_fs_create(dir.toUtf8().constData(), &params) != 0) return false;
  QFile file(dir + QStringLiteral("/status.json"));
  const QString recorder = named.isEmpty() ? QString()
                                           : QStringLiteral(R"(, "name": "%1")").arg(named);
  const QByteArray text = QStringLiteral(R"({"recorder": {"updated": "2026-11-30T08:00:00.000Z"%1},
      "cameras": [{"name": "%2", "stream_id": 1, "state": "connecting"}]})")
                              .arg(recorder, camera)
                              .toUtf8();
  return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

// Through the FS as the kiosk opens it: two FS directories both called "fs" are told apart by
// their whole paths, a recorder that names itself by its name; a camera only one has keeps its
// own name.
TEST(KioskManyRecorders, AViewerOfThreeFsNamesTheirCameras) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString a = dir.filePath(QStringLiteral("a/fs")), b = dir.filePath(QStringLiteral("b/fs")),
                c = dir.filePath(QStringLiteral("c"));
  ASSERT_TRUE(QDir().mkpath(dir.filePath(QStringLiteral("a"))) &&
              QDir().mkpath(dir.filePath(QStringLiteral("b"))));
  ASSERT_TRUE(makeRecorderFs(a, QStringLiteral("camera 0")));
  ASSERT_TRUE(makeRecorderFs(b, QStringLiteral("camera 0")));
  ASSERT_TRUE(makeRecorderFs(c, QStringLiteral("camera 0"), QStringLiteral("gate")));
  QList<FsConfig> fses;
  for (const QString &d : {a, b, c}) {
    FsConfig fs;
    fs.dir = d;
    fses.append(fs);
  }
  KioskConfig config;
  QString error;
  ASSERT_TRUE(viewerConfig(fses, &config, &error)) << error.toStdString();
  ASSERT_EQ(config.cameras.size(), 3);
  EXPECT_EQ(config.cameras.at(0).name.toStdString(), a.toStdString() + ": camera 0");
  EXPECT_EQ(config.cameras.at(1).name.toStdString(), b.toStdString() + ": camera 0");
  EXPECT_EQ(config.cameras.at(2).name.toStdString(), "gate: camera 0");
  EXPECT_EQ(config.cameras.at(2).fsDir, c);
  EXPECT_EQ(config.cameras.at(2).streamId, 1u);
  ASSERT_EQ(config.filesystems.size(), 3);
  EXPECT_TRUE(config.filesystems.at(0).viewer);

  ASSERT_TRUE(viewerConfig({fses.at(0)}, &config, &error));
  EXPECT_EQ(config.cameras.at(0).name.toStdString(), "camera 0") << "one FS: no recorder to name";
}

}  // namespace
