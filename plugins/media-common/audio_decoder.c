/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#include "audio_decoder.h"
#include "media_error.h"

/* G.711 streams often come without a CONFIG: the rate and channels RTP's static payloads imply. */
#define G711_RATE 8000u

struct valkka_audio_decoder {
  const valkka_host_t *host;
  const char *module;
  uint32_t codec;
  const AVCodec *av_codec;
  AVCodecContext *ctx; /* NULL until the first CONFIG (or G.711 packet) opens it */
  AVPacket *packet;
  AVFrame *sound;
  SwrContext *swr;
  /* What swr was made for: rebuilt when the decoder's output changes shape. */
  int swr_format, swr_rate, swr_channels;
  uint8_t *config; /* the CONFIG payload ctx was opened with */
  uint32_t config_size;
  uint32_t slot, stream_id; /* of the packets, for the sound they give */
  /* The time of the sound handed out last: never gone back on, though libavcodec moves the
     first frame's time by the samples it skips (Opus pre-skip) and may leave the next on its
     packet's. INT64_MIN after a flush. */
  int64_t last_time;
  bool draining;
};

static enum AVCodecID av_codec_id(uint32_t codec) {
  switch (codec) {
    case VALKKA_CODEC_AAC: return AV_CODEC_ID_AAC;
    case VALKKA_CODEC_ALAW: return AV_CODEC_ID_PCM_ALAW;
    case VALKKA_CODEC_MULAW: return AV_CODEC_ID_PCM_MULAW;
    case VALKKA_CODEC_OPUS: return AV_CODEC_ID_OPUS;
    default: return AV_CODEC_ID_NONE;
  }
}

bool valkka_audio_decoder_handles(uint32_t codec) { return av_codec_id(codec) != AV_CODEC_ID_NONE; }

static int fail(valkka_audio_decoder_t *d, int averr, int fallback, const char *what) {
  return valkka_media_error_in(d->host, d->module, averr, fallback, what);
}

void valkka_audio_decoder_destroy(valkka_audio_decoder_t *d) {
  if (!d) return;
  free(d->config);
  swr_free(&d->swr);
  av_frame_free(&d->sound);
  av_packet_free(&d->packet);
  avcodec_free_context(&d->ctx);
  free(d);
}

int valkka_audio_decoder_create(const valkka_host_t *host, const char *module, uint32_t codec,
                                valkka_audio_decoder_t **out) {
  enum AVCodecID id = av_codec_id(codec);
  if (id == AV_CODEC_ID_NONE)
    return host->error_set(VALKKA_ECODEC, "%s: codec %u is not AAC, G.711 or Opus", module, codec);
  const AVCodec *av_codec;
  int err = valkka_media_find_decoder(host, module, id, &av_codec);
  if (err) return err;
  valkka_audio_decoder_t *d = calloc(1, sizeof *d);
  if (!d) return host->error_set(VALKKA_ENOMEM, "%s: out of memory", module);
  d->host = host;
  d->module = module;
  d->codec = codec;
  d->av_codec = av_codec;
  d->last_time = INT64_MIN;
  if (!(d->packet = av_packet_alloc()) || !(d->sound = av_frame_alloc())) {
    valkka_audio_decoder_destroy(d);
    return host->error_set(VALKKA_ENOMEM, "%s: out of memory", module);
  }
  *out = d;
  return 0;
}

static uint32_t get_le(const uint8_t *p, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; i++) v |= (uint32_t)p[i] << (8 * i);
  return v;
}

/* (Re)opens libavcodec's decoder for `config` (frame.h's audio CONFIG layout, or NULL: G.711's
   defaults). */
