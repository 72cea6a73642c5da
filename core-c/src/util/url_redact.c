#include <string.h>

#include "util/url_redact.h"

/* Characters that end an authority inside a URL or around one quoted in a message. */
#define AUTHORITY_END "/?#\"'<> \t\r\n"

/* Appends `n` bytes to out, keeping room for the terminator; returns the new length. */
static size_t append(char *out, size_t len, size_t out_size, const char *src, size_t n) {
  size_t room = out_size - 1 - len;
  if (n > room) n = room;
  memcpy(out + len, src, n);
  return len + n;
}

char *valkka_url_redact(const char *text, char *out, size_t out_size) {
  if (!out || !out_size) return out;
  size_t len = 0;
  const char *p = text ? text : "";
  for (;;) {
    const char *sep = strstr(p, "://");
    if (!sep) break;
    const char *authority = sep + 3;
    size_t authority_len = strcspn(authority, AUTHORITY_END);
    const char *at = NULL;
    for (size_t i = 0; i < authority_len; i++)
      if (authority[i] == '@') at = authority + i;
    len = append(out, len, out_size, p, (size_t)(authority - p));
    if (at) {
      len = append(out, len, out_size, "***", 3);
      p = at;
    } else {
      p = authority;
    }
  }
  len = append(out, len, out_size, p, strlen(p));
  out[len] = '\0';
  return out;
}
