/* FFmpeg error codes turned into valkka codes with a detailed message. */
#ifndef VALKKA_MEDIA_ERROR_H
#define VALKKA_MEDIA_ERROR_H

#include <valkka/plugin.h>

/**
 * The valkka code closest to the AVERROR `averr`; `fallback` for errors with no closer match
 * (callers know whether "invalid data" means a bad file or a bad frame).
 */
int valkka_media_error_code(int averr, int fallback);

/**
 * Maps `averr` as above, records "`what`: <FFmpeg's text>" through host->error_set, and returns
 * the code.
 */
int valkka_media_error_set(const valkka_host_t *host, int averr, int fallback, const char *what);

#endif
