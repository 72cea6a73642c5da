/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The viewer's reading of a recorder's status.json (qml-shell/src/recorder_status.h): each
// camera's state by stream id (or name), the recorder stopped or gone quiet, and files that are
// missing, cut short or garbage, which keep the last whole word and never stop the kiosk.
#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <functional>

#include <valkka/live.h>

#include "recorder_status.h"

namespace {

constexpr qint64 kNow = 1796000000000;  // 2026-11-30, any time will do

QByteArray iso(qint64 ms) {
  return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
}

// A file as `valkka record` writes it (cmd_record_statefile.c), updated at `updated`.
QByteArray statusFile(qint64 updated, const QByteArray &extraRecorder = {}) {
  return R"({"recorder": {"pid": 42, "started": "2026-11-30T08:00:00.000Z", "updated": ")" +
         iso(updated) + "\"" + extraRecorder + R"(, "version": "1.0.0"},
 "cameras": [{"name": "camera 0", "stream_id": 1, "state": "streaming", "fps": 25.0,
              "frames": 100, "since": "2026-11-30T08:00:00.000Z"},
             {"name": "door", "stream_id": 5, "state": "reconnecting",
              "reason": "open: source-rtsp: rtsp://***@127.0.0.1:1/live: Connection refused",
              "fps": 0.0, "frames": 0, "since": "2026-11-30T08:00:00.000Z",
              "retry_at": ")" +
         iso(updated + 4000) + R"("},
             {"name": "bad id", "stream_id": "7", "state": "streaming"}]})";
}

bool writeFile(const QString &path, const QByteArray &text) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

TEST(KioskRecorderStatus, EachCameraByStreamIdThenName) {
  const RecorderSnapshot s = parseRecorderStatus(statusFile(kNow - 500));
  ASSERT_TRUE(s.valid) << s.problem.toStdString();
  ASSERT_EQ(s.cameras.size(), 2) << "the camera with a string id is skipped, not the file";
  const RecorderCameraView door = recorderView(s, 5, QStringLiteral("whatever"), kNow);
  EXPECT_TRUE(door.known);
  EXPECT_FALSE(door.recorderGone);
  EXPECT_EQ(door.state, static_cast<uint32_t>(VALKKA_STREAM_RECONNECTING));
  EXPECT_EQ(door.reason.toStdString(),
            "open: source-rtsp: rtsp://***@127.0.0.1:1/live: Connection refused");
  EXPECT_EQ(door.retryAtMs, kNow - 500 + 4000);
  const RecorderCameraView one = recorderView(s, 1, QStringLiteral("door"), kNow);
  EXPECT_EQ(one.state, static_cast<uint32_t>(VALKKA_STREAM_STREAMING)) << "the id comes first";
  EXPECT_DOUBLE_EQ(one.fps, 25.0);
  const RecorderCameraView byName = recorderView(s, 99, QStringLiteral("door"), kNow);
  EXPECT_EQ(byName.state, static_cast<uint32_t>(VALKKA_STREAM_RECONNECTING));
  EXPECT_FALSE(recorderView(s, 99, QStringLiteral("nobody"), kNow).known)
      << "a camera the recorder does not name keeps the viewer's own state";
}

TEST(KioskRecorderStatus, StoppedOrNotUpdatingRecorderSaysSoForEveryCamera) {
  const RecorderSnapshot fresh = parseRecorderStatus(statusFile(kNow - kRecorderStaleMs + 1000));
  EXPECT_FALSE(recorderView(fresh, 1, {}, kNow).recorderGone);
  const RecorderSnapshot stale = parseRecorderStatus(statusFile(kNow - kRecorderStaleMs - 1000));
  for (uint32_t id : {1u, 5u, 99u}) {
    const RecorderCameraView v = recorderView(stale, id, {}, kNow);
    EXPECT_TRUE(v.known && v.recorderGone) << id;
    EXPECT_TRUE(v.banner.startsWith(QStringLiteral("RECORDER NOT UPDATING since ")))
        << v.banner.toStdString();
  }
  const RecorderSnapshot stopped =
      parseRecorderStatus(statusFile(kNow - 500, ", \"stopped\": \"" + iso(kNow - 600) + "\""));
  const RecorderCameraView v = recorderView(stopped, 1, {}, kNow);
  EXPECT_TRUE(v.known && v.recorderGone);
  const QString at =
      QDateTime::fromMSecsSinceEpoch(kNow - 600).toString(QStringLiteral("HH:mm:ss"));
  EXPECT_EQ(v.banner, QStringLiteral("RECORDER STOPPED at ") + at);
}

TEST(KioskRecorderStatus, GarbageIsAProblemNotAStatus) {
  const QByteArray whole = statusFile(kNow);
  for (const QByteArray &text :
       {whole.left(whole.size() / 2), QByteArray("\x01\xff garbage"), QByteArray("[]"),
        QByteArray(R"({"recorder": {"updated": "yesterday"}, "cameras": []})"),
        R"({"recorder": {"updated": ")" + iso(kNow) + "\"}}", QByteArray()}) {
    const RecorderSnapshot s = parseRecorderStatus(text);
    EXPECT_FALSE(s.valid) << text.toStdString();
    EXPECT_FALSE(s.problem.isEmpty()) << text.toStdString();
    EXPECT_FALSE(recorderView(s, 1, {}, kNow).known) << text.toStdString();
  }
}

// The watcher on a real directory: a version renamed into place is read as the recorder does it;
// garbage and a missing file keep the last whole version, which then goes stale.
TEST(KioskRecorderStatus, FollowsTheFileAsItIsRenamedIntoPlace) {
  int argc = 1;
  char name[] = "kiosk_units";
  char *argv[] = {name, nullptr};
  QCoreApplication app(argc, argv);
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("status.json")),
                tmp = dir.filePath(QStringLiteral(".status.json.tmp"));
  RecorderStatus status(dir.path());
  int changes = 0;
  QObject::connect(&status, &RecorderStatus::changed, [&changes] { changes++; });
  auto waitFor = [&](const std::function<bool()> &ready) {
    for (QDeadlineTimer until(10000); !until.hasExpired() && !ready();)
      QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return ready();
  };
  ASSERT_TRUE(waitFor([&] { return changes > 0; })) << "no first reading";
  EXPECT_FALSE(status.snapshot().valid);
  EXPECT_EQ(status.snapshot().problem, QStringLiteral("missing"));

  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  ASSERT_TRUE(writeFile(tmp, statusFile(now)));
  ASSERT_TRUE(QFile::rename(tmp, path));
  ASSERT_TRUE(waitFor([&] { return status.snapshot().valid; }));
  EXPECT_EQ(status.snapshot().cameras.size(), 2);
  EXPECT_EQ(recorderView(status.snapshot(), 5, {}, now).state,
            static_cast<uint32_t>(VALKKA_STREAM_RECONNECTING));

  ASSERT_TRUE(writeFile(path, "{\"recorder\": {"));
  status.reload();
  EXPECT_FALSE(status.snapshot().valid);
  EXPECT_FALSE(status.snapshot().problem.isEmpty());
  EXPECT_EQ(status.snapshot().cameras.size(), 2) << "the last whole version's word stands";
  EXPECT_TRUE(recorderView(status.snapshot(), 5, {}, now + kRecorderStaleMs + 1).recorderGone);

  ASSERT_TRUE(QFile::remove(path));
  status.reload();
  EXPECT_EQ(status.snapshot().problem, QStringLiteral("missing"));
  EXPECT_TRUE(recorderView(status.snapshot(), 5, {}, now).known) << "its word stands while fresh";
}

}  // namespace
