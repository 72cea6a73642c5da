/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorder_status.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <valkka/live.h>

namespace {

constexpr int kPollMs = 1000;
constexpr uint32_t kLastState = VALKKA_STREAM_ENDED;

// An ISO 8601 time of the file as ms since the epoch; 0 when it is not one.
qint64 timeOf(const QJsonValue &value) {
  const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
  return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

// "streaming" back to VALKKA_STREAM_STREAMING: the names are the core's own.
uint32_t stateCode(const QString &name) {
  for (uint32_t code = VALKKA_STREAM_CONNECTING; code <= kLastState; code++)
    if (name == QLatin1String(valkka_stream_state_name(code))) return code;
  return 0;
}

QString clock(qint64 ms) {
  return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
}

}  // namespace

RecorderSnapshot parseRecorderStatus(const QByteArray &text) {
  RecorderSnapshot out;
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
  if (error.error != QJsonParseError::NoError) {
    out.problem =
        QStringLiteral("not JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset);
    return out;
  }
  const QJsonObject recorder = doc.object().value(QStringLiteral("recorder")).toObject();
  const QJsonValue cameras = doc.object().value(QStringLiteral("cameras"));
  const qint64 updated = timeOf(recorder.value(QStringLiteral("updated")));
  if (!updated || !cameras.isArray()) {
    out.problem = QStringLiteral("no \"recorder\" with its \"updated\" time and \"cameras\" list");
    return out;
  }
  out.updatedMs = updated;
  out.stoppedMs = timeOf(recorder.value(QStringLiteral("stopped")));
  for (const QJsonValue &item : cameras.toArray()) {
    const QJsonObject c = item.toObject();
    RecorderCamera cam;
    cam.name = c.value(QStringLiteral("name")).toString();
    const qint64 id = c.value(QStringLiteral("stream_id")).toInteger(0);
    cam.state = c.value(QStringLiteral("state")).toString();
    if (id <= 0 || id > UINT32_MAX || cam.state.isEmpty()) continue;
    cam.streamId = static_cast<uint32_t>(id);
    cam.reason = c.value(QStringLiteral("reason")).toString();
    cam.fps = c.value(QStringLiteral("fps")).toDouble(0);
    cam.retryAtMs = timeOf(c.value(QStringLiteral("retry_at")));
    out.cameras.append(cam);
  }
  out.valid = true;
  return out;
}

RecorderCameraView recorderView(const RecorderSnapshot &snapshot, uint32_t streamId,
                                const QString &name, qint64 nowMs) {
  RecorderCameraView view;
  if (!snapshot.updatedMs) return view;  // never a whole file: nothing to say
  const RecorderCamera *cam = nullptr;
  for (const RecorderCamera &c : snapshot.cameras)
    if (c.streamId == streamId) cam = &c;
  for (const RecorderCamera &c : snapshot.cameras)
    if (!cam && c.name == name) cam = &c;
  if (snapshot.stoppedMs) {
    view.known = view.recorderGone = true;
    view.banner = QStringLiteral("RECORDER STOPPED at %1").arg(clock(snapshot.stoppedMs));
    return view;
  }
  if (nowMs - snapshot.updatedMs > kRecorderStaleMs) {
    view.known = view.recorderGone = true;
    view.banner = QStringLiteral("RECORDER NOT UPDATING since %1").arg(clock(snapshot.updatedMs));
    return view;
  }
  // A camera the recorder does not name (or names in a state this kiosk does not know) is left
  // to the viewer's own reading of the recording.
  if (!cam || !stateCode(cam->state)) return view;
  view.known = true;
  view.state = stateCode(cam->state);
  view.reason = cam->reason;
  view.fps = cam->fps;
  view.retryAtMs = cam->retryAtMs;
  return view;
}

RecorderStatus::RecorderStatus(const QString &dir, QObject *parent) : QObject(parent), dir_(dir) {
  // The directory, not the file: a rename replaces the file's inode, which a watch on the file
  // would lose. The timer reads it anyway, in case the watch could not be set.
  watcher_.addPath(dir);
  connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, &RecorderStatus::reload);
  timer_.setInterval(kPollMs);
  connect(&timer_, &QTimer::timeout, this, &RecorderStatus::reload);
  timer_.start();
  QTimer::singleShot(0, this, &RecorderStatus::reload);  // once the caller has connected
}

void RecorderStatus::reload() {
  QFile file(dir_ + QStringLiteral("/status.json"));
  RecorderSnapshot read;
  if (!file.open(QIODevice::ReadOnly))
    read.problem = file.exists() ? file.errorString() : QStringLiteral("missing");
  else
    read = parseRecorderStatus(file.readAll());
  if (read.valid) {
    snapshot_ = read;
  } else {
    snapshot_.valid = false;  // the last whole file's word stands, and goes stale
    snapshot_.problem = read.problem;
  }
  if (snapshot_.problem != reported_) {
    if (!snapshot_.problem.isEmpty())
      qWarning("valkka-kiosk: %s/status.json: %s: %s", qPrintable(dir_),
               qPrintable(snapshot_.problem),
               snapshot_.updatedMs ? "the recorder's last word on its cameras stands"
                                   : "the tiles show the viewer's own reading");
    reported_ = snapshot_.problem;
  }
  emit changed();
}
