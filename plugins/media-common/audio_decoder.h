/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The libavcodec side of decoding a camera's sound (AAC, G.711, Opus) for a decoder plugin:
 * plugin.h's send/receive for an audio stream. Its CONFIG frame (frame.h's audio layout) opens
 * libavcodec's decoder with the stream's rate, channels and codec configuration (a different
 * CONFIG reopens it); G.711 without one is taken as 8 kHz mono. Sound comes out as interleaved
 * signed 16-bit samples at the stream's own rate (libswresample converts the decoder's sample
 * format; more than VALKKA_AUDIO_CHANNELS_MAX channels are mixed down to stereo), timed by the
 * packet it came from.
 */
#ifndef VALKKA_AUDIO_DECODER_H
#define VALKKA_AUDIO_DECODER_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/plugin.h>

typedef struct valkka_audio_decoder valkka_audio_decoder_t;

/** 1 when `codec` (valkka_codec_t) is sound this decoder handles. */
bool valkka_audio_decoder_handles(uint32_t codec);

/** Allocates a decoder of `codec`. Errors: VALKKA_ECODEC (not sound, or no libavcodec decoder for
    it), VALKKA_ENOMEM, with host->error_set. */
int valkka_audio_decoder_create(const valkka_host_t *host, const char *module, uint32_t codec,
                                valkka_audio_decoder_t **out);

/** plugin.h's send(): CONFIG, ENCODED, or the empty ENCODED frame that drains. */
int valkka_audio_decoder_send(valkka_audio_decoder_t *d, const valkka_frame_t *frame);

/** plugin.h's receive(): DECODED sound; VALKKA_EAGAIN when none is ready, VALKKA_EOS once
    drained. */
int valkka_audio_decoder_receive(valkka_audio_decoder_t *d, valkka_frame_t *frame);

/** plugin.h's flush(). */
int valkka_audio_decoder_flush(valkka_audio_decoder_t *d);

/** Frees everything; NULL-safe. */
void valkka_audio_decoder_destroy(valkka_audio_decoder_t *d);

#endif
