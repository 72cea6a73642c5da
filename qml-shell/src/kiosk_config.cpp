/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kiosk_config.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <sys/stat.h>

#include <algorithm>
#include <initializer_list>

namespace {

constexpr int kDefaultCameras = 4;
// As `valkka record` (RECORD_MAX_CAMERAS in core-c/cli/cmd_record.h): the kiosk takes its configs.
constexpr int kMaxCameras = 64;
constexpr uint32_t kMaxBlocks = 1048576;

uint32_t blocksFor(qint64 bytes, uint32_t blockSize) {
  return static_cast<uint32_t>(qBound<qint64>(2, bytes / blockSize, kMaxBlocks));
}

// 1048576, "1048576", "1M", "64KiB": bytes as the CLI reads them; false for anything else.
bool parseSize(const QJsonValue &value, qint64 *bytes) {
  if (value.isDouble()) {
    *bytes = static_cast<qint64>(value.toDouble());
    return value.toDouble() == static_cast<double>(*bytes) && *bytes > 0;
  }
  static const QRegularExpression size(QStringLiteral("^(\\d+)([kKmMgG]?)[iI]?[bB]?$"));
  const QRegularExpressionMatch m = size.match(value.toString());
  if (!m.hasMatch() || (m.captured(2).isEmpty() && m.captured(0) != m.captured(1))) return false;
  const int shift = QStringLiteral("kmg").indexOf(m.captured(2).toLower()) * 10 + 10;
  *bytes = m.captured(1).toLongLong() << (m.captured(2).isEmpty() ? 0 : shift);
  return *bytes > 0;
}

class Parser {
 public:
  Parser(const QString &path, qint64 fsSize) : path_(path), fsSize_(fsSize) {}

  bool fail(const QString &field, const QString &what) {
    error = QStringLiteral("config %1: %2: %3").arg(path_, field, what);
    return false;
  }

