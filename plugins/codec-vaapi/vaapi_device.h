/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VA-API half of codec-vaapi, after FFmpeg's doc/examples/hw_decode.c: the device, the
 * decoder's hardware configuration for it, and the get_format callback that picks its surfaces.
 * All state lives in the instance (the codec context's opaque), none in globals.
 */
#ifndef VALKKA_VAAPI_DEVICE_H
#define VALKKA_VAAPI_DEVICE_H

#include <libavcodec/avcodec.h>
#include <libavutil/buffer.h>

#include <valkka/plugin.h>

#define MODULE "codec-vaapi"

typedef struct vaapi_device {
  AVBufferRef *device;               /* AVHWDeviceContext of type VAAPI */
  enum AVPixelFormat surface_format; /* the decoder's pixel format for VA-API surfaces */
  const valkka_host_t *host;
} vaapi_device_t;

/**
 * Opens the VA-API device at `path` (a DRM render node such as /dev/dri/renderD128; NULL lets
 * libavutil search: the X11 display, then the render nodes) and checks that `ctx`'s decoder can
 * use it. Errors: VALKKA_ENODEV, with the device tried and FFmpeg's reason, when either fails.
 */
int vaapi_device_open(vaapi_device_t *dev, const valkka_host_t *host, const AVCodecContext *ctx,
                      const char *path);

/** Makes `ctx` decode on the device (hw_device_ctx, get_format); `dev` must outlive `ctx`. */
int vaapi_device_attach(vaapi_device_t *dev, AVCodecContext *ctx);

/** Releases the device reference; fine on a device that never opened. */
void vaapi_device_close(vaapi_device_t *dev);

#endif
