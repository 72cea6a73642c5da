/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * FFmpeg's log lines as the library's (log.h), so that they take its threshold, its callback
 * (the journal's prefixes) and valkka_url_redact: libavformat names URLs as given ("Opening
 * 'http://user:password@host/...' for reading"), camera passwords included.
 */
#include <libavutil/log.h>
#include <string.h>

#include <valkka/valkka.h>

#include "cli_avlog.h"

#define LINE_MAX_BYTES 1024

static valkka_log_level_t level_of(int av_level) {
  if (av_level <= AV_LOG_ERROR) return VALKKA_LOG_ERROR;
  if (av_level <= AV_LOG_WARNING) return VALKKA_LOG_WARN;
  if (av_level <= AV_LOG_INFO) return VALKKA_LOG_INFO;
  return VALKKA_LOG_DEBUG;
}

/*
 * FFmpeg writes some lines in pieces (a prefix, then the rest): each thread gathers its pieces
 * until the newline, so a line goes out whole. The level is the first piece's.
 */
static void on_av_log(void *avcl, int av_level, const char *fmt, va_list ap) {
  static _Thread_local char line[LINE_MAX_BYTES];
  static _Thread_local size_t used;
  static _Thread_local int print_prefix = 1;
  static _Thread_local valkka_log_level_t line_level;
  const valkka_log_level_t level = level_of(av_level);
  /* av_log_set_level still applies (export quiets a muxer's notes with it), and so does ours. */
  if (!used && (av_level > av_log_get_level() || level < valkka_log_get_level())) {
    const size_t n = strlen(fmt);
    print_prefix = n && fmt[n - 1] == '\n';
    return;
  }
  if (!used) line_level = level;
  av_log_format_line2(avcl, av_level, fmt, ap, line + used, sizeof line - used, &print_prefix);
  used += strlen(line + used);
  if (used < sizeof line - 1 && !print_prefix) return;
  while (used && (line[used - 1] == '\n' || line[used - 1] == '\r')) line[--used] = '\0';
  char shown[LINE_MAX_BYTES];
  valkka_url_redact(line, 0, shown, sizeof shown);
  used = 0;
  if (*shown) valkka_log(line_level, "ffmpeg", "%s", shown);
}

void cli_avlog_init(void) { av_log_set_callback(on_av_log); }