static int open_context(valkka_audio_decoder_t *d, const uint8_t *config, uint32_t size) {
  uint32_t rate = G711_RATE, channels = 1;
  if (config) {
    if (size < VALKKA_AUDIO_CONFIG_HEADER)
      return d->host->error_set(VALKKA_EDECODE, "%s: audio CONFIG of %u bytes (at least %u)",
                                d->module, size, VALKKA_AUDIO_CONFIG_HEADER);
    rate = get_le(config, 4);
    channels = get_le(config + 4, 2);
    if (!rate || rate > 768000 || !channels || channels > 64)
      return d->host->error_set(VALKKA_EDECODE, "%s: audio CONFIG of %u Hz, %u channels", d->module,
                                rate, channels);
  }
  avcodec_free_context(&d->ctx);
  swr_free(&d->swr);
  free(d->config);
  d->config = NULL;
  d->config_size = 0;
  if (!(d->ctx = avcodec_alloc_context3(d->av_codec)))
    return d->host->error_set(VALKKA_ENOMEM, "%s: out of memory", d->module);
  d->ctx->sample_rate = (int)rate;
  av_channel_layout_default(&d->ctx->ch_layout, (int)channels);
  d->ctx->pkt_timebase = (AVRational){1, 1000};
  uint32_t extra = config ? size - VALKKA_AUDIO_CONFIG_HEADER : 0;
  if (extra) {
    d->ctx->extradata = av_mallocz(extra + AV_INPUT_BUFFER_PADDING_SIZE);
    if (!d->ctx->extradata)
      return d->host->error_set(VALKKA_ENOMEM, "%s: out of memory", d->module);
    memcpy(d->ctx->extradata, config + VALKKA_AUDIO_CONFIG_HEADER, extra);
    d->ctx->extradata_size = (int)extra;
  }
  int err = avcodec_open2(d->ctx, d->av_codec, NULL);
  if (err < 0) {
    avcodec_free_context(&d->ctx);
    return fail(d, err, VALKKA_EDECODE, "open the audio decoder");
  }
  if (config) {
    if (!(d->config = malloc(size)))
      return d->host->error_set(VALKKA_ENOMEM, "%s: out of memory", d->module);
    memcpy(d->config, config, size);
    d->config_size = size;
  }
  return 0;
}

static int take_config(valkka_audio_decoder_t *d, const valkka_frame_t *frame) {
  /* Sources repeat the CONFIG at every block and reconnect: only a change reopens. */
  if (d->ctx && d->config && d->config_size == frame->size &&
      memcmp(d->config, frame->data, frame->size) == 0)
    return 0;
  return open_context(d, frame->data, frame->size);
}

int valkka_audio_decoder_send(valkka_audio_decoder_t *d, const valkka_frame_t *frame) {
  const valkka_host_t *host = d->host;
  if (!frame || (frame->kind != VALKKA_FRAME_ENCODED && frame->kind != VALKKA_FRAME_CONFIG))
    return host->error_set(VALKKA_EINVAL, "%s: send takes CONFIG or ENCODED frames", d->module);
  if (frame->codec && frame->codec != d->codec)
    return host->error_set(VALKKA_EINVAL, "%s: a %s frame sent to a %s decoder", d->module,
                           host->codec_name(frame->codec), host->codec_name(d->codec));
  if (d->draining)
    return host->error_set(VALKKA_ESTATE, "%s: drained; flush before sending more", d->module);
  if (frame->kind == VALKKA_FRAME_CONFIG) return take_config(d, frame);
  if (!d->ctx) {
    if (frame->size == 0) return (d->draining = true, 0);
    if (d->codec != VALKKA_CODEC_ALAW && d->codec != VALKKA_CODEC_MULAW)
      return host->error_set(VALKKA_EDECODE, "%s: %s packet before the stream's CONFIG", d->module,
                             host->codec_name(d->codec));
    int err = open_context(d, NULL, 0);
    if (err) return err;
  }
  int err;
  if (frame->size == 0) {
    err = avcodec_send_packet(d->ctx, NULL);
    if (err < 0 && err != AVERROR_EOF) return fail(d, err, VALKKA_EDECODE, "drain");
    d->draining = true;
    return 0;
  }
  if (frame->size > INT32_MAX)
    return host->error_set(VALKKA_EINVAL, "%s: packet too large", d->module);
  if ((err = av_new_packet(d->packet, (int)frame->size)) < 0)
    return fail(d, err, VALKKA_ENOMEM, "packet");
  memcpy(d->packet->data, frame->data, frame->size);
  d->packet->pts = frame->mstime;
  err = avcodec_send_packet(d->ctx, d->packet);
  av_packet_unref(d->packet);
  if (err == AVERROR(EAGAIN)) return VALKKA_EAGAIN;
  if (err < 0) return fail(d, err, VALKKA_EDECODE, "decode");
  d->slot = frame->slot;
  d->stream_id = frame->stream_id;
  return 0;
}

