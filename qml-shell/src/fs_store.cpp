/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fs_store.h"

#include <QDir>
#include <QFileInfo>

#include <valkka/error.h>

namespace {

QString describe(int code) {
  const char *detail = valkka_last_error();
  return QString::fromUtf8(detail && detail[0] ? detail : valkka_strerror(code));
}

}  // namespace

FsStore::~FsStore() { close(); }

bool FsStore::open(const QList<FsConfig> &configs, QString *error) {
  for (const FsConfig &config : configs)
    if (!openOne(config, error)) return false;
  return true;
}

bool FsStore::openOne(const FsConfig &config, QString *error) {
  const QByteArray dir = config.dir.toUtf8();
  if (config.create && !QFileInfo::exists(config.dir + QStringLiteral("/valkkafs.json"))) {
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
      *error = QStringLiteral("creating the FS in %1: %2").arg(config.dir, describe(err));
      return false;
    }
  }
  valkka_fs_t *fs = nullptr;
  const int err = valkka_fs_open(dir.constData(), nullptr, &fs);
  if (err) {
    *error = QStringLiteral("opening the FS in %1: %2").arg(config.dir, describe(err));
    if (err == VALKKA_ENOENT && !config.create)
      *error += QStringLiteral(
          " (create it with `valkka fs create`, or give the config's fs a \"create\")");
    return false;
  }
  open_.emplace_back(config.dir, fs);
  return true;
}

valkka_fs_t *FsStore::find(const QString &dir) const {
  for (const auto &[d, fs] : open_)
    if (d == dir) return fs;
  return nullptr;
}

std::vector<valkka_fs_t *> FsStore::all() const {
  std::vector<valkka_fs_t *> out;
  for (const auto &entry : open_) out.push_back(entry.second);
  return out;
}

void FsStore::close() {
  for (auto &entry : open_) valkka_fs_close(entry.second);
  open_.clear();
}
