/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The TIME parser of `valkka play` and `export` (core-c/cli/cli_time.h), called directly with a
// now of the test's choosing and TZ set to Europe/Helsinki (EET, EEST from the last Sunday of
// March to the last of October) or UTC: every form, the spring-forward gap, the autumn hour the
// clocks show twice, leap years, and every refusal. The expected instants come from timegm, not
// from the parser.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <time.h>

#include <cstdint>
#include <string>

extern "C" {
#include "cli_time.h"
}

namespace {

// Sets TZ for one test and puts the old value back.
class Zone {
 public:
  explicit Zone(const char *tz) {
    const char *old = getenv("TZ");
    had_ = old != nullptr;
    if (had_) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~Zone() {
    if (had_)
      setenv("TZ", old_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

 private:
  bool had_ = false;
  std::string old_;
};

// Epoch milliseconds of a UTC wall time.
int64_t utc(int y, int mo, int d, int h, int mi, int s, int ms = 0) {
  struct tm tm {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return int64_t(timegm(&tm)) * 1000 + ms;
}

// Friday 2026-12-04, 14:05:03.000 in Helsinki (EET, UTC+2).
const int64_t kNow = utc(2026, 12, 4, 12, 5, 3);

// The instant `text` names at `now`; fails the test when it is refused or not EXACT.
int64_t at(const char *text, int64_t now = kNow) {
  cli_time_t t;
  EXPECT_EQ(cli_time_parse(text, now, &t), 0) << text << ": " << (t.error ? t.error : "");
  EXPECT_EQ(t.kind, CLI_TIME_EXACT) << text;
  return t.ms;
}

// The reason `text` is refused; "" when it is not.
std::string refused(const char *text, int64_t now = kNow) {
  cli_time_t t;
  if (cli_time_parse(text, now, &t) == 0) return "";
  EXPECT_NE(t.error, nullptr) << text;
  return t.error ? t.error : "?";
}

bool says(const std::string &reason, const char *word) {
  return reason.find(word) != std::string::npos;
}

}  // namespace

TEST(CliTime, Iso8601WithAZoneIsThatInstantInAnyLocalZone) {
  for (const char *tz : {"Europe/Helsinki", "UTC"}) {
    Zone zone(tz);
    SCOPED_TRACE(tz);
    EXPECT_EQ(at("2026-12-04T14:05:03Z"), utc(2026, 12, 4, 14, 5, 3));
    EXPECT_EQ(at("2026-12-04t14:05:03z"), utc(2026, 12, 4, 14, 5, 3));
    EXPECT_EQ(at("2026-12-04T14:05:03+01:00"), utc(2026, 12, 4, 13, 5, 3));
    EXPECT_EQ(at("2026-12-04T14:05:03-0530"), utc(2026, 12, 4, 19, 35, 3));
    EXPECT_EQ(at("2026-12-04T14:05:03.25Z"), utc(2026, 12, 4, 14, 5, 3, 250));
    EXPECT_EQ(at("2026-12-04T14:05:03,123456+02"), utc(2026, 12, 4, 12, 5, 3, 123));
    EXPECT_EQ(at("2026-12-04 14:05Z"), utc(2026, 12, 4, 14, 5, 0));
  }
}

TEST(CliTime, WithoutAZoneTheTimeIsLocal) {
  {
    Zone zone("Europe/Helsinki");
    EXPECT_EQ(at("2026-12-04T14:05:03"), utc(2026, 12, 4, 12, 5, 3));  // EET
    EXPECT_EQ(at("2026-12-04 14:05:03.500"), utc(2026, 12, 4, 12, 5, 3, 500));
    EXPECT_EQ(at("2026-07-01T12:00"), utc(2026, 7, 1, 9, 0, 0));  // EEST
    EXPECT_EQ(at("2026-12-04"), utc(2026, 12, 3, 22, 0, 0));      // its midnight
  }
  Zone zone("UTC");
  EXPECT_EQ(at("2026-12-04T14:05:03"), utc(2026, 12, 4, 14, 5, 3));
  EXPECT_EQ(at("2026-07-01T12:00"), utc(2026, 7, 1, 12, 0, 0));
}

// 2026-03-29 03:00 EET the clocks go to 04:00 EEST: 03:30 is not a time there; in UTC it is.
TEST(CliTime, ALocalTimeTheClocksJumpOverIsRefused) {
  {
    Zone zone("Europe/Helsinki");
    EXPECT_TRUE(says(refused("2026-03-29T03:30:00"), "jump over"));
    EXPECT_TRUE(says(refused("today 03:00", utc(2026, 3, 29, 10, 0, 0)), "jump over"));
    EXPECT_EQ(at("2026-03-29T02:59:59"), utc(2026, 3, 29, 0, 59, 59));
    EXPECT_EQ(at("2026-03-29T04:00:00"), utc(2026, 3, 29, 1, 0, 0));
  }
  Zone zone("UTC");
  EXPECT_EQ(at("2026-03-29T03:30:00"), utc(2026, 3, 29, 3, 30, 0));
}

// 2026-10-25 04:00 EEST the clocks go back to 03:00 EET: 03:30 comes twice; the first is taken.
TEST(CliTime, ALocalTimeTheClocksShowTwiceIsTheFirst) {
  Zone zone("Europe/Helsinki");
  cli_time_t t;
  ASSERT_EQ(cli_time_parse("2026-10-25T03:30:00", kNow, &t), 0) << t.error;
  EXPECT_EQ(t.kind, CLI_TIME_REPEATED);
  EXPECT_EQ(t.ms, utc(2026, 10, 25, 0, 30, 0)) << "03:30 EEST, not 03:30 EET an hour later";
  EXPECT_EQ(at("2026-10-25T04:30:00"), utc(2026, 10, 25, 2, 30, 0));
}

TEST(CliTime, NowAndTimesRelativeToIt) {
  Zone zone("Europe/Helsinki");
  EXPECT_EQ(at("now"), kNow);
  EXPECT_EQ(at("NOW"), kNow);
  EXPECT_EQ(at("now-10m"), kNow - 600000);
  EXPECT_EQ(at("now+30s"), kNow + 30000);
  EXPECT_EQ(at("-1h"), kNow - 3600000);
  EXPECT_EQ(at("+2d"), kNow + 2 * 86400000);
  EXPECT_EQ(at("now-1h30m"), kNow - 5400000);
  EXPECT_EQ(at("now-1d2h3m4s"), kNow - (86400000 + 2 * 3600000 + 3 * 60000 + 4000));
}

TEST(CliTime, TodayYesterdayAndAClockAloneAreLocalWallTimes) {
  {
    Zone zone("Europe/Helsinki");
    EXPECT_EQ(at("today 14:00"), utc(2026, 12, 4, 12, 0, 0));
    EXPECT_EQ(at("14:00"), utc(2026, 12, 4, 12, 0, 0));
    EXPECT_EQ(at("9:30:15"), utc(2026, 12, 4, 7, 30, 15));
    EXPECT_EQ(at("yesterday 14:00"), utc(2026, 12, 3, 12, 0, 0));
    EXPECT_EQ(at("Yesterday 23:59:59"), utc(2026, 12, 3, 21, 59, 59));
    // 00:30 of the 4th in Helsinki is still the 3rd in UTC: "today" is the local day.
    EXPECT_EQ(at("today 14:00", utc(2026, 12, 3, 22, 30, 0)), utc(2026, 12, 4, 12, 0, 0));
    // The day before a DST change: yesterday 12:00 was EET, now is EEST.
    EXPECT_EQ(at("yesterday 12:00", utc(2026, 3, 29, 10, 0, 0)), utc(2026, 3, 28, 10, 0, 0));
    // The first of the month: yesterday is the last of the one before.
    EXPECT_EQ(at("yesterday 12:00", utc(2026, 3, 1, 10, 0, 0)), utc(2026, 2, 28, 10, 0, 0));
  }
  Zone zone("UTC");
  EXPECT_EQ(at("today 14:00", utc(2026, 12, 3, 22, 30, 0)), utc(2026, 12, 3, 14, 0, 0));
  EXPECT_EQ(at("yesterday 14:00"), utc(2026, 12, 3, 14, 0, 0));
}

// Up to 10 digits are seconds, 13 milliseconds, and the caller is told which.
TEST(CliTime, EpochNumbersAreSecondsOrMillisecondsByTheirDigits) {
  Zone zone("Europe/Helsinki");
  cli_time_t t;
  ASSERT_EQ(cli_time_parse("1764857103", kNow, &t), 0);
  EXPECT_EQ(t.kind, CLI_TIME_SECONDS);
  EXPECT_EQ(t.ms, 1764857103000);
  ASSERT_EQ(cli_time_parse("1764857103250", kNow, &t), 0);
  EXPECT_EQ(t.kind, CLI_TIME_MILLISECONDS);
  EXPECT_EQ(t.ms, 1764857103250);
  ASSERT_EQ(cli_time_parse("86400", kNow, &t), 0);
  EXPECT_EQ(t.ms, 86400000);
  for (const char *n : {"17648571032", "176485710325", "17648571032500", "0", "0000000000"})
    EXPECT_NE(refused(n), "") << n;
  EXPECT_TRUE(says(refused("176485710325"), "13 digits"));
}

TEST(CliTime, LeapYears) {
  Zone zone("UTC");
  EXPECT_EQ(at("2024-02-29T00:00:00Z"), utc(2024, 2, 29, 0, 0, 0));
  EXPECT_EQ(at("2000-02-29T12:00:00"), utc(2000, 2, 29, 12, 0, 0));  // every 400 years
  EXPECT_TRUE(says(refused("2026-02-29T00:00:00Z"), "leap year"));
  EXPECT_TRUE(says(refused("2100-02-29T00:00:00Z"), "leap year"));  // not every 100
  EXPECT_TRUE(says(refused("2026-02-29"), "leap year"));
  EXPECT_NE(refused("2024-02-30T00:00:00Z"), "");
}

// Each refusal names what is wrong; the CLI puts the text itself before it.
TEST(CliTime, InvalidDatesTimesAndFormsAreRefused) {
  Zone zone("Europe/Helsinki");
  EXPECT_TRUE(says(refused("2026-13-01T00:00:00Z"), "month"));
  EXPECT_TRUE(says(refused("2026-00-01T00:00:00Z"), "month"));
  EXPECT_TRUE(says(refused("2026-04-31T00:00:00"), "day"));
  EXPECT_TRUE(says(refused("2026-12-00T00:00:00"), "day"));
  EXPECT_TRUE(says(refused("2026-12-04T24:00:00Z"), "hour"));
  EXPECT_TRUE(says(refused("24:00"), "hour"));
  EXPECT_TRUE(says(refused("2026-12-04T14:60:00Z"), "minute"));
  EXPECT_TRUE(says(refused("2026-12-04T14:05:61Z"), "second"));
  EXPECT_TRUE(says(refused("2026-12-04T14:05:03+24:00"), "offset"));
  EXPECT_TRUE(says(refused("1969-12-31T23:59:59Z"), "epoch"));
  EXPECT_TRUE(says(refused("now-100000d"), "too far"));
  EXPECT_TRUE(says(refused("now-10"), "unit"));
  EXPECT_TRUE(says(refused("now-10x"), "unit"));
  EXPECT_TRUE(says(refused(""), "empty"));
  for (const char *bad :
       {"yesterday", "today", "tomorrow 14:00", "now10m", "now-", "-h", "2026-12-04T14",
        "2026-12-4T14:05:03Z", "2026-12-04T14:05:03Zjunk", "2026-12-04T14:05:03.Z",
        "2026-12-04X14:05", "14:5", "today 14", "12/04/2026", "-1764857103"})
    EXPECT_TRUE(says(refused(bad), "expected")) << bad;
}

// A leap second is the next minute's first: POSIX time has none.
TEST(CliTime, ALeapSecondIsTheNextMinutesFirst) {
  Zone zone("UTC");
  EXPECT_EQ(at("2016-12-31T23:59:60Z"), utc(2017, 1, 1, 0, 0, 0));
  EXPECT_EQ(at("2016-12-31T23:59:60"), utc(2017, 1, 1, 0, 0, 0));
}

TEST(CliTime, TimesAreShownBackLocalWithTheZonesAbbreviation) {
  char text[64];
  {
    Zone zone("Europe/Helsinki");
    cli_local_time(1764857103000, text, sizeof text);
    EXPECT_STREQ(text, "2025-12-04 16:05:03 EET");
    cli_local_time(utc(2026, 7, 1, 9, 0, 0, 250), text, sizeof text);
    EXPECT_STREQ(text, "2026-07-01 12:00:00.250 EEST");
  }
  Zone zone("UTC");
  cli_local_time(1764857103000, text, sizeof text);
  EXPECT_STREQ(text, "2025-12-04 14:05:03 UTC");
}
