/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "viewer_config.h"

#include <QFile>

#include <algorithm>
#include <vector>

#include <valkka/error.h>
#include <valkka/fs.h>

#include "recorder_status.h"

namespace {

QString describe(int code) {
  const char *detail = valkka_last_error();
  return QString::fromUtf8(detail && detail[0] ? detail : valkka_strerror(code));
}

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

// The cameras the recorder names in its status.json that have no frame in the FS yet (one it cannot
// reach): their tiles say why, from the same file.
void addUnrecorded(const QString &dir, KioskConfig *config) {
  QFile file(dir + QStringLiteral("/status.json"));
  if (!file.open(QIODevice::ReadOnly)) return;
  const RecorderSnapshot status = parseRecorderStatus(file.readAll());
  for (const RecorderCamera &c : status.cameras) {
    const bool shown =
        std::any_of(config->cameras.begin(), config->cameras.end(),
                    [&](const CameraConfig &cam) { return cam.streamId == c.streamId; });
    if (shown) continue;
    CameraConfig cam;
    cam.name = c.name.isEmpty() ? QStringLiteral("stream %1").arg(c.streamId) : c.name;
    cam.fsDir = dir;
    cam.streamId = c.streamId;
    cam.audio = false;
    config->cameras.append(cam);
  }
  std::sort(config->cameras.begin(), config->cameras.end(),
            [](const CameraConfig &a, const CameraConfig &b) { return a.streamId < b.streamId; });
}

}  // namespace

bool viewerConfig(const QString &dir, KioskConfig *config, QString *error) {
  const QByteArray path = dir.toUtf8();
  valkka_fs_open_params_t params{};
  params.struct_size = sizeof params;
  params.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  const int err = valkka_fs_open(path.constData(), &params, &fs);
  if (err) {
    *error = QStringLiteral("opening the FS in %1: %2").arg(dir, describe(err));
    return false;
  }
  const auto streams = streamsOf(fs);
  valkka_fs_close(fs);
  FsConfig fsConfig;
  fsConfig.dir = dir;
  fsConfig.viewer = true;
  config->filesystems = {fsConfig};
  config->cameras.clear();
  for (const auto &s : streams) {
    if (valkka_codec_is_audio(static_cast<valkka_codec_t>(s.codec))) continue;
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
      }
    config->cameras.append(cam);
  }
  addUnrecorded(dir, config);
  if (config->cameras.isEmpty()) {
    *error =
        QStringLiteral("the FS in %1 holds no video stream yet: start its recorder first").arg(dir);
    return false;
  }
  return true;
}
