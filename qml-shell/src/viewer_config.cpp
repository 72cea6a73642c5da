/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "viewer_config.h"

#include <QFileInfo>
#include <QUrl>

#include <algorithm>
#include <vector>

#include <valkka/error.h>
#include <valkka/fs.h>

#include "fs_access.h"
#include "recorder_status.h"

namespace {

std::vector<valkka_fs_stream_info_t> streamsOf(valkka_fs_t *fs) {
  valkka_fs_stream_info_t probe{};
  probe.struct_size = sizeof probe;
  const int n = valkka_fs_get_streams(fs, &probe, 0);
  std::vector<valkka_fs_stream_info_t> out(n > 0 ? static_cast<size_t>(n) : 0);
  if (n > 0) {
    out[0].struct_size = sizeof out[0];
    out.resize(static_cast<size_t>(
        std::max(0, valkka_fs_get_streams(fs, out.data(), static_cast<uint32_t>(n)))));
  }
  std::sort(out.begin(), out.end(),
            [](const auto &a, const auto &b) { return a.stream_id < b.stream_id; });
  return out;
}

// The recorder's status.json, through the FS (its server for a URL); not valid when there is none.
RecorderSnapshot statusOf(valkka_fs_t *fs) {
  char *data = nullptr;
  size_t len = 0;
  RecorderSnapshot status;
  if (valkka_fs_load_file(fs, "status.json", &data, &len) == 0)
    status = parseRecorderStatus(QByteArray(data, static_cast<qsizetype>(len)));
  valkka_fs_free_file(data);
  return status;
}

// The cameras of one FS: its video streams, then those the recorder names that have no frame in
// the FS yet (one it cannot reach: their tiles say why, from the same file), by stream id.
QList<CameraConfig> camerasOf(const QString &dir,
                              const std::vector<valkka_fs_stream_info_t> &streams,
                              const RecorderSnapshot &status) {
  QList<CameraConfig> cameras;
  for (const auto &s : streams) {
    if (valkka_codec_is_audio(static_cast<valkka_codec_t>(s.codec))) continue;
    if (s.camera_id) continue;  // a substream: its camera's, below
    CameraConfig cam;
    cam.name = s.name[0] ? QString::fromUtf8(s.name) : QStringLiteral("stream %1").arg(s.stream_id);
    cam.fsDir = dir;
    cam.streamId = s.stream_id;
    cam.audio = false;
    for (const auto &a : streams)
      if (a.camera_id == s.stream_id &&
          valkka_codec_is_audio(static_cast<valkka_codec_t>(a.codec))) {
        cam.audio = true;
        cam.audioId = a.stream_id;
      } else if (a.camera_id == s.stream_id) {
        cam.subId = a.stream_id;
      }
    cameras.append(cam);
  }
  for (const RecorderCamera &c : status.cameras) {
    const bool shown = std::any_of(cameras.begin(), cameras.end(), [&](const CameraConfig &cam) {
      return cam.streamId == c.streamId;
    });
    if (shown) continue;
    CameraConfig cam;
    cam.name = c.name.isEmpty() ? QStringLiteral("stream %1").arg(c.streamId) : c.name;
    cam.fsDir = dir;
    cam.streamId = c.streamId;
    cam.audio = false;
    cameras.append(cam);
  }
  std::sort(cameras.begin(), cameras.end(),
            [](const CameraConfig &a, const CameraConfig &b) { return a.streamId < b.streamId; });
  return cameras;
}

}  // namespace

QString recorderLabel(const QString &dir, const QString &named, bool full) {
  if (!named.isEmpty()) return named;
  if (isRemoteFs(dir)) {
    const QUrl url(shownDir(dir));
    const QString host = url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port())
                                        : url.host();
    return full ? host + url.path() : host;
  }
  return full ? QFileInfo(dir).absoluteFilePath() : QFileInfo(dir).fileName();
}

void nameByRecorder(QList<CameraConfig> *cameras, const QHash<QString, QString> &labels) {
  QList<CameraConfig> named = *cameras;
  for (int i = 0; i < cameras->size(); i++) {
    const CameraConfig &cam = cameras->at(i);
    const bool shared = std::any_of(cameras->begin(), cameras->end(), [&](const CameraConfig &c) {
      return c.name == cam.name && c.fsDir != cam.fsDir;
    });
    if (!shared) continue;
    named[i].recorderName = cam.name;
    named[i].name = QStringLiteral("%1: %2").arg(labels.value(cam.fsDir), cam.name);
  }
  *cameras = named;
}

bool viewerConfig(const QList<FsConfig> &fses, KioskConfig *config, QString *error) {
  config->filesystems.clear();
  config->cameras.clear();
  QHash<QString, QString> labels;
  for (const FsConfig &given : fses) {
    valkka_fs_t *fs = nullptr;
    const int err = openFs(given, VALKKA_FS_READONLY, &fs);
    if (err) {
      *error =
          QStringLiteral("opening the FS in %1: %2").arg(shownDir(given.dir), fsErrorText(err));
      return false;
    }
    const auto streams = streamsOf(fs);
    const RecorderSnapshot status = statusOf(fs);
    valkka_fs_close(fs);
    FsConfig fsConfig = given;
    fsConfig.viewer = true;
    config->filesystems.append(fsConfig);
    config->cameras += camerasOf(given.dir, streams, status);
    labels.insert(given.dir, recorderLabel(given.dir, status.recorder));
  }
  // Two recorders of one name (two FS directories both called "fs"): their whole paths then.
  const QHash<QString, QString> first = labels;
  for (auto it = labels.begin(); it != labels.end(); ++it)
    if (std::count(first.cbegin(), first.cend(), it.value()) > 1)
      it.value() = recorderLabel(it.key(), {}, true);
  nameByRecorder(&config->cameras, labels);
  if (config->cameras.isEmpty()) {
    QStringList shown;
    for (const FsConfig &fs : fses) shown.append(shownDir(fs.dir));
    *error = QStringLiteral("the FS in %1 %2 no video stream yet: start its recorder first")
                 .arg(shown.join(QStringLiteral(", ")),
                      fses.size() > 1 ? QStringLiteral("hold") : QStringLiteral("holds"));
    return false;
  }
  return true;
}
