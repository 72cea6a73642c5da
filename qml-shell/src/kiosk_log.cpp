/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Lines on stderr with the journal's priority prefixes when systemd connected stderr to the
// journal ($JOURNAL_STREAM is "DEVICE:INODE" of that stream; a stderr redirected since does not
// match). FFmpeg's lines go through valkka_log as module "ffmpeg", so that they take its
// threshold and prefixes, with every URL's credentials hidden (valkka_url_redact): libavformat
// names URLs as given, camera passwords included.
#include "kiosk_log.h"

#include <QString>
#include <QtGlobal>

#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

namespace {

bool journal = false;

bool stderrIsJournal() {
  const char *env = std::getenv("JOURNAL_STREAM");
  uintmax_t dev = 0, ino = 0;
  struct stat st {};
  if (!env || std::sscanf(env, "%ju:%ju", &dev, &ino) != 2) return false;
  return fstat(STDERR_FILENO, &st) == 0 && static_cast<uintmax_t>(st.st_dev) == dev &&
         static_cast<uintmax_t>(st.st_ino) == ino;
}

void coreLine(void *, valkka_log_level_t level, const char *module, const char *message) {
  static const char *const names[] = {"debug", "info", "warn", "error"};
  const char *name = level <= VALKKA_LOG_ERROR ? names[level] : "?";
  std::fprintf(stderr, "%svalkka %s %s: %s\n", kiosklog::prefix(level), name, module, message);
}

valkka_log_level_t levelOfAv(int avLevel) {
  if (avLevel <= AV_LOG_ERROR) return VALKKA_LOG_ERROR;
  if (avLevel <= AV_LOG_WARNING) return VALKKA_LOG_WARN;
  return avLevel <= AV_LOG_INFO ? VALKKA_LOG_INFO : VALKKA_LOG_DEBUG;
}

// A line FFmpeg writes in pieces is gathered per thread up to its newline and goes out whole, at
// its first piece's level.
void avLine(void *avcl, int avLevel, const char *fmt, va_list ap) {
  thread_local std::string pending;
  thread_local int printPrefix = 1;
  thread_local valkka_log_level_t pendingLevel = VALKKA_LOG_INFO;
  const valkka_log_level_t level = levelOfAv(avLevel);
  if (pending.empty() && (avLevel > av_log_get_level() || level < valkka_log_get_level())) {
    const size_t n = std::strlen(fmt);
    printPrefix = n && fmt[n - 1] == '\n';
    return;
  }
  if (pending.empty()) pendingLevel = level;
  char piece[1024];
  av_log_format_line2(avcl, avLevel, fmt, ap, piece, sizeof piece, &printPrefix);
  pending += piece;
  if (!printPrefix && pending.size() < sizeof piece) return;
  while (!pending.empty() && (pending.back() == '\n' || pending.back() == '\r')) pending.pop_back();
  std::string shown(pending.size() + 16, '\0');
  valkka_url_redact(pending.c_str(), 0, shown.data(), shown.size());
  pending.clear();
  if (shown[0]) valkka_log(pendingLevel, "ffmpeg", "%s", shown.c_str());
}

// Qt's own messages (QML warnings, platform plugins) under the journal: the same lines, with
// their priority.
void qtLine(QtMsgType type, const QMessageLogContext &, const QString &message) {
  const valkka_log_level_t level = type == QtDebugMsg     ? VALKKA_LOG_DEBUG
                                   : type == QtInfoMsg    ? VALKKA_LOG_INFO
                                   : type == QtWarningMsg ? VALKKA_LOG_WARN
                                                          : VALKKA_LOG_ERROR;
  std::fprintf(stderr, "%s%s\n", kiosklog::prefix(level), qPrintable(message));
  if (type == QtFatalMsg) std::abort();
}

}  // namespace

namespace kiosklog {

void init() {
  journal = stderrIsJournal();
  valkka_log_set_callback(coreLine, nullptr);
  av_log_set_callback(avLine);
  if (journal) qInstallMessageHandler(qtLine);
}

const char *prefix(valkka_log_level_t level) {
  static const char *const prefixes[] = {"<7>", "<6>", "<4>", "<3>"};
  if (!journal) return "";
  return level <= VALKKA_LOG_ERROR ? prefixes[level] : "<3>";
}

}  // namespace kiosklog
