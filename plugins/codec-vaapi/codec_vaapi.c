/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * codec-vaapi: H.264 and H.265 decoding on a VA-API device through libavcodec's hwaccel; pictures
 * come out as NV12 in system memory. Option "device": a DRM render node (/dev/dri/renderD128);
 * without it libavutil searches. Where no device opens, open() fails with VALKKA_ENODEV and the
 * reason, and the core falls back to software decoding (codec-ffmpeg).
 * The decoding loop is media-common's media_decoder, shared with codec-ffmpeg.
 */
#include <stdlib.h>

#include "media_decoder.h"
#include "vaapi_device.h"

typedef struct vaapi_decoder {
  valkka_media_decoder_t *dec;
  vaapi_device_t device; /* the codec context's opaque points here */
} vaapi_decoder_t;

static void decoder_close(void *instance) {
  vaapi_decoder_t *v = instance;
  /* The context holds its own reference to the device: it goes first. */
  valkka_media_decoder_destroy(v->dec);
  vaapi_device_close(&v->device);
  free(v);
}

static int decoder_open(const valkka_host_t *host, uint32_t codec, const valkka_option_t *options,
                        size_t n_options, void **instance) {
  vaapi_decoder_t *v = calloc(1, sizeof *v);
  if (!v) return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  const char *path = host->option_get(options, n_options, "device");
  int err = valkka_media_decoder_create(host, MODULE, codec, &v->dec);
  if (!err) err = vaapi_device_open(&v->device, host, v->dec->ctx, path && *path ? path : NULL);
  if (!err) err = vaapi_device_attach(&v->device, v->dec->ctx);
  if (!err) err = valkka_media_decoder_open(v->dec);
  if (err) {
    decoder_close(v);
    return err;
  }
  *instance = v;
  return 0;
}

static int decoder_send(void *instance, const valkka_frame_t *frame) {
  return valkka_media_decoder_send(((vaapi_decoder_t *)instance)->dec, frame);
}

static int decoder_receive(void *instance, valkka_frame_t *frame) {
  return valkka_media_decoder_receive(((vaapi_decoder_t *)instance)->dec, frame);
}

static int decoder_flush(void *instance) {
  return valkka_media_decoder_flush(((vaapi_decoder_t *)instance)->dec);
}

static const valkka_decoder_vtable_t vtable = {
    .struct_size = sizeof(valkka_decoder_vtable_t),
    .open = decoder_open,
    .send = decoder_send,
    .receive = decoder_receive,
    .flush = decoder_flush,
    .close = decoder_close,
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_DECODER,
    .name = "codec-vaapi",
    .version = "1.0.0",
    .description = "H.264/H.265 decoding on a VA-API device (libavcodec hwaccel), NV12 out",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
