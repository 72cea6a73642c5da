#include <stdio.h>
#include <string.h>

#include "media_url.h"

void valkka_media_url_redact(const char *url, char *out, size_t out_size) {
  if (!out_size) return;
  const char *scheme_end = url ? strstr(url, "://") : NULL;
  if (!scheme_end) {
    snprintf(out, out_size, "%s", url ? url : "");
    return;
  }
  const char *authority = scheme_end + 3;
  size_t authority_len = strcspn(authority, "/?# \t\r\n");
  const char *at = NULL;
  for (size_t i = 0; i < authority_len; i++)
    if (authority[i] == '@') at = authority + i; /* the last '@': passwords may hold one */
  if (!at) {
    snprintf(out, out_size, "%s", url);
    return;
  }
  snprintf(out, out_size, "%.*s***%s", (int)(authority - url), url, at);
}
