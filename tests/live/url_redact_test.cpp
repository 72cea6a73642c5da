/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Credentials never reach logs or status: valkka_url_redact on the forms URLs take.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include <valkka/log.h>

static std::string redact(const char *text, size_t size = 256) {
  char out[256];
  return valkka_url_redact(text, 0, out, size);
}

static char *redact_url(const char *url, char *out, size_t size) {
  return valkka_url_redact(url, VALKKA_URL_REDACT_WHOLE, out, size);
}

static void mask(char *url) {
  valkka_url_redact(url, VALKKA_URL_REDACT_KEEP_LENGTH, url, url ? strlen(url) + 1 : 0);
}

TEST(LiveUrlRedact, HidesUserAndPassword) {
  EXPECT_EQ(redact("rtsp://user:secret@127.0.0.1:554/x"), "rtsp://***@127.0.0.1:554/x");
  EXPECT_EQ(redact("rtsp://user@cam.local/stream1"), "rtsp://***@cam.local/stream1");
  EXPECT_EQ(redact("rtsps://u:p@[::1]:322/a?b=c"), "rtsps://***@[::1]:322/a?b=c");
  EXPECT_EQ(redact("rtsp://admin:p@ss@127.0.0.2/x"), "rtsp://***@127.0.0.2/x");
  EXPECT_EQ(redact("http://u:p@host"), "http://***@host");
}

TEST(LiveUrlRedact, LeavesUrlsWithoutCredentialsAlone) {
  EXPECT_EQ(redact("rtsp://127.0.0.1:554/x"), "rtsp://127.0.0.1:554/x");
  EXPECT_EQ(redact("rtsp://host/path@with-at"), "rtsp://host/path@with-at");
  EXPECT_EQ(redact("synthetic://3"), "synthetic://3");
  EXPECT_EQ(redact("/var/video/a@b.mp4"), "/var/video/a@b.mp4");
  EXPECT_EQ(redact(""), "");
  EXPECT_EQ(redact(nullptr), "");
}

TEST(LiveUrlRedact, HidesEveryUrlInsideAMessage) {
  EXPECT_EQ(redact("open 'rtsp://a:b@h/x' failed; fallback http://c:d@e:80/y refused"),
            "open 'rtsp://***@h/x' failed; fallback http://***@e:80/y refused");
}

TEST(LiveUrlRedact, TruncatesWithoutLeaking) {
  std::string cut = redact("rtsp://user:secret@host/x", 12);
  EXPECT_EQ(cut, "rtsp://***@");
  EXPECT_EQ(cut.find("secret"), std::string::npos);
  EXPECT_EQ(redact("rtsp://user:secret@host/x", 1), "");
}

// Passwords people type: '/', '?', '#' and spaces unescaped end the authority early for a URL
// parser, but the password still never shows.
TEST(LiveUrlRedact, HidesPasswordsHoldingReservedCharacters) {
  EXPECT_EQ(redact("rtsp://viewer:hun/ter2@127.0.0.1:554/cam1"), "rtsp://***@127.0.0.1:554/cam1");
  EXPECT_EQ(redact("rtsp://viewer:hun#ter2@127.0.0.1/cam1"), "rtsp://***@127.0.0.1/cam1");
  EXPECT_EQ(redact("rtsp://viewer:h?x@127.0.0.1/cam1"), "rtsp://***@127.0.0.1/cam1");
  EXPECT_EQ(redact("rtsp://u:1234/5@cam/x: connect: refused"),
            "rtsp://***@cam/x: connect: refused");
  EXPECT_EQ(redact("rtsp://u:p@a/s#s@cam/x"), "rtsp://***@cam/x");
  // The price: a URL with an '@' in its path after a host:port or a password shows less.
  EXPECT_EQ(redact("rtsp://cam:554/live@main"), "rtsp://***@main");
  EXPECT_EQ(redact("rtsp://u:p@cam/live@main"), "rtsp://***@main");
}

TEST(LiveUrlRedact, AWholeUrlMayHoldSpaces) {
  char out[256];
  EXPECT_STREQ(redact_url("rtsp://viewer:my pass@cam/x", out, sizeof out), "rtsp://***@cam/x");
  EXPECT_STREQ(redact_url("rtsp://viewer:it's \"x\"@cam/x", out, sizeof out), "rtsp://***@cam/x");
  EXPECT_STREQ(redact_url("rtsp://cam/x y", out, sizeof out), "rtsp://cam/x y");
  EXPECT_STREQ(redact_url(nullptr, out, sizeof out), "");
}

// Cameras that take their credentials in the query (user=...&password=...).
TEST(LiveUrlRedact, HidesSecretsInTheQuery) {
  EXPECT_EQ(redact("rtsp://cam/live?channel=1&user=admin&password=hunter2&subtype=0"),
            "rtsp://cam/live?channel=1&user=admin&password=***&subtype=0");
  EXPECT_EQ(redact("rtsp://cam/s?PWD=hunter2#x"), "rtsp://cam/s?PWD=***#x");
  EXPECT_EQ(redact("http://cam/a?token=abcdef;key=k1"), "http://cam/a?token=***");
  EXPECT_EQ(redact("rtsp://cam/s;passwd=12"), "rtsp://cam/s;passwd=**");
  EXPECT_EQ(redact("rtsp://cam/s?password="), "rtsp://cam/s?password=");
  // In a message the value ends with the URL; the userinfo goes too.
  EXPECT_EQ(redact("open 'rtsp://u:p@cam/x?pass=hunter2' failed: rtsp://c/y?auth=zz9 also"),
            "open 'rtsp://***@cam/x?pass=***' failed: rtsp://c/y?auth=*** also");
  // Keys that only contain a secret's name, or no value, are left alone.
  EXPECT_EQ(redact("rtsp://cam/s?passenger=3&keyframe=1&password"),
            "rtsp://cam/s?passenger=3&keyframe=1&password");
  char out[256];
  EXPECT_STREQ(redact_url("rtsp://cam/x?user=a&password=my secret pass", out, sizeof out),
               "rtsp://cam/x?user=a&password=***");
  // Cut inside the value: what is left of it is hidden.
  EXPECT_EQ(redact("rtsp://cam/x?password=hunter2", 26), "rtsp://cam/x?password=***");
  EXPECT_EQ(redact("rtsp://cam/x?password=hunter2", 25), "rtsp://cam/x?password=**");
}

// For argv: in place, same length, nothing of a secret left.
TEST(LiveUrlRedact, MasksInPlaceKeepingTheLength) {
  char url[] = "rtsp://viewer:pw@cam:554/live?user=viewer&password=hunter2&x=1";
  mask(url);
  EXPECT_STREQ(url, "rtsp://*********@cam:554/live?user=viewer&password=*******&x=1");
  char plain[] = "rtsp://cam/live@main?channel=1";
  mask(plain);
  EXPECT_STREQ(plain, "rtsp://cam/live@main?channel=1");  // an '@' in the path: no userinfo
  char file[] = "/srv/clips/password=x.mp4";
  mask(file);
  EXPECT_STREQ(file, "/srv/clips/password=x.mp4");
  mask(nullptr);
}
