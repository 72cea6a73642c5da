/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* FFmpeg error codes turned into valkka codes with a detailed message. */
#ifndef VALKKA_MEDIA_ERROR_H
#define VALKKA_MEDIA_ERROR_H

#include <libavcodec/avcodec.h>
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

/** valkka_media_error_set with the text "`module`: `what`: <FFmpeg's text>". */
int valkka_media_error_in(const valkka_host_t *host, const char *module, int averr, int fallback,
                          const char *what);

/**
 * libavcodec's decoder for `id` in `*out` (0), or VALKKA_ECODEC recorded as "`module`: this
 * libavcodec has no <codec> decoder" (a build of FFmpeg without it).
 */
int valkka_media_find_decoder(const valkka_host_t *host, const char *module, enum AVCodecID id,
                              const AVCodec **out);

#endif