  // As `valkka record`: a key a later version may add is no error, but it is named, so a typo
  // ("adio") is seen rather than silently doing nothing.
  void noteUnknown(const QString &field, const QJsonObject &object,
                   std::initializer_list<QLatin1String> known) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
      const QString name = field.isEmpty() ? it.key() : field + QLatin1Char('.') + it.key();
      unknownKeys.append(QStringLiteral("config %1: %2: unknown key, ignored").arg(path_, name));
    }
  }

  // "DIR" or {"dir", "create"}: adds the FS to `config` (once per directory), its dir to `dir`.
  bool fs(const QString &field, const QJsonValue &value, KioskConfig *config, QString *dir) {
    FsConfig fs;
    QJsonValue dirValue = value;
    if (value.isObject()) {
      noteUnknown(field, value.toObject(), {QLatin1String("dir"), QLatin1String("create")});
      dirValue = value.toObject().value(QStringLiteral("dir"));
      if (dirValue.isUndefined()) return fail(field, QStringLiteral("\"dir\" is missing"));
    } else if (!value.isString()) {
      return fail(field,
                  QStringLiteral("expected a directory name or an object {\"dir\", \"create\"}"));
    }
    if (!dirValue.isString() || dirValue.toString().isEmpty())
      return fail(field, QStringLiteral("expected a directory name"));
    fs.dir = QDir::cleanPath(QDir::current().absoluteFilePath(dirValue.toString()));
    const QJsonValue create = value.toObject().value(QStringLiteral("create"));
    if (!create.isUndefined() && !this->create(field + QStringLiteral(".create"), create, &fs))
      return false;
    *dir = fs.dir;
    for (FsConfig &known : config->filesystems)
      if (known.dir == fs.dir) {
        // The first "create" given for a directory wins, as in the CLI.
        if (!known.create && fs.create) known = fs;
        return true;
      }
    config->filesystems.append(fs);
    return true;
  }

  bool create(const QString &field, const QJsonValue &value, FsConfig *fs) {
    if (!value.isObject())
      return fail(field,
                  QStringLiteral("expected an object {\"kind\", \"block_size\", \"blocks\"}"));
    const QJsonObject object = value.toObject();
    noteUnknown(field, object,
                {QLatin1String("kind"), QLatin1String("block_size"), QLatin1String("blocks")});
    fs->create = true;
    const QString kind = object.value(QStringLiteral("kind")).toString(QStringLiteral("multi"));
    if (kind == QStringLiteral("single"))
      fs->kind = 2;
    else if (kind == QStringLiteral("multi"))
      fs->kind = 1;
    else
      return fail(field + QStringLiteral(".kind"),
                  QStringLiteral("expected \"multi\" or \"single\""));
    const QJsonValue blockSize = object.value(QStringLiteral("block_size"));
    if (!blockSize.isUndefined()) {
      qint64 bytes = 0;
      if (!parseSize(blockSize, &bytes) || bytes < 65536 || bytes % 4096 || bytes > (1LL << 30))
        return fail(field + QStringLiteral(".block_size"),
                    QStringLiteral("must be a multiple of 4096, at least 64K and at most 1G"));
      fs->blockSize = static_cast<uint32_t>(bytes);
    }
    const QJsonValue blocks = object.value(QStringLiteral("blocks"));
    if (blocks.isUndefined())
      return fail(field,
                  QStringLiteral("\"blocks\" is missing (the FS holds blocks x block_size bytes)"));
    const double n = blocks.toDouble(-1);
    if (!blocks.isDouble() || n != static_cast<double>(static_cast<int64_t>(n)) || n < 2 ||
        n > kMaxBlocks)
      return fail(field + QStringLiteral(".blocks"),
                  QStringLiteral("expected an integer from 2 to %1").arg(kMaxBlocks));
    fs->nBlocks = static_cast<uint32_t>(n);
    return true;
  }

  bool camera(int i, const QJsonValue &item, const QString &topDir, KioskConfig *config) {
    const QString field = QStringLiteral("cameras[%1]").arg(i);
    if (!item.isObject())
      return fail(field, QStringLiteral("expected an object {\"name\", \"url\", ...}"));
    const QJsonObject object = item.toObject();
    noteUnknown(field, object,
                {QLatin1String("name"), QLatin1String("url"), QLatin1String("fs"),
                 QLatin1String("id"), QLatin1String("audio"), QLatin1String("audio_id"),
                 QLatin1String("options")});
    CameraConfig cam;
    const QJsonValue url = object.value(QStringLiteral("url"));
    if (!url.isString() || url.toString().isEmpty())
      return fail(field + QStringLiteral(".url"),
                  QStringLiteral("missing (rtsp://..., synthetic://N or a file path)"));
    cam.url = url.toString();
    cam.name = object.value(QStringLiteral("name")).toString(QStringLiteral("camera %1").arg(i));
    const QJsonValue fsValue = object.value(QStringLiteral("fs"));
    if (fsValue.isUndefined()) {
      cam.fsDir = topDir;
      if (cam.fsDir.isEmpty()) {
        // Neither the camera nor the config names an FS: the kiosk's default one.
        const FsConfig fs = defaultFs(fsSize_);
        cam.fsDir = fs.dir;
        bool known = false;
        for (const FsConfig &k : config->filesystems) known = known || k.dir == fs.dir;
        if (!known) config->filesystems.append(fs);
      }
    } else if (!this->fs(field + QStringLiteral(".fs"), fsValue, config, &cam.fsDir)) {
      return false;
    }
    const QJsonValue id = object.value(QStringLiteral("id"));
    if (id.isUndefined()) {
      cam.streamId = static_cast<uint32_t>(i + 1);
    } else {
      const double n = id.toDouble(-1);
      if (!id.isDouble() || n < 1 || n > 4294967295.0 ||
          n != static_cast<double>(static_cast<int64_t>(n)))
        return fail(field + QStringLiteral(".id"),
                    QStringLiteral("expected an integer from 1 to 4294967295"));
      cam.streamId = static_cast<uint32_t>(n);
    }
    for (const CameraConfig &other : config->cameras)
      if (other.fsDir == cam.fsDir &&
          (other.streamId == cam.streamId || (other.audio && other.audioId == cam.streamId)))
        return fail(
            field + QStringLiteral(".id"),
            QStringLiteral("stream id %1 is already used in %2").arg(cam.streamId).arg(cam.fsDir));
    if (!sound(field, object, config, &cam)) return false;
    const QJsonValue options = object.value(QStringLiteral("options"));
    if (!options.isUndefined()) {
      if (!options.isObject())
        return fail(field + QStringLiteral(".options"),
                    QStringLiteral("expected an object {\"key\": value}"));
      const QJsonObject o = options.toObject();
      for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        QString text;
        if (v.isString())
          text = v.toString();
        else if (v.isBool())
          text = QString::number(v.toBool() ? 1 : 0);
        else if (v.isDouble())
          text = QString::number(v.toDouble(), 'g', 15);
        else
          return fail(field + QStringLiteral(".options.") + it.key(),
                      QStringLiteral("expected a string, number or boolean"));
        cam.options.append({it.key().toUtf8(), text.toUtf8()});
      }
    }
    config->cameras.append(cam);
    return true;
  }

  // "audio" and "audio_id": the camera's sound and its stream id.
  bool sound(const QString &field, const QJsonObject &object, const KioskConfig *config,
             CameraConfig *cam) {
    const QJsonValue audio = object.value(QStringLiteral("audio"));
    if (!audio.isUndefined() && !audio.isBool())
      return fail(field + QStringLiteral(".audio"), QStringLiteral("expected true or false"));
    cam->audio = audio.toBool(true);
    const QJsonValue id = object.value(QStringLiteral("audio_id"));
    if (id.isUndefined()) {
      cam->audioId = cam->streamId + kAudioIdBase;
      if (cam->audioId < cam->streamId) cam->audioId = 0;  // past 2^32: no default id
    } else {
      const double n = id.toDouble(-1);
      if (!id.isDouble() || n < 1 || n > 4294967295.0 ||
          n != static_cast<double>(static_cast<int64_t>(n)))
        return fail(field + QStringLiteral(".audio_id"),
                    QStringLiteral("expected an integer from 1 to 4294967295"));
      cam->audioId = static_cast<uint32_t>(n);
    }
    if (!cam->audio) return true;
    if (cam->audioId == 0 || cam->audioId == cam->streamId)
      return fail(field + QStringLiteral(".audio_id"),
                  QStringLiteral("audio stream id %1 is its video's id").arg(cam->audioId));
    for (const CameraConfig &other : config->cameras)
      if (other.fsDir == cam->fsDir &&
          (other.streamId == cam->audioId || (other.audio && other.audioId == cam->audioId)))
        return fail(field + QStringLiteral(".audio_id"),
                    QStringLiteral("audio stream id %1 is already used in %2 (give it another "
                                   "\"audio_id\", or \"audio\": false)")
                        .arg(cam->audioId)
                        .arg(cam->fsDir));
    return true;
  }

  QString error;
  QStringList unknownKeys;

 private:
  QString path_;
  qint64 fsSize_;
};

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
    config.cameras.append(cam);
  }
  return config;
}

