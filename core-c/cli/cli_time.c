/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TIME arguments of `valkka play` and `valkka export`: epoch milliseconds or ISO 8601 with a zone. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli_util.h"

/* Reads `n` decimal digits at *p into *out; advances *p. */
static int digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i])) return -1;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *out = v;
  return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian); no timegm, which is not POSIX. */
static int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int parse_iso(const char *text, int64_t *ms) {
  static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const char *p = text;
  int y, mo, d, h, mi, s = 0, frac = 0;
  if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d) ||
      (*p != 'T' && *p != 't' && *p != ' ') || (p++, digits(&p, 2, &h)) || *p++ != ':' ||
      digits(&p, 2, &mi))
    return -1;
  if (*p == ':') {
    p++;
    if (digits(&p, 2, &s)) return -1;
    if (*p == '.' || *p == ',') {
      p++;
      int scale = 100, n = 0;
      for (; isdigit((unsigned char)*p); p++, n++) {
        if (scale) frac += (*p - '0') * scale;
        scale /= 10;
      }
      if (!n) return -1;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || h > 23 || mi > 59 || s > 60)
    return -1;
  int64_t offset_min = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
    if (digits(&p, 2, &oh)) return -1;
    if (*p == ':') p++;
    if (isdigit((unsigned char)*p) && digits(&p, 2, &om)) return -1;
    if (oh > 23 || om > 59) return -1;
    offset_min = sign * (oh * 60 + om);
  } else {
    return -1; /* a time without a zone is ambiguous: refused */
  }
  if (*p) return -1;
  int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset_min * 60;
  *ms = seconds * 1000 + frac;
  return 0;
}

int cli_parse_time(const char *text, int64_t *ms) {
  if (!text || !*text) return -1;
  bool all_digits = true;
  for (const char *p = text; *p; p++) all_digits = all_digits && isdigit((unsigned char)*p);
  if (all_digits) {
    errno = 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v <= 0) return -1;
    *ms = v;
    return 0;
  }
  return parse_iso(text, ms) == 0 && *ms > 0 ? 0 : -1;
}
