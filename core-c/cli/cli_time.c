/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The TIME parser of cli_time.h: every form, at a given now, in the zone TZ names. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli_time.h"

#define SYNTAX                                                                      \
  "expected ISO 8601 (2026-12-04T14:05:03, with Z or +01:00 for a zone other than " \
  "the local one), HH:MM[:SS], today|yesterday HH:MM, now[-+N(s|m|h|d)...], "       \
  "or epoch seconds (up to 10 digits) or milliseconds (13)"

/* A century: more is a typo, and the sum of the parts cannot overflow. */
#define MAX_RELATIVE_MS (100LL * 366 * 86400000)

typedef struct fields {
  int y, mo, d, h, mi, s, ms;
} fields_t;

static int fail(cli_time_t *out, const char *why) {
  out->error = why;
  return -1;
}

/* Reads 1 .. `max` decimal digits (exactly `max` when `exact`) at *p; advances *p. */
static bool digits(const char **p, int max, bool exact, int *out) {
  int v = 0, n = 0;
  for (; n < max && isdigit((unsigned char)(*p)[n]); n++) v = v * 10 + ((*p)[n] - '0');
  if (!n || (exact && n != max)) return false;
  *p += n;
  *out = v;
  return true;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian); no timegm, which is not POSIX. */
static int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Refuses what no calendar or clock shows; a second of 60 is a leap second. */
static int check(const fields_t *f, cli_time_t *out) {
  static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (f->mo < 1 || f->mo > 12) return fail(out, "no such month (01 to 12)");
  if (f->mo == 2 && f->d == 29 && !leap(f->y))
    return fail(out, "no February 29 in that year (not a leap year)");
  if (f->d < 1 || f->d > month_days[f->mo - 1] + (f->mo == 2))
    return fail(out, "no such day in that month");
  if (f->h > 23) return fail(out, "no such hour (00 to 23)");
  if (f->mi > 59) return fail(out, "no such minute (00 to 59)");
  if (f->s > 60) return fail(out, "no such second (00 to 60)");
  return 0;
}

/* Whether mktime's result shows the wall time asked for, in the DST state asked for. */
static bool shows(const struct tm *tm, const fields_t *f, int isdst) {
  return tm->tm_year == f->y - 1900 && tm->tm_mon == f->mo - 1 && tm->tm_mday == f->d &&
         tm->tm_hour == f->h && tm->tm_min == f->mi && (isdst < 0 || tm->tm_isdst == isdst);
}

/* The wall time `f` in the local zone. Asked as standard and as summer time besides mktime's
 * own guess (tm_isdst = -1), so that a time the clocks jump over (none shows it) and one they
 * show twice (both do, an hour apart) are known rather than left to what mktime makes of them. */
static int local_fields(const fields_t *f, cli_time_t *out) {
  if (check(f, out)) return -1;
  const int sec = f->s == 60 ? 59 : f->s;
  time_t t[3];
  bool ok[3];
  for (int i = 0; i < 3; i++) {
    struct tm tm = {.tm_year = f->y - 1900,
                    .tm_mon = f->mo - 1,
                    .tm_mday = f->d,
                    .tm_hour = f->h,
                    .tm_min = f->mi,
                    .tm_sec = sec,
                    .tm_isdst = i - 1};
    t[i] = mktime(&tm);
    ok[i] = shows(&tm, f, i - 1);
  }
  if (!ok[0] && !ok[1] && !ok[2])
    return fail(out, "no such local time here (the clocks jump over it)");
  const bool twice = ok[1] && ok[2] && t[1] != t[2];
  const time_t first = twice ? (t[1] < t[2] ? t[1] : t[2]) : ok[1] ? t[1] : ok[2] ? t[2] : t[0];
  out->kind = twice ? CLI_TIME_REPEATED : CLI_TIME_EXACT;
  out->ms = ((int64_t)first + (f->s == 60)) * 1000 + f->ms;
  return 0;
}

/* ".250" or ",250": milliseconds, further digits dropped. */
static bool fraction(const char **p, int *ms) {
  if (**p != '.' && **p != ',') return true;
  (*p)++;
  int scale = 100, n = 0;
  for (*ms = 0; isdigit((unsigned char)**p); (*p)++, n++, scale /= 10)
    if (scale) *ms += (**p - '0') * scale;
  return n > 0;
}

/* "HH:MM[:SS[.fff]]" into f's clock fields. */
static bool clock_fields(const char **p, bool iso, fields_t *f) {
  f->s = f->ms = 0;
  if (!digits(p, 2, iso, &f->h) || *(*p)++ != ':' || !digits(p, 2, true, &f->mi)) return false;
  if (**p != ':') return true;
  (*p)++;
  return digits(p, 2, true, &f->s) && fraction(p, &f->ms);
}

/* "Z", "+01:00", "+0100", "-05": minutes east of UTC. */
static int zone(const char **p, int *minutes, cli_time_t *out) {
  if (**p == 'Z' || **p == 'z') {
    (*p)++;
    *minutes = 0;
    return 0;
  }
  const int sign = **p == '-' ? -1 : 1;
  int oh, om = 0;
  (*p)++;
  if (!digits(p, 2, true, &oh)) return fail(out, SYNTAX);
  if (**p == ':') (*p)++;
  if (isdigit((unsigned char)**p) && !digits(p, 2, true, &om)) return fail(out, SYNTAX);
  if (oh > 23 || om > 59) return fail(out, "no such zone offset");
  *minutes = sign * (oh * 60 + om);
  return 0;
}

