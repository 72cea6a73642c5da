#include <stdbool.h>
#include <string.h>

#include "util/url_redact.h"

/* Characters that end a URL quoted in a message. */
#define URL_END " \t\r\n\"'<>"

/* Appends `n` bytes to out, keeping room for the terminator; returns the new length. */
static size_t append(char *out, size_t len, size_t out_size, const char *src, size_t n) {
  size_t room = out_size - 1 - len;
  if (n > room) n = room;
  memcpy(out + len, src, n);
  return len + n;
}

/*
 * The offset of the '@' that ends the userinfo of a URL whose authority starts at `a` and which
 * runs for at most `len` bytes, or -1 when it has none: the last '@' that follows a ':', so a
 * password holding '@', or '/', '?' or '#' unescaped (which end the authority early), is hidden
 * whole; without a ':', the last '@' of the authority ("user@host"). A URL with an '@' in its
 * path after a host:port or a password loses more than its userinfo; no password ever shows.
 */
static long userinfo_at(const char *a, size_t len) {
  long at = -1;
  bool colon = false;
  for (size_t i = 0; i < len; i++) {
    if (a[i] == ':') colon = true;
    if (a[i] == '@' && colon) at = (long)i;
  }
  if (at >= 0) return at;
  size_t host_len = strcspn(a, "/?#");
  for (size_t i = 0; i < host_len && i < len; i++)
    if (a[i] == '@') at = (long)i;
  return at;
}

static char *redact(const char *text, char *out, size_t out_size, bool whole) {
  if (!out || !out_size) return out;
  size_t len = 0;
  const char *p = text ? text : "";
  for (;;) {
    const char *sep = strstr(p, "://");
    if (!sep) break;
    const char *authority = sep + 3;
    long at = userinfo_at(authority, whole ? strlen(authority) : strcspn(authority, URL_END));
    len = append(out, len, out_size, p, (size_t)(authority - p));
    if (at >= 0) {
      len = append(out, len, out_size, "***", 3);
      p = authority + at;
    } else {
      p = authority;
    }
    if (whole) break;
  }
  len = append(out, len, out_size, p, strlen(p));
  out[len] = '\0';
  return out;
}

char *valkka_url_redact(const char *text, char *out, size_t out_size) {
  return redact(text, out, out_size, false);
}

char *valkka_url_redact_url(const char *url, char *out, size_t out_size) {
  return redact(url, out, out_size, true);
}
