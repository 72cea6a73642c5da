/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "media_audio.h"

uint32_t valkka_media_audio_codec(enum AVCodecID id) {
  switch (id) {
    case AV_CODEC_ID_AAC: return VALKKA_CODEC_AAC;
    case AV_CODEC_ID_PCM_ALAW: return VALKKA_CODEC_ALAW;
    case AV_CODEC_ID_PCM_MULAW: return VALKKA_CODEC_MULAW;
    case AV_CODEC_ID_OPUS: return VALKKA_CODEC_OPUS;
    default: return VALKKA_CODEC_NONE;
  }
}

static void put_le(uint8_t *p, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; i++) p[i] = (uint8_t)(v >> (8 * i));
}

int valkka_media_audio_pick(const valkka_host_t *host, const char *module, AVFormatContext *fmt,
                            uint32_t *codec, uint8_t **config, uint32_t *config_size) {
  *codec = VALKKA_CODEC_NONE;
  *config = NULL;
  *config_size = 0;
  for (unsigned i = 0; i < fmt->nb_streams; i++) {
    const AVCodecParameters *par = fmt->streams[i]->codecpar;
    uint32_t c = par->codec_type == AVMEDIA_TYPE_AUDIO ? valkka_media_audio_codec(par->codec_id)
                                                       : VALKKA_CODEC_NONE;
    if (!c) continue;
    uint32_t extra = par->extradata_size > 0 ? (uint32_t)par->extradata_size : 0;
    uint8_t *p = malloc(VALKKA_AUDIO_CONFIG_HEADER + extra);
    if (!p) return host->error_set(VALKKA_ENOMEM, "%s: out of memory", module);
    int channels = par->ch_layout.nb_channels > 0 ? par->ch_layout.nb_channels : 1;
    put_le(p, par->sample_rate > 0 ? (uint32_t)par->sample_rate : 8000, 4);
    put_le(p + 4, (uint32_t)channels, 2);
    put_le(p + 6, 0, 2);
    if (extra) memcpy(p + VALKKA_AUDIO_CONFIG_HEADER, par->extradata, extra);
    *codec = c;
    *config = p;
    *config_size = VALKKA_AUDIO_CONFIG_HEADER + extra;
    return (int)i;
  }
  return -1;
}
