/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsing and printing shared by the `valkka` subcommands: counts and times (sizes:
 * valkka_size_parse, config.h). */
#ifndef VALKKA_CLI_UTIL_H
#define VALKKA_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A plain non-negative decimal count. 0, or -1 when malformed. */
int cli_parse_count(const char *text, uint64_t *out);

/* `ms` (epoch milliseconds) as ISO 8601 UTC with milliseconds, "2026-11-25T06:01:02.120Z";
 * "-" for 0 (no time). */
void cli_iso_time(int64_t ms, char *out, size_t n);

#endif
