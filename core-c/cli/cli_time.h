/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TIME arguments of `valkka play` and `valkka export`, the times the CLI shows back, and its
 * clocks. Built into the static library valkka_cli_time, which the CLI and its unit test link. */
#ifndef VALKKA_CLI_TIME_H
#define VALKKA_CLI_TIME_H

#include <stddef.h>
#include <stdint.h>

/* How a TIME was read: what the user is told besides the time itself. */
typedef enum cli_time_kind {
  CLI_TIME_EXACT,        /* one instant, nothing to say */
  CLI_TIME_SECONDS,      /* an epoch number of at most 10 digits, seconds */
  CLI_TIME_MILLISECONDS, /* an epoch number of 13 digits, milliseconds */
  CLI_TIME_REPEATED,     /* a local time the clocks show twice (DST ends): the first is taken */
} cli_time_kind_t;

typedef struct cli_time {
  int64_t ms; /* epoch milliseconds */
  cli_time_kind_t kind;
  const char *error; /* why the text was refused (a static string), NULL when it was not */
} cli_time_t;

/* TIME, with `now_ms` as now and the local zone as TZ names it (tzset):
 *  - ISO 8601 "2026-12-04T14:05:03Z", "...T14:05:03.250+01:00"; without a zone the local time
 *    ("2026-12-04T14:05", "2026-12-04 14:05:03", "2026-12-04" = its midnight); a local time
 *    the clocks jump over is refused, one they show twice is the first of the two;
 *  - "now", "now-10m", "now+30s", "-1h" (= now-1h), "now-1h30m": units s, m, h, d;
 *  - "today 14:00", "yesterday 14:00:30", "14:00" (= today);
 *  - epoch seconds (at most 10 digits) or milliseconds (13 digits).
 * Dates and times that do not exist (February 29 of 2026, month 13, hour 24, second 61) and
 * instants not after the epoch are refused. 0, or -1 with out->error. */
int cli_time_parse(const char *text, int64_t now_ms, cli_time_t *out);

/* The forms above, for a command's --help. */
#define CLI_TIME_HELP                                                                          \
  "TIME: ISO 8601 (2026-12-04T14:05:03Z, ...+01:00; without a zone the local time), now,\n"    \
  "now-10m, -1h, now-1h30m (s, m, h, d), today 14:00, yesterday 14:00, 14:00 (today), or an\n" \
  "epoch number: seconds (at most 10 digits) or milliseconds (13 digits).\n"

/* `ms` in the local zone with its abbreviation, "2026-12-04 14:05:03 CET" (".250" before the
 * zone when not a whole second). */
void cli_local_time(int64_t ms, char *out, size_t n);

/* cli_time_parse at the current time for option `opt` of command `cmd`. On stderr, one line:
 * that an epoch number was taken as seconds, which of a repeated local time was taken, or why
 * TIME is refused. 0, or -1. */
int cli_time_arg(const char *cmd, const char *opt, const char *text, int64_t *ms);

/* "valkka: CMD: from TIME to TIME" (or "to the end" when `to_ms` is 0) on stderr, local. */
void cli_time_say_range(const char *cmd, int64_t from_ms, int64_t to_ms);

/* The CLI's two clocks, the only places it reads them. The wall clock (CLOCK_REALTIME) in
 * milliseconds since the epoch: times recorded, shown and written for viewers. */
int64_t cli_wall_ms(void);
/* The monotonic clock (CLOCK_MONOTONIC, the clock of the CLI's timed condition waits) in
 * microseconds: durations, deadlines, intervals. */
int64_t cli_mono_us(void);

#endif
