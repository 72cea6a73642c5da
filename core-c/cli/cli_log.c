/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stderr's lines with the journal's priority prefixes when stderr is the journal: systemd sets
 * $JOURNAL_STREAM to "DEVICE:INODE" of the stream it connected, and a stderr redirected since
 * (a shell's 2>file in the unit) no longer matches it, so its lines stay plain.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_log.h"

static bool journal;

static bool stderr_is_journal(void) {
  const char *env = getenv("JOURNAL_STREAM");
  uintmax_t dev = 0, ino = 0;
  struct stat st;
  if (!env || sscanf(env, "%ju:%ju", &dev, &ino) != 2) return false;
  return fstat(STDERR_FILENO, &st) == 0 && (uintmax_t)st.st_dev == dev &&
         (uintmax_t)st.st_ino == ino;
}

void cli_log_init(void) {
  journal = stderr_is_journal();
  valkka_log_set_callback(cli_log_line, NULL);
}

const char *cli_log_prefix(valkka_log_level_t level) {
  static const char *const prefixes[] = {"<7>", "<6>", "<4>", "<3>"};
  if (!journal) return "";
  return level >= VALKKA_LOG_DEBUG && level <= VALKKA_LOG_ERROR ? prefixes[level] : "<3>";
}

/* One fprintf per line: stderr is unbuffered, and lines of several threads must not mix. */
void cli_say(valkka_log_level_t level, const char *fmt, ...) {
  char message[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%svalkka: %s\n", cli_log_prefix(level), message);
}

void cli_log_line(void *user, valkka_log_level_t level, const char *module, const char *message) {
  static const char *const names[] = {"debug", "info", "warn", "error"};
  (void)user;
  const char *name = level >= VALKKA_LOG_DEBUG && level <= VALKKA_LOG_ERROR ? names[level] : "?";
  fprintf(stderr, "%svalkka %s %s: %s\n", cli_log_prefix(level), name, module, message);
}
