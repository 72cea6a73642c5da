/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the kiosk records and shows: the FS(s) and the cameras, from the JSON config `valkka
// record --config` reads (DESIGN section 8), or the built-in default (4 synthetic cameras into a
// default FS, the same as `valkka record --fs DIR --synthetic 4`).
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <cstdint>

// An FS the kiosk records into. When `create` is set and `dir` holds no FS yet, it is created
// with these parameters; otherwise it must exist. `dir` may be the URL of an FS an HTTP server
// serves (valkka_fs_open: read-only), opened with `caFile` and `tokenFile` (--ca-file,
// --token-file; empty: none).
struct FsConfig {
  QString dir;
  QString caFile;
  QString tokenFile;
  bool create = false;
  bool viewer = false;  // opened read-only: another process records it
  uint32_t kind = 1;    // valkka_fs_kind_t: 1 multi, 2 single
  uint32_t blockSize = 1u << 20;
  uint32_t nBlocks = 2048;
};

struct CameraConfig {
  QString name;  // what its tile and lane show
  // The name its recorder gives it (status.json's), when a viewer's `name` adds the recorder's
  // to tell it from a camera of the same name in another FS; empty: `name`.
  QString recorderName;
  QString url;
  QString fsDir;          // the FS it records into (one of KioskConfig::filesystems)
  uint32_t streamId = 0;  // on-disk id
  // Its sound (an MultiFS records it; a SingleFS holds one stream): "audio" (default true), and
  // its stream id "audio_id" (default streamId + kAudioIdBase; 0 without audio).
  bool audio = true;
  uint32_t audioId = 0;
  QList<QPair<QByteArray, QByteArray>> options;  // handed to the source plugin as strings
  // Its substream ("substream", stream "sub_id"; empty: none), which small tiles show, and which
  // streams it records ("record"). A viewer's camera has subId alone (from the stream table).
  QString subUrl;
  uint32_t subId = 0;
  bool recordMain = true, recordSub = false;
};

// A camera's sound is stream kAudioIdBase + its video's id unless "audio_id" says otherwise.
constexpr uint32_t kAudioIdBase = 1000;  // VALKKA_CONFIG_AUDIO_ID_BASE
// Its substream is stream kSubIdBase + its video's id unless "sub_id" says otherwise.
constexpr uint32_t kSubIdBase = 2000;  // VALKKA_CONFIG_SUB_ID_BASE

struct KioskConfig {
  QList<FsConfig> filesystems;  // distinct directories
  QList<CameraConfig> cameras;
  // The config's "recorders": FS (directories or URLs) shown whole, as `--fs` shows them.
  QStringList recorders;
  // "config PATH: FIELD: unknown key, ignored", one per key the reader does not know, for stderr.
  QStringList unknownKeys;
};

// ${XDG_DATA_HOME:-~/.local/share}/valkka-kiosk/fs
QString defaultFsDir();

// The default FS (created when missing: kind multi, 1 MiB blocks, fsSize bytes).
FsConfig defaultFs(qint64 fsSize);

// defaultFs, cameras synthetic://0..3 named "synthetic N", stream ids 1..4. No substreams yet:
// playback maps both of a camera's recorded streams, so a step could land on the one not shown.
KioskConfig defaultConfig(qint64 fsSize);

// Reads the config `valkka record --config` reads, through the same loader (valkka_config_load,
// README.md "The config file"): the same files are taken and refused with the same messages
// ("config PATH: FIELD: ..."). Directories are taken as written, relative to the current
// directory. Beyond the CLI: a camera with no "fs" anywhere records into defaultFs(fsSize).
// Keys the loader does not know are ignored and named (config->unknownKeys). False with `error`.
bool loadConfig(const QString &path, qint64 fsSize, KioskConfig *config, QString *error);

// A config may hold camera passwords: "config PATH is readable by everyone (mode 644) and may
// hold camera passwords: chmod 600 it" (or "by its group") when others than its owner can read
// it, as `valkka record --config` warns; "" when they cannot or the file cannot be looked at.
QString configAccessWarning(const QString &path);
