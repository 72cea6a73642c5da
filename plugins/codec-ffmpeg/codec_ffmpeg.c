/*
 * codec-ffmpeg: software decoding of H.264 and H.265 with libavcodec. Option "threads" (1).
 * The decoding itself (send/receive, drain, picture metadata) is media-common's media_decoder,
 * shared with codec-vaapi; this file chooses the software path and its threads.
 */
#include "media_decoder.h"
#include "media_options.h"

#define MODULE "codec-ffmpeg"

static void decoder_close(void *instance) { valkka_media_decoder_destroy(instance); }

static int decoder_open(const valkka_host_t *host, uint32_t codec, const valkka_option_t *options,
                        size_t n_options, void **instance) {
  int threads = 1;
  int err =
      valkka_media_option_int(host, MODULE, options, n_options, "threads", 1, 1, 64, &threads);
  valkka_media_decoder_t *d = NULL;
  if (err || (err = valkka_media_decoder_create(host, MODULE, codec, &d))) return err;
  d->ctx->thread_count = threads;
  if ((err = valkka_media_decoder_open(d))) {
    valkka_media_decoder_destroy(d);
    return err;
  }
  *instance = d;
  return 0;
}

static int decoder_send(void *instance, const valkka_frame_t *frame) {
  return valkka_media_decoder_send(instance, frame);
}

static int decoder_receive(void *instance, valkka_frame_t *frame) {
  return valkka_media_decoder_receive(instance, frame);
}

static int decoder_flush(void *instance) { return valkka_media_decoder_flush(instance); }

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
    .name = "codec-ffmpeg",
    .version = "1.0.0",
    .description = "software H.264/H.265 decoding with libavcodec",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
