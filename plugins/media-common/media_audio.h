/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A camera's sound as sources hand it on (frame.h): the codecs recorded, and the CONFIG frame
 * payload of an audio stream (VALKKA_AUDIO_CONFIG_HEADER bytes of rate and channels, then the
 * codec's own configuration).
 */
#ifndef VALKKA_MEDIA_AUDIO_H
#define VALKKA_MEDIA_AUDIO_H

#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include <valkka/plugin.h>

/** The valkka codec of a libavcodec audio codec, or VALKKA_CODEC_NONE when it is not recorded. */
uint32_t valkka_media_audio_codec(enum AVCodecID id);

/**
 * The first audio stream of `fmt` whose codec is recorded, or -1. When there is one, `*codec` is
 * its valkka codec and `*config` a malloc'd CONFIG payload of `*config_size` bytes (the
 * caller frees it). Errors: VALKKA_ENOMEM (through the host).
 */
int valkka_media_audio_pick(const valkka_host_t *host, const char *module, AVFormatContext *fmt,
                            uint32_t *codec, uint8_t **config, uint32_t *config_size);

#endif
