/* SPDX-License-Identifier: LGPL-2.1-or-later */
// How the kiosk reaches an FS: a local directory, or the URL of one an HTTP server serves, opened
// read-only with the storage plugin's options (a site's CA, a bearer token), and how an FS is
// named where a person sees it: never with a password.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>

#include <valkka/fs.h>

#include "kiosk_config.h"

// The storage options --ca-file and --token-file give (the storage-http plugin's names), handed
// to valkka_fs_open and to a live tile's valkkafs:// source alike.
constexpr const char *kCaFileOption = "ca_file";
constexpr const char *kTokenFileOption = "bearer_token_file";

// Those of `fs` that are set, as a camera's options hold them.
QList<QPair<QByteArray, QByteArray>> fsOpenOptions(const FsConfig &fs);

// valkka_fs_open of `fs.dir` with `flags` (VALKKA_FS_*) and its options.
int openFs(const FsConfig &fs, uint32_t flags, valkka_fs_t **out);

// True for the URL of a remote FS (http://, https://).
bool isRemoteFs(const QString &dir);

// `dir` with its credentials hidden (valkka_url_redact, the whole text one URL): what messages
// and tiles show of an FS.
QString shownDir(const QString &dir);

// The core's last error of the calling thread (redacted), or `code`'s text when it has none.
QString fsErrorText(int code);
