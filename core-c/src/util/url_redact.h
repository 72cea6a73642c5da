/* Removes credentials from URLs, and from texts that quote them, before they are logged or shown. */
#ifndef VALKKA_UTIL_URL_REDACT_H
#define VALKKA_UTIL_URL_REDACT_H

#include <stddef.h>

/**
 * Copies `text` into `out` (always terminated, cut at `out_size`), replacing the userinfo of every
 * "scheme://user:password@host" in it with three asterisks, so "rtsp://u:p@h:554/x" shows as
 * rtsp, colon, two slashes, "***@h:554/x".
 * The userinfo runs to the last '@' before the authority ends ('/', '?', '#', whitespace, a
 * quote), so a password holding '@' is hidden whole. NULL text gives "". Returns `out`.
 */
char *valkka_url_redact(const char *text, char *out, size_t out_size);

#endif
