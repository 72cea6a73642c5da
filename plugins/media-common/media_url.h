/* URLs as plugins may show them: without the user:password part. */
#ifndef VALKKA_MEDIA_URL_H
#define VALKKA_MEDIA_URL_H

#include <stddef.h>

/**
 * Copies `url` into `out` (always terminated, truncated to `out_size`) with the userinfo of
 * "scheme://user:password@host" replaced by "***", a password holding '@', '/', '?', '#' or
 * spaces unescaped included, and the values of password-like query parameters ("?password=x")
 * replaced by "***". The core's valkka_url_redact_url (core-c/src/util/url_redact.h), compiled
 * into each media plugin, since a plugin may not call into the core's internals; a URL handed to
 * libavformat may be http:// or rtsp:// with credentials.
 */
void valkka_media_url_redact(const char *url, char *out, size_t out_size);

#endif
