/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The libavcodec side of a decoder plugin, shared by codec-ffmpeg (software) and codec-vaapi
 * (hardware): the send/receive loop of plugin.h's decoder vtable, CONFIG frames held for the next
 * encoded frame, the metadata each picture carries from its encoded frame, and hardware pictures
 * copied to system memory. A plugin creates one, sets what is its own on `ctx` (threads, a
 * hardware device, get_format), opens it and forwards its vtable methods.
 *
 * Beyond plugin.h: an ENCODED frame with no payload drains the decoder (libavcodec's NULL
 * packet) so the pictures it holds back for reordering come out; receive() then answers
 * VALKKA_EOS once they are all out, and flush() makes the instance usable again.
 */
#ifndef VALKKA_MEDIA_DECODER_H
#define VALKKA_MEDIA_DECODER_H

#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>

#include <valkka/plugin.h>

#include "frame_meta.h"

typedef struct valkka_media_decoder {
  const valkka_host_t *host;
  const char *module; /* names the plugin in errors; static string */
  uint32_t codec;
  AVCodecContext *ctx; /* allocated for the codec, opened by valkka_media_decoder_open */
  AVPacket *packet;
  AVFrame *picture;
  AVFrame *transfer; /* a hardware picture, copied to system memory */
  struct SwsContext *sws;
  frame_meta_t meta;
  int64_t seq; /* numbers packets through pts, to find each picture's frame */
  bool draining;
  /*
   * The last CONFIG frame, sent in front of the next encoded frame: libavcodec's H.264 decoder
   * takes parameter sets alone but reports the packet as invalid ("no frame").
   */
  uint8_t *config;
  uint32_t config_size, config_capacity;
} valkka_media_decoder_t;

/**
 * Allocates a decoder of `codec` (valkka_codec_t) with libavcodec's decoder for it, its context
 * allocated but not opened. Errors: VALKKA_ECODEC, VALKKA_ENOMEM, with host->error_set.
 */
int valkka_media_decoder_create(const valkka_host_t *host, const char *module, uint32_t codec,
                                valkka_media_decoder_t **out);

/** Opens the context once the plugin has set it up. Errors: VALKKA_ECODEC, VALKKA_ENOMEM. */
int valkka_media_decoder_open(valkka_media_decoder_t *d);

/** plugin.h's send(). */
int valkka_media_decoder_send(valkka_media_decoder_t *d, const valkka_frame_t *frame);

/**
 * plugin.h's receive(): YUV420P or NV12 in `frame`; hardware pictures are transferred to system
 * memory (NV12 where the device offers it) first.
 */
int valkka_media_decoder_receive(valkka_media_decoder_t *d, valkka_frame_t *frame);

/** plugin.h's flush(). */
int valkka_media_decoder_flush(valkka_media_decoder_t *d);

/** Frees everything; NULL-safe. */
void valkka_media_decoder_destroy(valkka_media_decoder_t *d);

#endif
