/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one-line failure messages of the `valkka` subcommands (commands.h). Apart from main.c so
 * that the parsers using it (the record config) link into tests and fuzz targets without main. */
#include <stdarg.h>
#include <stdio.h>

#include <valkka/valkka.h>

#include "cli_log.h"
#include "commands.h"

int cli_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char message[2048];
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  cli_say(VALKKA_LOG_ERROR, "%s", message);
  return 1;
}

int cli_fail_code(int code, const char *what) {
  const char *detail = valkka_last_error();
  char shown[4096]; /* `what` may be a URL with a password */
  valkka_url_redact(what, 0, shown, sizeof shown);
  return cli_fail("%s: %s", shown, detail[0] ? detail : valkka_strerror(code));
}
