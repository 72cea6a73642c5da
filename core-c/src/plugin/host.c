/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host table handed to plugins: the core's services, by pointer, so plugins need not link us. */
#include <stdarg.h>
#include <string.h>

#include <valkka/registry.h>

#include "util/clock.h"
#include "base/error.h"
#include "base/log.h"

static void host_log(valkka_log_level_t level, const char *module, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_v(level, module, fmt, ap);
  va_end(ap);
}

static int host_error_set(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_vset(code, fmt, ap);
  va_end(ap);
  return code;
}

static const char *host_option_get(const valkka_option_t *options, size_t n, const char *key) {
  const char *value = NULL;
  for (size_t i = 0; options && key && i < n; i++)
    if (options[i].key && strcmp(options[i].key, key) == 0) value = options[i].value;
  return value;
}

static const valkka_host_t host_table = {
    .struct_size = sizeof(valkka_host_t),
    .abi_version = VALKKA_ABI_VERSION,
    .log = host_log,
    .error_set = host_error_set,
    .frame_reserve = valkka_frame_reserve,
    .frame_set_payload = valkka_frame_set_payload,
    .frame_set_picture = valkka_frame_set_picture,
    .clock_wall_ms = clock_wall_ms,
    .clock_mono_us = clock_mono_us,
    .option_get = host_option_get,
    .url_redact = valkka_url_redact,
    .codec_name = valkka_codec_name,
    .frame_set_audio = valkka_frame_set_audio,
};

const valkka_host_t *valkka_host(void) { return &host_table; }
