/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kiosk_config.h"

#include <QDir>
#include <QFile>

#include <valkka/valkka.h>

#include <sys/stat.h>

#include <memory>

namespace {

constexpr int kDefaultCameras = 4;
constexpr uint32_t kMaxBlocks = 1048576;

uint32_t blocksFor(qint64 bytes, uint32_t blockSize) {
  return static_cast<uint32_t>(qBound<qint64>(2, bytes / blockSize, kMaxBlocks));
}

struct ConfigFree {
  void operator()(valkka_config_t *config) const { valkka_config_free(config); }
};

// `fs` into `config` (once per directory: the first "create" given wins, as in the CLI).
void addFs(const FsConfig &fs, KioskConfig *config) {
  for (FsConfig &known : config->filesystems)
    if (known.dir == fs.dir) {
      if (!known.create && fs.create) known = fs;
      return;
    }
  config->filesystems.append(fs);
}

}  // namespace

QString defaultFsDir() {
  QString data = qEnvironmentVariable("XDG_DATA_HOME");
  // The XDG spec ignores a relative XDG_DATA_HOME.
  if (data.isEmpty() || QDir::isRelativePath(data))
    data = QDir::homePath() + QStringLiteral("/.local/share");
  return QDir::cleanPath(data + QStringLiteral("/valkka-kiosk/fs"));
}

FsConfig defaultFs(qint64 fsSize) {
  FsConfig fs;
  fs.dir = defaultFsDir();
  fs.create = true;
  fs.nBlocks = blocksFor(fsSize, fs.blockSize);
  return fs;
}

KioskConfig defaultConfig(qint64 fsSize) {
  KioskConfig config;
  config.filesystems.append(defaultFs(fsSize));
  for (int i = 0; i < kDefaultCameras; i++) {
    CameraConfig cam;
    cam.name = QStringLiteral("synthetic %1").arg(i);
    cam.url = QStringLiteral("synthetic://%1").arg(i);
    cam.fsDir = config.filesystems.first().dir;
    cam.streamId = static_cast<uint32_t>(i + 1);
    cam.audioId = cam.streamId + kAudioIdBase;  // synthetic cameras have no sound: never used
    // A 640x360 substream (half the options' size) of a 1280x720 picture, both recorded: the
    // wall's tiles decode the substream, a maximised one the main stream.
    cam.options = {{"width", "1280"}, {"height", "720"}};
    cam.subUrl = QStringLiteral("synthetic://%1/sub").arg(i);
    cam.subId = cam.streamId + VALKKA_CONFIG_SUB_ID_BASE;
    cam.recordSub = true;
    config.cameras.append(cam);
  }
  return config;
}

bool loadConfig(const QString &path, qint64 fsSize, KioskConfig *config, QString *error) {
  valkka_config_t *raw = nullptr;
  if (valkka_config_load(QFile::encodeName(path).constData(), &raw) != 0) {
    *error = QString::fromUtf8(valkka_last_error());
    return false;
  }
  const std::unique_ptr<valkka_config_t, ConfigFree> loaded(raw);
  KioskConfig result;
  QStringList dirs;  // the library's FS i is the kiosk's directory dirs[i]
  for (size_t i = 0; i < valkka_config_fs_count(raw); i++) {
    valkka_config_fs_t f{};
    f.struct_size = sizeof f;
    valkka_config_fs(raw, i, &f);
    FsConfig fs;
    const QString dir = QFile::decodeName(f.dir);
    // A URL is an FS an HTTP server serves (opened read-only: a viewer of its camera).
    fs.dir = valkka_fs_is_remote(f.dir) ? dir
                                        : QDir::cleanPath(QDir::current().absoluteFilePath(dir));
    dirs.append(fs.dir);
    if (QByteArray(f.field).startsWith("recorders")) {
      result.recorders.append(fs.dir);  // a whole FS to view, its cameras from its stream table
      continue;
    }
    if (f.create) {
      fs.create = true;
      fs.kind = f.kind;
      fs.blockSize = f.block_size;
      fs.nBlocks = f.n_blocks;
    }
    addFs(fs, &result);
  }
  for (size_t i = 0; i < valkka_config_camera_count(raw); i++) {
    valkka_config_camera_t c{};
    c.struct_size = sizeof c;
    valkka_config_camera(raw, i, &c);
    CameraConfig cam;
    cam.name = c.name ? QString::fromUtf8(c.name) : QStringLiteral("camera %1").arg(i);
    cam.url = QString::fromUtf8(c.url);
    if (c.fs == VALKKA_CONFIG_NO_FS) {
      // Neither the camera nor the config names an FS: the kiosk's default one.
      const FsConfig fs = defaultFs(fsSize);
      addFs(fs, &result);
      cam.fsDir = fs.dir;
    } else {
      cam.fsDir = dirs.at(c.fs);
    }
    cam.streamId = c.stream_id;
    cam.audio = c.audio != 0;
    cam.audioId = c.audio_id;
    if (c.substream) {
      cam.subUrl = QString::fromUtf8(c.substream);
      cam.subId = c.sub_id;
      cam.recordMain = (c.record & VALKKA_CONFIG_RECORD_MAIN) != 0;
      cam.recordSub = (c.record & VALKKA_CONFIG_RECORD_SUB) != 0;
    }
    for (size_t k = 0; k < c.n_options; k++)
      cam.options.append({QByteArray(c.options[k].key), QByteArray(c.options[k].value)});
    result.cameras.append(cam);
  }
  for (size_t i = 0; i < valkka_config_warning_count(raw); i++)
    result.unknownKeys.append(QString::fromUtf8(valkka_config_warning(raw, i)));
  *config = result;
  return true;
}

QString configAccessWarning(const QString &path) {
  struct stat st;
  if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !(st.st_mode & (S_IRGRP | S_IROTH)))
    return QString();
  return QStringLiteral(
             "config %1 is readable by %2 (mode %3) and may hold camera passwords: chmod 600 it")
      .arg(path, st.st_mode & S_IROTH ? QStringLiteral("everyone") : QStringLiteral("its group"))
      .arg(static_cast<unsigned>(st.st_mode & 0777), 3, 8, QLatin1Char('0'));
}
