/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "media_options.h"

int valkka_media_option_int(const valkka_host_t *host, const char *module,
                            const valkka_option_t *options, size_t n_options, const char *key,
                            int fallback, int min, int max, int *out) {
  const char *text = host->option_get(options, n_options, key);
  if (!text) {
    *out = fallback;
    return 0;
  }
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno || end == text || *end || value < min || value > max)
    return host->error_set(VALKKA_EINVAL, "%s: option %s='%s': expected an integer in %d..%d",
                           module, key, text, min, max);
  *out = (int)value;
  return 0;
}
