/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed reading of plugin options, with the error message a user can act on. */
#ifndef VALKKA_MEDIA_OPTIONS_H
#define VALKKA_MEDIA_OPTIONS_H

#include <valkka/plugin.h>

/**
 * Reads option `key` as a decimal integer in [min, max] into `*out`, or `fallback` when absent.
 * Errors: VALKKA_EINVAL (not a number, out of range) with the key and value in the message.
 */
int valkka_media_option_int(const valkka_host_t *host, const char *module,
                            const valkka_option_t *options, size_t n_options, const char *key,
                            int fallback, int min, int max, int *out);

#endif
