#include "media_url.h"

#include "util/url_redact.h"

/* The core's redaction, compiled into the plugin (hidden there): one rule for every message. */
void valkka_media_url_redact(const char *url, char *out, size_t out_size) {
  valkka_url_redact_url(url, out, out_size);
}
