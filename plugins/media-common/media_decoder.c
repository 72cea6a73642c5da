/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/hwcontext.h>

#include "media_decoder.h"
#include "media_error.h"
#include "picture_copy.h"

void valkka_media_decoder_destroy(valkka_media_decoder_t *d) {
  if (!d) return;
  free(d->config);
  sws_freeContext(d->sws);
  av_frame_free(&d->transfer);
  av_frame_free(&d->picture);
  av_packet_free(&d->packet);
  avcodec_free_context(&d->ctx);
  free(d);
}

int valkka_media_decoder_create(const valkka_host_t *host, const char *module, uint32_t codec,
                                valkka_media_decoder_t **out) {
  enum AVCodecID id = codec == VALKKA_CODEC_H264   ? AV_CODEC_ID_H264
                      : codec == VALKKA_CODEC_H265 ? AV_CODEC_ID_HEVC
                                                   : AV_CODEC_ID_NONE;
  if (id == AV_CODEC_ID_NONE)
    return host->error_set(VALKKA_ECODEC, "%s: codec %u is not H.264 or H.265", module, codec);
  const AVCodec *av_codec;
  int err = valkka_media_find_decoder(host, module, id, &av_codec);
  if (err) return err;
  valkka_media_decoder_t *d = calloc(1, sizeof *d);
  if (!d) return host->error_set(VALKKA_ENOMEM, "%s: out of memory", module);
  d->host = host;
  d->module = module;
  d->codec = codec;
  frame_meta_reset(&d->meta);
  if (!(d->ctx = avcodec_alloc_context3(av_codec)) || !(d->packet = av_packet_alloc()) ||
      !(d->picture = av_frame_alloc()) || !(d->transfer = av_frame_alloc())) {
    valkka_media_decoder_destroy(d);
    return host->error_set(VALKKA_ENOMEM, "%s: out of memory", module);
  }
  *out = d;
  return 0;
}

int valkka_media_decoder_open(valkka_media_decoder_t *d) {
  int err = avcodec_open2(d->ctx, d->ctx->codec, NULL);
  return err < 0 ? valkka_media_error_in(d->host, d->module, err, VALKKA_ECODEC, "open decoder")
                 : 0;
}

static int fail(valkka_media_decoder_t *d, int averr, int fallback, const char *what) {
  return valkka_media_error_in(d->host, d->module, averr, fallback, what);
}

static int start_drain(valkka_media_decoder_t *d) {
  int err = avcodec_send_packet(d->ctx, NULL);
  if (err < 0 && err != AVERROR_EOF) return fail(d, err, VALKKA_EDECODE, "drain");
  d->draining = true;
  return 0;
}

static int keep_config(valkka_media_decoder_t *d, const valkka_frame_t *frame) {
  if (frame->size > d->config_capacity) {
    uint8_t *grown = realloc(d->config, frame->size);
    if (!grown) return d->host->error_set(VALKKA_ENOMEM, "%s: out of memory", d->module);
    d->config = grown;
    d->config_capacity = frame->size;
  }
  if (frame->size) memcpy(d->config, frame->data, frame->size);
  d->config_size = frame->size;
  return 0;
}

int valkka_media_decoder_send(valkka_media_decoder_t *d, const valkka_frame_t *frame) {
  const valkka_host_t *host = d->host;
  if (!frame || (frame->kind != VALKKA_FRAME_ENCODED && frame->kind != VALKKA_FRAME_CONFIG))
    return host->error_set(VALKKA_EINVAL, "%s: send takes CONFIG or ENCODED frames", d->module);
  if (frame->codec && frame->codec != d->codec)
    return host->error_set(VALKKA_EINVAL, "%s: a %s frame sent to a %s decoder", d->module,
                           host->codec_name(frame->codec), host->codec_name(d->codec));
  if (d->draining)
    return host->error_set(VALKKA_ESTATE, "%s: drained; flush before sending more", d->module);
  if (frame->kind == VALKKA_FRAME_CONFIG) return keep_config(d, frame);
  if (frame->size == 0) return start_drain(d);
  if (frame->size > INT32_MAX - d->config_size)
    return host->error_set(VALKKA_EINVAL, "%s: frame of %u bytes too large", d->module,
                           frame->size);
  int err = av_new_packet(d->packet, (int)(d->config_size + frame->size));
  if (err < 0) return fail(d, err, VALKKA_ENOMEM, "packet");
  if (d->config_size) memcpy(d->packet->data, d->config, d->config_size);
  memcpy(d->packet->data + d->config_size, frame->data, frame->size);
  d->packet->pts = d->seq;
  if (frame->flags & VALKKA_FRAME_KEYFRAME) d->packet->flags |= AV_PKT_FLAG_KEY;
  err = avcodec_send_packet(d->ctx, d->packet);
  av_packet_unref(d->packet);
  if (err == AVERROR(EAGAIN)) return VALKKA_EAGAIN;
  /* Consumed (even when undecodable): the configuration went with it. */
  d->config_size = 0;
  if (err < 0) return fail(d, err, VALKKA_EDECODE, "decode");
  frame_meta_push(&d->meta, d->seq, frame);
  d->seq++;
  return 0;
}

/*
 * A picture in device memory, copied to system memory: NV12 as the decoder plugins promise;
 * a device that cannot give NV12 (10-bit surfaces) gives its own format, converted later.
 */
static int to_system_memory(valkka_media_decoder_t *d, const AVFrame **src) {
  av_frame_unref(d->transfer);
  d->transfer->format = AV_PIX_FMT_NV12;
  int err = av_hwframe_transfer_data(d->transfer, d->picture, 0);
  if (err < 0) {
    av_frame_unref(d->transfer);
    err = av_hwframe_transfer_data(d->transfer, d->picture, 0);
  }
  if (err < 0) return fail(d, err, VALKKA_EDECODE, "copy from the device");
  *src = d->transfer;
  return 0;
}

int valkka_media_decoder_receive(valkka_media_decoder_t *d, valkka_frame_t *frame) {
  int err = avcodec_receive_frame(d->ctx, d->picture);
  if (err == AVERROR(EAGAIN)) return VALKKA_EAGAIN;
  if (err == AVERROR_EOF) return VALKKA_EOS;
  if (err < 0) return fail(d, err, VALKKA_EDECODE, "decode");
  int64_t seq = d->picture->pts != AV_NOPTS_VALUE ? d->picture->pts
                                                  : d->picture->best_effort_timestamp;
  frame_meta_take(&d->meta, seq, frame);
  const AVFrame *src = d->picture;
  /* A picture decoded only to reach another is not shown: laid out, not copied (nor brought
     from the device), which is most of a seek's pictures. */
  if (frame->flags & VALKKA_FRAME_DECODE_ONLY)
    err = picture_lay_out(d->host, src, frame);
  else if (!d->picture->hw_frames_ctx || !(err = to_system_memory(d, &src)))
    err = picture_copy(d->host, d->module, src, frame, &d->sws);
  av_frame_unref(d->transfer);
  av_frame_unref(d->picture);
  if (err) return err;
  frame->codec = d->codec;
  return 0;
}

int valkka_media_decoder_flush(valkka_media_decoder_t *d) {
  avcodec_flush_buffers(d->ctx);
  frame_meta_reset(&d->meta);
  d->draining = false;
  return 0;
}
