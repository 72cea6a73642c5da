/*
 * codec-ffmpeg: software decoding of H.264 and H.265 with libavcodec. Option "threads" (1).
 *
 * Beyond plugin.h: an ENCODED frame with no payload drains the decoder (libavcodec's NULL
 * packet) so the pictures it holds back for reordering come out; receive() then answers
 * VALKKA_EOS once they are all out, and flush() makes the instance usable again.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>

#include "frame_meta.h"
#include "media_error.h"
#include "media_options.h"
#include "picture_copy.h"

#define MODULE "codec-ffmpeg"

typedef struct decoder {
  const valkka_host_t *host;
  uint32_t codec;
  AVCodecContext *ctx;
  AVPacket *packet;
  AVFrame *picture;
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
} decoder_t;

/* Plugins do not link libvalkka, so valkka_codec_name is out of reach. */
static const char *codec_text(uint32_t codec) {
  return codec == VALKKA_CODEC_H264 ? "H.264" : codec == VALKKA_CODEC_H265 ? "H.265" : "unknown";
}

static void decoder_close(void *instance) {
  decoder_t *d = instance;
  free(d->config);
  sws_freeContext(d->sws);
  av_frame_free(&d->picture);
  av_packet_free(&d->packet);
  avcodec_free_context(&d->ctx);
  free(d);
}

static int decoder_open(const valkka_host_t *host, uint32_t codec, const valkka_option_t *options,
                        size_t n_options, void **instance) {
  enum AVCodecID id = codec == VALKKA_CODEC_H264   ? AV_CODEC_ID_H264
                      : codec == VALKKA_CODEC_H265 ? AV_CODEC_ID_HEVC
                                                   : AV_CODEC_ID_NONE;
  if (id == AV_CODEC_ID_NONE)
    return host->error_set(VALKKA_ECODEC, MODULE ": codec %u is not H.264 or H.265", codec);
  int threads = 1;
  int err = valkka_media_option_int(host, MODULE, options, n_options, "threads", 1, 1, 64, &threads);
  if (err) return err;
  const AVCodec *av_codec = avcodec_find_decoder(id);
  if (!av_codec)
    return host->error_set(VALKKA_ECODEC, MODULE ": this libavcodec has no %s decoder",
                           avcodec_get_name(id));
  decoder_t *d = calloc(1, sizeof *d);
  if (!d) return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  d->host = host;
  d->codec = codec;
  frame_meta_reset(&d->meta);
  if (!(d->ctx = avcodec_alloc_context3(av_codec)) || !(d->packet = av_packet_alloc()) ||
      !(d->picture = av_frame_alloc())) {
    decoder_close(d);
    return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  }
  d->ctx->thread_count = threads;
  if ((err = avcodec_open2(d->ctx, av_codec, NULL)) < 0) {
    decoder_close(d);
    return valkka_media_error_set(host, err, VALKKA_ECODEC, MODULE ": open decoder");
  }
  *instance = d;
  return 0;
}

static int start_drain(decoder_t *d) {
  int err = avcodec_send_packet(d->ctx, NULL);
  if (err < 0 && err != AVERROR_EOF)
    return valkka_media_error_set(d->host, err, VALKKA_EDECODE, MODULE ": drain");
  d->draining = true;
  return 0;
}

static int keep_config(decoder_t *d, const valkka_frame_t *frame) {
  if (frame->size > d->config_capacity) {
    uint8_t *grown = realloc(d->config, frame->size);
    if (!grown) return d->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
    d->config = grown;
    d->config_capacity = frame->size;
  }
  if (frame->size) memcpy(d->config, frame->data, frame->size);
  d->config_size = frame->size;
  return 0;
}

static int decoder_send(void *instance, const valkka_frame_t *frame) {
  decoder_t *d = instance;
  if (!frame || (frame->kind != VALKKA_FRAME_ENCODED && frame->kind != VALKKA_FRAME_CONFIG))
    return d->host->error_set(VALKKA_EINVAL, MODULE ": send takes CONFIG or ENCODED frames");
  if (frame->codec && frame->codec != d->codec)
    return d->host->error_set(VALKKA_EINVAL, MODULE ": a %s frame sent to a %s decoder",
                              codec_text(frame->codec), codec_text(d->codec));
  if (d->draining)
    return d->host->error_set(VALKKA_ESTATE, MODULE ": drained; flush before sending more");
  if (frame->kind == VALKKA_FRAME_CONFIG) return keep_config(d, frame);
  if (frame->size == 0) return start_drain(d);
  if (frame->size > INT32_MAX - d->config_size)
    return d->host->error_set(VALKKA_EINVAL, MODULE ": frame of %u bytes too large", frame->size);
  int err = av_new_packet(d->packet, (int)(d->config_size + frame->size));
  if (err < 0) return valkka_media_error_set(d->host, err, VALKKA_ENOMEM, MODULE ": packet");
  if (d->config_size) memcpy(d->packet->data, d->config, d->config_size);
  memcpy(d->packet->data + d->config_size, frame->data, frame->size);
  d->packet->pts = d->seq;
  if (frame->flags & VALKKA_FRAME_KEYFRAME) d->packet->flags |= AV_PKT_FLAG_KEY;
  err = avcodec_send_packet(d->ctx, d->packet);
  av_packet_unref(d->packet);
  if (err == AVERROR(EAGAIN)) return VALKKA_EAGAIN;
  /* Consumed (even when undecodable): the configuration went with it. */
  d->config_size = 0;
  if (err < 0) return valkka_media_error_set(d->host, err, VALKKA_EDECODE, MODULE ": decode");
  frame_meta_push(&d->meta, d->seq, frame);
  d->seq++;
  return 0;
}

static int decoder_receive(void *instance, valkka_frame_t *frame) {
  decoder_t *d = instance;
  int err = avcodec_receive_frame(d->ctx, d->picture);
  if (err == AVERROR(EAGAIN)) return VALKKA_EAGAIN;
  if (err == AVERROR_EOF) return VALKKA_EOS;
  if (err < 0) return valkka_media_error_set(d->host, err, VALKKA_EDECODE, MODULE ": decode");
  int64_t seq = d->picture->pts != AV_NOPTS_VALUE ? d->picture->pts : d->picture->best_effort_timestamp;
  err = picture_copy(d->host, d->picture, frame, &d->sws);
  av_frame_unref(d->picture);
  if (err) return err;
  frame->codec = d->codec;
  frame_meta_take(&d->meta, seq, frame);
  return 0;
}

static int decoder_flush(void *instance) {
  decoder_t *d = instance;
  avcodec_flush_buffers(d->ctx);
  frame_meta_reset(&d->meta);
  d->draining = false;
  return 0;
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
    .description = "software H.264/H.265 decoding with libavcodec",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
