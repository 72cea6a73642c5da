/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Times shown back to the user (cli_time.h): in the local zone, named by its abbreviation, so
 * that a TIME typed without a zone can be checked against what the CLI understood; and the
 * clocks the CLI reads "now" from. */
#include <stdio.h>
#include <time.h>

#include "cli_time.h"

void cli_local_time(int64_t ms, char *out, size_t n) {
  const time_t s = (time_t)(ms / 1000);
  struct tm tm;
  tzset();
  if (!n || !localtime_r(&s, &tm)) {
    if (n) snprintf(out, n, "%lld ms", (long long)ms);
    return;
  }
  size_t len = strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
  if (ms % 1000 && len < n) len += (size_t)snprintf(out + len, n - len, ".%03d", (int)(ms % 1000));
  if (len < n) strftime(out + len, n - len, " %Z", &tm);
}

int cli_time_arg(const char *cmd, const char *opt, const char *text, int64_t *ms) {
  cli_time_t t;
  if (cli_time_parse(text, cli_wall_ms(), &t)) {
    fprintf(stderr, "valkka: %s: %s '%s': not a TIME: %s\n", cmd, opt, text, t.error);
    return -1;
  }
  char shown[64];
  cli_local_time(t.ms, shown, sizeof shown);
  /* Seconds only: 13 digits were always milliseconds, and scripts giving them get no noise. */
  if (t.kind == CLI_TIME_SECONDS)
    fprintf(stderr, "valkka: %s: %s taken as seconds (%s)\n", cmd, text, shown);
  else if (t.kind == CLI_TIME_REPEATED)
    fprintf(stderr, "valkka: %s: %s is shown twice by the clocks here, taken as the first (%s)\n",
            cmd, text, shown);
  *ms = t.ms;
  return 0;
}

void cli_time_say_range(const char *cmd, int64_t from_ms, int64_t to_ms) {
  char from[64], to[64] = "the end";
  cli_local_time(from_ms, from, sizeof from);
  if (to_ms) cli_local_time(to_ms, to, sizeof to);
  fprintf(stderr, "valkka: %s: from %s to %s\n", cmd, from, to);
}

int64_t cli_wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t cli_mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