bool loadConfig(const QString &path, qint64 fsSize, KioskConfig *config, QString *error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("config %1: %2").arg(path, file.errorString());
    return false;
  }
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
  if (doc.isNull()) {
    *error = QStringLiteral("config %1: invalid JSON at offset %2: %3")
                 .arg(path)
                 .arg(parseError.offset)
                 .arg(parseError.errorString());
    return false;
  }
  Parser parser(path, fsSize);
  KioskConfig result;
  const QJsonObject root = doc.object();
  QString topDir;
  bool ok = doc.isObject() ||
            parser.fail(QStringLiteral("top level"),
                        QStringLiteral("expected an object {\"fs\", \"cameras\"}"));
  if (ok) parser.noteUnknown(QString(), root, {QLatin1String("fs"), QLatin1String("cameras")});
  if (ok && root.contains(QStringLiteral("fs")))
    ok = parser.fs(QStringLiteral("fs"), root.value(QStringLiteral("fs")), &result, &topDir);
  const QJsonArray cameras = root.value(QStringLiteral("cameras")).toArray();
  if (ok && cameras.isEmpty())
    ok = parser.fail(QStringLiteral("cameras"),
                     QStringLiteral("expected a non-empty array of cameras"));
  if (ok && cameras.size() > kMaxCameras)
    ok = parser.fail(QStringLiteral("cameras"),
                     QStringLiteral("%1 cameras: at most %2").arg(cameras.size()).arg(kMaxCameras));
  for (int i = 0; ok && i < cameras.size(); i++)
    ok = parser.camera(i, cameras.at(i), topDir, &result);
  if (!ok) {
    *error = parser.error;
    return false;
  }
  result.unknownKeys = parser.unknownKeys;
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
