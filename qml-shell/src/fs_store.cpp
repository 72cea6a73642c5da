/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fs_store.h"

#include <QDir>
#include <QFileInfo>

#include <valkka/error.h>

#include "fs_access.h"

FsStore::~FsStore() { close(); }

bool FsStore::open(const QList<FsConfig> &configs, QString *error) {
  for (const FsConfig &config : configs)
    if (!openOne(config, error)) return false;
  return true;
}

bool FsStore::openOne(const FsConfig &config, QString *error) {
  const QByteArray dir = config.dir.toUtf8();
  const bool remote = isRemoteFs(config.dir);
  if (config.create && !remote &&
      !QFileInfo::exists(config.dir + QStringLiteral("/valkkafs.json"))) {
    // valkka_fs_create wants the parent to exist; on first run none of the path may.
    if (!QDir().mkpath(QFileInfo(config.dir).absolutePath())) {
      *error = QStringLiteral("cannot create %1").arg(QFileInfo(config.dir).absolutePath());
      return false;
    }
    valkka_fs_create_params_t params{};
    params.struct_size = sizeof params;
    params.kind = config.kind;
    params.block_size = config.blockSize;
    params.n_blocks = config.nBlocks;
    const int err = valkka_fs_create(dir.constData(), &params);
    if (err) {
      *error = QStringLiteral("creating the FS in %1: %2").arg(config.dir, fsErrorText(err));
      return false;
    }
  }
  valkka_fs_t *fs = nullptr;
  // An FS over HTTP is read-only whatever the config says: its recorder writes it on its disk.
  bool viewing = config.viewer || remote;
  int err = openFs(config, viewing ? VALKKA_FS_READONLY : 0, &fs);
  if (err == VALKKA_EBUSY) {
    // A recorder holds it: show its recording rather than fight it for the FS.
    qWarning("valkka-kiosk: %s is recorded by another process: showing its recording",
             qPrintable(shownDir(config.dir)));
    err = openFs(config, VALKKA_FS_READONLY, &fs);
    viewing = true;
  }
  if (err) {
    *error = QStringLiteral("opening the FS in %1: %2").arg(shownDir(config.dir), fsErrorText(err));
    if (err == VALKKA_ENOENT && !config.create && !remote)
      *error += QStringLiteral(
          " (create it with `valkka fs create`, or give the config's fs a \"create\")");
    return false;
  }
  open_.push_back({config.dir, fs, viewing});
  return true;
}

bool FsStore::readOnly(valkka_fs_t *fs) const {
  for (const Open &o : open_)
    if (o.fs == fs) return o.readOnly;
  return false;
}

valkka_fs_t *FsStore::find(const QString &dir) const {
  for (const Open &o : open_)
    if (o.dir == dir) return o.fs;
  return nullptr;
}

std::vector<valkka_fs_t *> FsStore::all() const {
  std::vector<valkka_fs_t *> out;
  for (const Open &o : open_) out.push_back(o.fs);
  return out;
}

void FsStore::close() {
  for (Open &o : open_) valkka_fs_close(o.fs);
  open_.clear();
}
