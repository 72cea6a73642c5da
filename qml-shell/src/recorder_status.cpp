/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorder_status.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <valkka/error.h>
#include <valkka/live.h>

#include "fs_access.h"

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

RecorderSnapshot readFile(const QString &dir) {
  QFile file(dir + QStringLiteral("/status.json"));
  RecorderSnapshot read;
  if (!file.open(QIODevice::ReadOnly))
    read.problem = file.exists() ? file.errorString() : QStringLiteral("missing");
  else
    read = parseRecorderStatus(file.readAll());
  return read;
}

// On a thread of its own: a remote FS's server may take up to its timeout to answer.
RecorderSnapshot loadThrough(valkka_fs_t *fs, bool remote) {
  char *data = nullptr;
  size_t len = 0;
  const int err = valkka_fs_load_file(fs, "status.json", &data, &len);
  RecorderSnapshot read;
  if (err == VALKKA_ENOENT) {
    read.problem = QStringLiteral("missing");
  } else if (err) {
    read.problem = fsErrorText(err);
    // A server that answers "no such file" is reachable; one that does not answer, refuses the
    // viewer or breaks off is not.
    if (remote) read.unreachable = read.problem;
  } else {
    read = parseRecorderStatus(QByteArray(data, static_cast<qsizetype>(len)));
  }
  valkka_fs_free_file(data);
  return read;
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
  out.recorder = recorder.value(QStringLiteral("name")).toString();
  if (out.recorder.isEmpty()) out.recorder = recorder.value(QStringLiteral("host")).toString();
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
  if (!snapshot.unreachable.isEmpty()) {
    // Said before a stale word: why it goes stale is the news.
    view.known = view.recorderGone = true;
    view.banner = QStringLiteral("RECORDER UNREACHABLE: %1").arg(snapshot.unreachable);
    return view;
  }
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

QList<QPair<int, RecorderCameraView>> recorderViews(const RecorderSnapshot &snapshot,
                                                    const QString &dir,
                                                    const QList<CameraConfig> &cameras,
                                                    qint64 nowMs) {
  QList<QPair<int, RecorderCameraView>> out;
  for (int i = 0; i < cameras.size(); i++) {
    const CameraConfig &cam = cameras.at(i);
    if (cam.fsDir != dir) continue;
    const QString name = cam.recorderName.isEmpty() ? cam.name : cam.recorderName;
    out.append({i, recorderView(snapshot, cam.streamId, name, nowMs)});
  }
  return out;
}

RecorderStatus::RecorderStatus(const QString &dir, valkka_fs_t *fs, QObject *parent)
    : QObject(parent), dir_(dir), fs_(fs) {
  // The directory, not the file: a rename replaces the file's inode, which a watch on the file
  // would lose. The timer reads it anyway, in case the watch could not be set, and is all a URL
  // has.
  if (!isRemoteFs(dir)) watcher_.addPath(dir);
  connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, &RecorderStatus::reload);
  timer_.setInterval(kPollMs);
  connect(&timer_, &QTimer::timeout, this, &RecorderStatus::reload);
  timer_.start();
  QTimer::singleShot(0, this, &RecorderStatus::reload);  // once the caller has connected
}

RecorderStatus::~RecorderStatus() {
  if (!fetch_) return;
  fetch_->wait();  // its result, posted to this object, goes with it
  delete fetch_;
}

void RecorderStatus::reload() {
  if (!fs_) {
    apply(readFile(dir_));
    return;
  }
  if (fetch_) {
    again_ = true;
    return;
  }
  valkka_fs_t *fs = fs_;
  const bool remote = isRemoteFs(dir_);
  fetch_ = QThread::create([this, fs, remote] {
    const RecorderSnapshot read = loadThrough(fs, remote);
    QMetaObject::invokeMethod(
        this, [this, read] { fetchDone(read); }, Qt::QueuedConnection);
  });
  fetch_->start();
}

void RecorderStatus::fetchDone(const RecorderSnapshot &read) {
  fetch_->wait();
  delete fetch_;
  fetch_ = nullptr;
  apply(read);
  if (again_) {
    again_ = false;
    reload();
  }
}

void RecorderStatus::apply(const RecorderSnapshot &read) {
  if (read.valid) {
    snapshot_ = read;
  } else {
    snapshot_.valid = false;  // the last whole file's word stands, and goes stale
    snapshot_.problem = read.problem;
    snapshot_.unreachable = read.unreachable;
  }
  if (snapshot_.problem != reported_) {
    if (!snapshot_.problem.isEmpty())
      qWarning("valkka-kiosk: %s/status.json: %s: %s", qPrintable(shownDir(dir_)),
               qPrintable(snapshot_.problem),
               !snapshot_.unreachable.isEmpty()
                   ? "its tiles say the recorder is unreachable until it answers"
               : snapshot_.updatedMs ? "the recorder's last word on its cameras stands"
                                     : "the tiles show the viewer's own reading");
    reported_ = snapshot_.problem;
  }
  emit changed();
}