static int parse_iso(const char *p, cli_time_t *out) {
  fields_t f = {0};
  if (!digits(&p, 4, true, &f.y) || *p++ != '-' || !digits(&p, 2, true, &f.mo) || *p++ != '-' ||
      !digits(&p, 2, true, &f.d))
    return fail(out, SYNTAX);
  if (!*p) return local_fields(&f, out); /* a date alone: its local midnight */
  if (*p != 'T' && *p != 't' && *p != ' ') return fail(out, SYNTAX);
  p++;
  if (!clock_fields(&p, true, &f)) return fail(out, SYNTAX);
  if (!*p) return local_fields(&f, out);
  if (*p != 'Z' && *p != 'z' && *p != '+' && *p != '-') return fail(out, SYNTAX);
  int offset_min = 0;
  if (zone(&p, &offset_min, out)) return -1;
  if (*p) return fail(out, SYNTAX);
  if (check(&f, out)) return -1;
  const int64_t seconds = days_from_civil(f.y, f.mo, f.d) * 86400 + f.h * 3600 + f.mi * 60 + f.s -
                          (int64_t)offset_min * 60;
  out->ms = seconds * 1000 + f.ms;
  return 0;
}

/* "-1h30m", "+30s" after "now" (or alone): `now_ms` moved by that much. */
static int parse_relative(const char *p, int64_t now_ms, cli_time_t *out) {
  out->ms = now_ms;
  if (!*p) return 0;
  if (*p != '-' && *p != '+') return fail(out, SYNTAX);
  const int sign = *p++ == '-' ? -1 : 1;
  int64_t total = 0;
  do {
    int n;
    if (!digits(&p, 9, false, &n)) return fail(out, SYNTAX);
    const char *units = "smhd", *unit = *p ? strchr(units, *p) : NULL;
    if (!unit) return fail(out, "expected a unit after the number: s, m, h or d");
    static const int64_t unit_ms[] = {1000, 60000, 3600000, 86400000};
    total += n * unit_ms[unit - units];
    if (total > MAX_RELATIVE_MS) return fail(out, "too far from now");
    p++;
  } while (*p);
  out->ms = now_ms + sign * total;
  return 0;
}

/* "[today|yesterday] HH:MM[:SS]": that wall time on the day of now, or the day before. */
static int parse_day_clock(const char *p, int days_back, int64_t now_ms, cli_time_t *out) {
  fields_t f;
  if (!clock_fields(&p, false, &f) || *p) return fail(out, SYNTAX);
  const time_t now = (time_t)(now_ms / 1000);
  struct tm day;
  localtime_r(&now, &day);
  /* Noon of that day: a day back from any hour lands on the date, whatever DST did. */
  day.tm_mday -= days_back;
  day.tm_hour = 12;
  day.tm_min = day.tm_sec = 0;
  day.tm_isdst = -1;
  mktime(&day);
  f.y = day.tm_year + 1900;
  f.mo = day.tm_mon + 1;
  f.d = day.tm_mday;
  return local_fields(&f, out);
}

/* Epoch seconds or milliseconds, told apart by the digit count. */
static int parse_epoch(const char *text, cli_time_t *out) {
  const size_t n = strlen(text);
  if (n > 10 && n != 13)
    return fail(out, "an epoch number is seconds (up to 10 digits) or milliseconds (13 digits)");
  int64_t v = 0;
  for (const char *p = text; *p; p++) v = v * 10 + (*p - '0');
  out->kind = n == 13 ? CLI_TIME_MILLISECONDS : CLI_TIME_SECONDS;
  out->ms = n == 13 ? v : v * 1000;
  return 0;
}

static int parse(const char *text, int64_t now_ms, cli_time_t *out) {
  size_t n_digits = strspn(text, "0123456789");
  if (n_digits && !text[n_digits]) return parse_epoch(text, out);
  if (!strncasecmp(text, "now", 3)) return parse_relative(text + 3, now_ms, out);
  if (text[0] == '-' || text[0] == '+') return parse_relative(text, now_ms, out);
  if (!strncasecmp(text, "today ", 6)) return parse_day_clock(text + 6, 0, now_ms, out);
  if (!strncasecmp(text, "yesterday ", 10)) return parse_day_clock(text + 10, 1, now_ms, out);
  if (n_digits <= 2 && text[n_digits] == ':') return parse_day_clock(text, 0, now_ms, out);
  return parse_iso(text, out);
}

int cli_time_parse(const char *text, int64_t now_ms, cli_time_t *out) {
  *out = (cli_time_t){.kind = CLI_TIME_EXACT};
  if (!text || !*text) return fail(out, "empty");
  tzset();
  if (parse(text, now_ms, out)) return -1;
  if (out->ms <= 0) return fail(out, "not after the epoch (1970-01-01T00:00:00Z)");
  return 0;
}
