/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * codec-ffmpeg: software decoding with libavcodec: H.264 and H.265 pictures (option "threads",
 * default 1) and a camera's sound (AAC, G.711, Opus; since ABI 1.1). The decoding itself is
 * media-common's (media_decoder for pictures, shared with codec-vaapi; audio_decoder for sound);
 * this file chooses between them and sets the software path's threads.
 */
#include <stdlib.h>

#include "audio_decoder.h"
#include "media_decoder.h"
#include "media_options.h"

#define MODULE "codec-ffmpeg"

/* One decoder instance: pictures or sound, chosen by the codec at open. */
typedef struct decoder {
  valkka_media_decoder_t *video;
  valkka_audio_decoder_t *audio;
} decoder_t;

static void decoder_close(void *instance) {
  decoder_t *d = instance;
  if (!d) return;
  valkka_media_decoder_destroy(d->video);
  valkka_audio_decoder_destroy(d->audio);
  free(d);
}

static int open_video(const valkka_host_t *host, uint32_t codec, const valkka_option_t *options,
                      size_t n_options, valkka_media_decoder_t **out) {
  int threads = 1;
  int err =
      valkka_media_option_int(host, MODULE, options, n_options, "threads", 1, 1, 64, &threads);
  valkka_media_decoder_t *v = NULL;
  if (err || (err = valkka_media_decoder_create(host, MODULE, codec, &v))) return err;
  v->ctx->thread_count = threads;
  if ((err = valkka_media_decoder_open(v))) {
    valkka_media_decoder_destroy(v);
    return err;
  }
  *out = v;
  return 0;
}

static int decoder_open(const valkka_host_t *host, uint32_t codec, const valkka_option_t *options,
                        size_t n_options, void **instance) {
  decoder_t *d = calloc(1, sizeof *d);
  if (!d) return host->error_set(VALKKA_ENOMEM, "%s: out of memory", MODULE);
  /* A host older than ABI 1.1 cannot lay out sound. */
  int err = valkka_audio_decoder_handles(codec) &&
                    VALKKA_HAS_FIELD(host, valkka_host_t, frame_set_audio)
                ? valkka_audio_decoder_create(host, MODULE, codec, &d->audio)
                : open_video(host, codec, options, n_options, &d->video);
  if (err) {
    free(d);
    return err;
  }
  *instance = d;
  return 0;
}

static int decoder_send(void *instance, const valkka_frame_t *frame) {
  decoder_t *d = instance;
  return d->audio ? valkka_audio_decoder_send(d->audio, frame)
                  : valkka_media_decoder_send(d->video, frame);
}

static int decoder_receive(void *instance, valkka_frame_t *frame) {
  decoder_t *d = instance;
  return d->audio ? valkka_audio_decoder_receive(d->audio, frame)
                  : valkka_media_decoder_receive(d->video, frame);
}

static int decoder_flush(void *instance) {
  decoder_t *d = instance;
  return d->audio ? valkka_audio_decoder_flush(d->audio) : valkka_media_decoder_flush(d->video);
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
    .name = "codec-ffmpeg",
    .version = "1.0.0",
    .description = "software H.264/H.265 and AAC/G.711/Opus decoding with libavcodec",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
