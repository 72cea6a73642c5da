#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "media_url.h"

/*
 * Where the userinfo ends: the last '@' that follows a ':', so a password holding '@', or '/',
 * '?' or '#' unescaped (which end the authority early), is hidden whole; without a ':', the last
 * '@' of the authority ("user@host"). A URL with an '@' in its path after a host:port or a
 * password loses more than its userinfo; no password ever shows. The whole string is the URL,
 * spaces included. NULL: none.
 */
static const char *userinfo_end(const char *authority) {
  const char *at = NULL;
  bool colon = false;
  for (const char *p = authority; *p; p++) {
    if (*p == ':') colon = true;
    if (*p == '@' && colon) at = p;
  }
  if (at) return at;
  size_t host_len = strcspn(authority, "/?#");
  for (size_t i = 0; i < host_len; i++)
    if (authority[i] == '@') at = authority + i;
  return at;
}

void valkka_media_url_redact(const char *url, char *out, size_t out_size) {
  if (!out_size) return;
  const char *scheme_end = url ? strstr(url, "://") : NULL;
  const char *at = scheme_end ? userinfo_end(scheme_end + 3) : NULL;
  if (!at) {
    snprintf(out, out_size, "%s", url ? url : "");
    return;
  }
  snprintf(out, out_size, "%.*s***%s", (int)(scheme_end + 3 - url), url, at);
}
