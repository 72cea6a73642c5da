/* Removes credentials from URLs, and from texts that quote them, before they are logged or shown. */
#ifndef VALKKA_UTIL_URL_REDACT_H
#define VALKKA_UTIL_URL_REDACT_H

#include <stddef.h>

/**
 * Copies `text` into `out` (always terminated, cut at `out_size`), replacing the userinfo of every
 * "scheme://user:password@host" in it with three asterisks, so "rtsp://u:p@h:554/x" shows as
 * rtsp, colon, two slashes, "***@h:554/x".
 * The userinfo runs to the last '@' after a ':' (to the last '@' of the authority without one),
 * so a password holding '@', or '/', '?' or '#' unescaped, is hidden whole; a URL in a message
 * ends at whitespace or a quote. The price: a URL with an '@' in its path after a host:port or a
 * password shows as its scheme, "***@" and what follows that '@'. Credentials passed as query
 * parameters are hidden too: the value of password, passwd, pass, pwd, secret, token,
 * access_token, auth, key and apikey (any case) after '?', '&' or ';' shows as "***", up to the
 * next '&' or '#'. NULL text gives "". Pure and reentrant (any thread). Returns `out`.
 */
char *valkka_url_redact(const char *text, char *out, size_t out_size);

/**
 * The same for one URL on its own (a camera's URL as configured): the whole text is the URL, so
 * a password holding spaces or quotes unescaped is hidden too. Returns `out`.
 */
char *valkka_url_redact_url(const char *url, char *out, size_t out_size);

/**
 * In place, keeping the length: every character of `url`'s userinfo, and of the values of the
 * password-like query parameters above, becomes '*'. For texts that cannot be moved, such as a
 * program's argv (which `ps` and /proc/PID/cmdline show to others). NULL or a text without
 * "://" is left alone.
 */
void valkka_url_mask(char *url);

#endif
