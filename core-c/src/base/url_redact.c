/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valkka_url_redact (abi/valkka/log.h): credentials out of URLs and messages before they are shown. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <valkka/log.h>

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

/* Query parameters whose values are secrets, as cameras take them ("...?user=admin&password=x"). */
static const char *const SECRET_KEYS[] = {"password", "passwd",       "pass", "pwd", "secret",
                                          "token",    "access_token", "auth", "key", "apikey"};

static bool secret_key(const char *key, size_t n) {
  for (size_t i = 0; i < sizeof SECRET_KEYS / sizeof SECRET_KEYS[0]; i++)
    if (strlen(SECRET_KEYS[i]) == n && strncasecmp(key, SECRET_KEYS[i], n) == 0) return true;
  return false;
}

/*
 * In place: the value of every "?KEY=", "&KEY=" or ";KEY=" whose KEY is a secret becomes "***"
 * (a value of under three characters becomes as many asterisks, so the text never grows), or
 * with `keep_length` as many asterisks as it had characters. The value runs to '&' or '#', and
 * in a message also to whatever ends a quoted URL.
 */
static void hide_secret_params(char *text, bool whole, bool keep_length) {
  const char *ends = whole ? "&#" : "&#" URL_END;
  for (char *p = text; (p = strpbrk(p, "?&;")) != NULL;) {
    char *key = p + 1;
    size_t key_len = strcspn(key, "=&#;?" URL_END);
    p = key;
    if (key[key_len] != '=' || !secret_key(key, key_len)) continue;
    char *value = key + key_len + 1;
    size_t value_len = strcspn(value, ends);
    size_t stars = value_len < 3 || keep_length ? value_len : 3;
    memset(value, '*', stars);
    memmove(value + stars, value + value_len, strlen(value + value_len) + 1);
    p = value + stars;
  }
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
  hide_secret_params(out, whole, false);
  return out;
}

/* In place, keeping the length (VALKKA_URL_REDACT_KEEP_LENGTH). */
static void url_mask(char *url) {
  char *sep = url ? strstr(url, "://") : NULL;
  if (!sep) return;
  char *authority = sep + 3;
  long at = userinfo_at(authority, strlen(authority));
  if (at > 0) memset(authority, '*', (size_t)at);
  hide_secret_params(authority, true, true);
}

char *valkka_url_redact(const char *text, uint32_t flags, char *out, size_t out_size) {
  if (!(flags & VALKKA_URL_REDACT_KEEP_LENGTH))
    return redact(text, out, out_size, flags & VALKKA_URL_REDACT_WHOLE);
  if (!out || !out_size) return out;
  if (out != text) {
    size_t n = text ? strnlen(text, out_size - 1) : 0;
    memmove(out, text ? text : "", n);
    out[n] = '\0';
  }
  url_mask(out);
  return out;
}
