/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The FSes the kiosk records into: opened (created when the config asks and none is there yet),
// and closed in one place, after the playback manager that runs their writers is gone.
#pragma once

#include <QList>
#include <QString>

#include <utility>
#include <vector>

#include <valkka/fs.h>

#include "kiosk_config.h"

class FsStore {
 public:
  FsStore() = default;
  ~FsStore();
  FsStore(const FsStore &) = delete;
  FsStore &operator=(const FsStore &) = delete;

  // Opens every FS of `configs`, creating those marked `create` whose directory holds none yet
  // (parent directories too). False with `error` set; what was opened stays open until close().
  bool open(const QList<FsConfig> &configs, QString *error);

  // The open FS of `dir`, or nullptr.
  valkka_fs_t *find(const QString &dir) const;
  // True when `fs` was opened read-only: a viewer of what another process records (the config
  // said so, or that process held the FS).
  bool readOnly(valkka_fs_t *fs) const;
  std::vector<valkka_fs_t *> all() const;

  // Closes every FS (their writers must be stopped). Idempotent.
  void close();

 private:
  bool openOne(const FsConfig &config, QString *error);

  struct Open {
    QString dir;
    valkka_fs_t *fs;
    bool readOnly;
  };
  std::vector<Open> open_;
};