/* A converter from what the decoder gives to interleaved s16 of at most
   VALKKA_AUDIO_CHANNELS_MAX channels, made again when the decoder's output changes. */
static int ensure_swr(valkka_audio_decoder_t *d, AVFrame *in, int *out_channels) {
  int channels = in->ch_layout.nb_channels;
  AVChannelLayout out_layout;
  if (channels > (int)VALKKA_AUDIO_CHANNELS_MAX)
    out_layout = (AVChannelLayout)AV_CHANNEL_LAYOUT_STEREO;
  else
    av_channel_layout_default(&out_layout, channels);
  *out_channels = out_layout.nb_channels;
  if (d->swr && d->swr_format == in->format && d->swr_rate == in->sample_rate &&
      d->swr_channels == channels)
    return 0;
  swr_free(&d->swr);
  int err = swr_alloc_set_opts2(&d->swr, &out_layout, AV_SAMPLE_FMT_S16, in->sample_rate,
                                &in->ch_layout, in->format, in->sample_rate, 0, NULL);
  if (err >= 0) err = swr_init(d->swr);
  if (err < 0) {
    swr_free(&d->swr);
    return fail(d, err, VALKKA_EDECODE, "sample conversion");
  }
  d->swr_format = in->format;
  d->swr_rate = in->sample_rate;
  d->swr_channels = channels;
  return 0;
}

int valkka_audio_decoder_receive(valkka_audio_decoder_t *d, valkka_frame_t *frame) {
  if (!d->ctx) return d->draining ? VALKKA_EOS : VALKKA_EAGAIN;
  int err = avcodec_receive_frame(d->ctx, d->sound);
  if (err == AVERROR(EAGAIN)) return VALKKA_EAGAIN;
  if (err == AVERROR_EOF) return VALKKA_EOS;
  if (err < 0) return fail(d, err, VALKKA_EDECODE, "decode");
  int channels = 0;
  if (!(err = ensure_swr(d, d->sound, &channels))) {
    int room = swr_get_out_samples(d->swr, d->sound->nb_samples);
    err = d->host->frame_set_audio(frame, (uint32_t)d->sound->sample_rate, (uint32_t)channels,
                                   room > 0 ? (uint32_t)room : 0);
    if (!err) {
      uint8_t *out[1] = {frame->data};
      int n = swr_convert(d->swr, out, room, (const uint8_t **)d->sound->extended_data,
                          d->sound->nb_samples);
      if (n < 0)
        err = fail(d, n, VALKKA_EDECODE, "sample conversion");
      else
        frame->size = (uint32_t)n * (uint32_t)channels * 2u;
    }
  }
  int64_t pts = d->sound->pts != AV_NOPTS_VALUE ? d->sound->pts : d->sound->best_effort_timestamp;
  av_frame_unref(d->sound);
  if (err) return err;
  frame->codec = d->codec;
  frame->slot = d->slot;
  frame->stream_id = d->stream_id;
  frame->flags = VALKKA_FRAME_KEYFRAME;
  if (pts == AV_NOPTS_VALUE || pts < d->last_time) pts = d->last_time;
  frame->mstime = d->last_time = pts;
  return 0;
}

int valkka_audio_decoder_flush(valkka_audio_decoder_t *d) {
  if (d->ctx) avcodec_flush_buffers(d->ctx);
  if (d->swr) swr_free(&d->swr);
  d->draining = false;
  d->last_time = INT64_MIN;
  return 0;
}
