/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lines `valkka` writes on stderr, its own and the library's, in one place: under systemd with
 * stderr connected to the journal ($JOURNAL_STREAM names stderr) each line starts with its
 * priority for the journal, sd-daemon(3)'s "<3>" error, "<4>" warning, "<6>" info, "<7>" debug.
 */
#ifndef VALKKA_CLI_LOG_H
#define VALKKA_CLI_LOG_H

#include <valkka/valkka.h>

/* Decides whether stderr is the journal and routes the library's log through cli_log_line. */
void cli_log_init(void);
/* The priority prefix of `level`: "" unless stderr is the journal. */
const char *cli_log_prefix(valkka_log_level_t level);
/* One line "valkka: MESSAGE" on stderr, with the prefix of `level`. Any thread. */
void cli_say(valkka_log_level_t level, const char *fmt, ...) VALKKA_PRINTF(2, 3);
/* The library's log callback (log.h): "valkka LEVEL MODULE: MESSAGE", with the prefix. */
void cli_log_line(void *user, valkka_log_level_t level, const char *module, const char *message);

#endif
