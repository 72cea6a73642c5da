/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <libavutil/hwcontext.h>
#include <libavutil/pixdesc.h>

#include "vaapi_device.h"

/* What libavutil tries when no device is named (libavutil/hwcontext_vaapi.c). */
#define DEFAULT_DEVICES "the default: $DISPLAY, then /dev/dri/renderD128 and up"

static enum AVPixelFormat surface_format_of(const AVCodec *codec) {
  for (int i = 0;; i++) {
    const AVCodecHWConfig *config = avcodec_get_hw_config(codec, i);
    if (!config) return AV_PIX_FMT_NONE;
    if ((config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX) &&
        config->device_type == AV_HWDEVICE_TYPE_VAAPI)
      return config->pix_fmt;
  }
}

int vaapi_device_open(vaapi_device_t *dev, const valkka_host_t *host, const AVCodecContext *ctx,
                      const char *path) {
  *dev = (vaapi_device_t){.surface_format = AV_PIX_FMT_NONE, .host = host};
  const char *tried = path ? path : DEFAULT_DEVICES;
  if (av_hwdevice_find_type_by_name("vaapi") != AV_HWDEVICE_TYPE_VAAPI)
    return host->error_set(VALKKA_ENODEV, MODULE ": this libavutil was built without VA-API");
  dev->surface_format = surface_format_of(ctx->codec);
  if (dev->surface_format == AV_PIX_FMT_NONE)
    return host->error_set(VALKKA_ENODEV, MODULE ": libavcodec's %s decoder cannot use VA-API",
                           ctx->codec->name);
  int err = av_hwdevice_ctx_create(&dev->device, AV_HWDEVICE_TYPE_VAAPI, path, NULL, 0);
  if (err < 0) {
    char text[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(err, text, sizeof text);
    return host->error_set(VALKKA_ENODEV, MODULE ": no VA-API device (tried %s): %s", tried, text);
  }
  return 0;
}

/* libavcodec offers the formats it can decode into; VA-API surfaces or nothing (hw_decode.c). */
static enum AVPixelFormat pick_surface(AVCodecContext *ctx, const enum AVPixelFormat *offered) {
  const vaapi_device_t *dev = ctx->opaque;
  for (const enum AVPixelFormat *p = offered; *p != AV_PIX_FMT_NONE; p++)
    if (*p == dev->surface_format) return *p;
  dev->host->log(VALKKA_LOG_WARN, MODULE, "the decoder offers no %s surface for this stream",
                 av_get_pix_fmt_name(dev->surface_format));
  return AV_PIX_FMT_NONE;
}

int vaapi_device_attach(vaapi_device_t *dev, AVCodecContext *ctx) {
  if (!(ctx->hw_device_ctx = av_buffer_ref(dev->device)))
    return dev->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  ctx->opaque = dev;
  ctx->get_format = pick_surface;
  return 0;
}

void vaapi_device_close(vaapi_device_t *dev) { av_buffer_unref(&dev->device); }
