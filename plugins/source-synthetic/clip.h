/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A synthetic camera's clip: encoded once at open, replayed forever. Every GOP starts with an
 * IDR that carries its parameter sets, so replay may restart at the first packet at any time.
 */
#ifndef VALKKA_SYNTH_CLIP_H
#define VALKKA_SYNTH_CLIP_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/plugin.h>

typedef struct synth_packet {
  uint8_t *data;
  uint32_t size;
  bool key;
} synth_packet_t;

typedef struct synth_clip {
  synth_packet_t *packets;
  uint32_t n_packets;
  uint8_t *config; /* VPS/SPS/PPS, Annex B */
  uint32_t config_size;
} synth_clip_t;

typedef struct synth_clip_params {
  uint32_t camera;
  uint32_t codec; /* valkka_codec_t */
  int width, height, fps, gop, n_frames;
} synth_clip_params_t;

/**
 * Encodes the clip with libx264 (H.264) or libx265 (H.265). Errors: VALKKA_ECODEC (no such
 * encoder in this libavcodec), VALKKA_ENOMEM, VALKKA_EIO (the encoder failed), each with
 * host->error_set. On failure `clip` holds nothing to free.
 */
int synth_clip_encode(const valkka_host_t *host, const synth_clip_params_t *params,
                      synth_clip_t *clip);

/** Frees what synth_clip_encode stored; a zeroed clip is fine. */
void synth_clip_free(synth_clip_t *clip);

#endif
