/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>

#include <libavutil/error.h>

#include "media_error.h"

int valkka_media_error_code(int averr, int fallback) {
  switch (averr) {
    case AVERROR(ENOENT): return VALKKA_ENOENT;
    case AVERROR(EACCES):
    case AVERROR(EPERM):
    case AVERROR_HTTP_UNAUTHORIZED:
    case AVERROR_HTTP_FORBIDDEN: return VALKKA_EACCES;
    /* RTSP and HTTP servers answer a wrong path with 404. */
    case AVERROR_HTTP_NOT_FOUND: return VALKKA_ENOENT;
    case AVERROR(ENOMEM): return VALKKA_ENOMEM;
    case AVERROR(EAGAIN): return VALKKA_EAGAIN;
    case AVERROR(EINVAL): return VALKKA_EINVAL;
    case AVERROR(ETIMEDOUT): return VALKKA_ETIMEDOUT;
    case AVERROR(ECONNREFUSED):
    case AVERROR(ECONNRESET):
    case AVERROR(EHOSTUNREACH):
    case AVERROR(ENETUNREACH): return VALKKA_ECONN;
    case AVERROR(EIO): return VALKKA_EIO;
    case AVERROR_EOF: return VALKKA_EOS;
    case AVERROR_EXIT: return VALKKA_EINTR;
    case AVERROR_DECODER_NOT_FOUND:
    case AVERROR_ENCODER_NOT_FOUND:
    case AVERROR_BSF_NOT_FOUND: return VALKKA_ECODEC;
    case AVERROR_DEMUXER_NOT_FOUND:
    case AVERROR_STREAM_NOT_FOUND: return VALKKA_EFORMAT;
    default: return fallback;
  }
}

int valkka_media_error_set(const valkka_host_t *host, int averr, int fallback, const char *what) {
  char text[AV_ERROR_MAX_STRING_SIZE] = "";
  av_strerror(averr, text, sizeof text);
  return host->error_set(valkka_media_error_code(averr, fallback), "%s: %s", what, text);
}

int valkka_media_error_in(const valkka_host_t *host, const char *module, int averr, int fallback,
                          const char *what) {
  char text[96];
  snprintf(text, sizeof text, "%s: %s", module, what);
  return valkka_media_error_set(host, averr, fallback, text);
}

int valkka_media_find_decoder(const valkka_host_t *host, const char *module, enum AVCodecID id,
                              const AVCodec **out) {
  if (!(*out = avcodec_find_decoder(id)))
    return host->error_set(VALKKA_ECODEC, "%s: this libavcodec has no %s decoder", module,
                           avcodec_get_name(id));
  return 0;
}
