/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fs_access.h"

#include <valkka/error.h>
#include <valkka/log.h>

#include <vector>

namespace {

QString redacted(const QByteArray &text, uint32_t flags) {
  QByteArray out(2 * text.size() + 16, '\0');  // "***" may be longer than what it hides
  valkka_url_redact(text.constData(), flags, out.data(), static_cast<size_t>(out.size()));
  return QString::fromUtf8(out.constData());
}

}  // namespace

QList<QPair<QByteArray, QByteArray>> fsOpenOptions(const FsConfig &fs) {
  QList<QPair<QByteArray, QByteArray>> out;
  if (!isRemoteFs(fs.dir)) return out;  // a local directory's backend takes none
  if (!fs.caFile.isEmpty()) out.append({kCaFileOption, fs.caFile.toUtf8()});
  if (!fs.tokenFile.isEmpty()) out.append({kTokenFileOption, fs.tokenFile.toUtf8()});
  return out;
}

int openFs(const FsConfig &fs, uint32_t flags, valkka_fs_t **out) {
  const QList<QPair<QByteArray, QByteArray>> strings = fsOpenOptions(fs);
  std::vector<valkka_option_t> options;
  for (const auto &[key, value] : strings) options.push_back({key.constData(), value.constData()});
  valkka_fs_open_params_t params{};
  params.struct_size = sizeof params;
  params.flags = flags;
  params.options = options.empty() ? nullptr : options.data();
  params.n_options = options.size();
  return valkka_fs_open(fs.dir.toUtf8().constData(), &params, out);
}

bool isRemoteFs(const QString &dir) { return valkka_fs_is_remote(dir.toUtf8().constData()) != 0; }

QString shownDir(const QString &dir) { return redacted(dir.toUtf8(), VALKKA_URL_REDACT_WHOLE); }

QString fsErrorText(int code) {
  const char *detail = valkka_last_error();
  const QByteArray text(detail && detail[0] ? detail : valkka_strerror(code));
  return redacted(text, 0);  // a message quoting URLs: each one's credentials hidden
}
