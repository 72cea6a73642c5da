// Credentials never reach logs or status: the redaction helper on the forms URLs take.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "util/url_redact.h"
}

static std::string redact(const char *text, size_t size = 256) {
  char out[256];
  return valkka_url_redact(text, out, size);
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
  EXPECT_EQ(redact("rtsp://u:1234/5@cam/x: connect: refused"), "rtsp://***@cam/x: connect: refused");
  EXPECT_EQ(redact("rtsp://u:p@a/s#s@cam/x"), "rtsp://***@cam/x");
  // The price: a URL with an '@' in its path after a host:port or a password shows less.
  EXPECT_EQ(redact("rtsp://cam:554/live@main"), "rtsp://***@main");
  EXPECT_EQ(redact("rtsp://u:p@cam/live@main"), "rtsp://***@main");
}

TEST(LiveUrlRedact, AWholeUrlMayHoldSpaces) {
  char out[256];
  EXPECT_STREQ(valkka_url_redact_url("rtsp://viewer:my pass@cam/x", out, sizeof out),
               "rtsp://***@cam/x");
  EXPECT_STREQ(valkka_url_redact_url("rtsp://viewer:it's \"x\"@cam/x", out, sizeof out),
               "rtsp://***@cam/x");
  EXPECT_STREQ(valkka_url_redact_url("rtsp://cam/x y", out, sizeof out), "rtsp://cam/x y");
  EXPECT_STREQ(valkka_url_redact_url(nullptr, out, sizeof out), "");
}
