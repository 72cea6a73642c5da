/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>

#include "media_shape.h"

static int parse(AVCodecParserContext *parser, AVCodecContext *ctx, const uint8_t *buf, size_t size,
                 valkka_media_shape_t *shape) {
  uint8_t *out = NULL;
  int out_size = 0;
  /* Complete frames: the parser answers from this buffer instead of waiting for the next one. */
  parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
  av_parser_parse2(parser, ctx, &out, &out_size, buf, (int)size, AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
  if (parser->width <= 0 || parser->height <= 0) return VALKKA_ENOENT;
  *shape = (valkka_media_shape_t){(uint32_t)parser->width, (uint32_t)parser->height, 0, 0};
  if (ctx->framerate.num > 0 && ctx->framerate.den > 0) {
    shape->fps_num = (uint32_t)ctx->framerate.num;
    shape->fps_den = (uint32_t)ctx->framerate.den;
  }
  return 0;
}

int valkka_media_shape_parse(uint32_t codec, const uint8_t *config, size_t config_size,
                             const uint8_t *keyframe, size_t keyframe_size,
                             valkka_media_shape_t *shape) {
  enum AVCodecID id = codec == VALKKA_CODEC_H264   ? AV_CODEC_ID_H264
                      : codec == VALKKA_CODEC_H265 ? AV_CODEC_ID_HEVC
                                                   : AV_CODEC_ID_NONE;
  if (id == AV_CODEC_ID_NONE) return VALKKA_ECODEC;
  size_t size = config_size + keyframe_size;
  if (size > INT32_MAX - AV_INPUT_BUFFER_PADDING_SIZE) return VALKKA_ENOMEM;
  AVCodecParserContext *parser = av_parser_init(id);
  if (!parser) return VALKKA_ECODEC;
  AVCodecContext *ctx = avcodec_alloc_context3(NULL);
  /* libavcodec's parsers read up to the padding past the end, which must be zero. */
  uint8_t *buf = calloc(1, size + AV_INPUT_BUFFER_PADDING_SIZE);
  int err = VALKKA_ENOMEM;
  if (ctx && buf) {
#if LIBAVCODEC_VERSION_MAJOR < 60
    /* H.264 counts field ticks: without this, 5.x's parser reports twice the frame rate. */
    if (id == AV_CODEC_ID_H264) ctx->ticks_per_frame = 2;
#endif
    if (config_size) memcpy(buf, config, config_size);
    if (keyframe_size) memcpy(buf + config_size, keyframe, keyframe_size);
    err = parse(parser, ctx, buf, size, shape);
  }
  free(buf);
  avcodec_free_context(&ctx);
  av_parser_close(parser);
  return err;
}

int valkka_media_reorder_depth(uint32_t codec, const uint8_t *config, size_t config_size,
                               const uint8_t *keyframe, size_t keyframe_size) {
  enum AVCodecID id = codec == VALKKA_CODEC_H264   ? AV_CODEC_ID_H264
                      : codec == VALKKA_CODEC_H265 ? AV_CODEC_ID_HEVC
                                                   : AV_CODEC_ID_NONE;
  const AVCodec *decoder = id == AV_CODEC_ID_NONE ? NULL : avcodec_find_decoder(id);
  if (!decoder) return VALKKA_ECODEC;
  size_t size = config_size + keyframe_size;
  if (size > INT32_MAX - AV_INPUT_BUFFER_PADDING_SIZE) return VALKKA_ENOMEM;
  AVCodecContext *ctx = avcodec_alloc_context3(decoder);
  AVPacket *pkt = av_packet_alloc();
  int depth = VALKKA_ENOMEM;
  if (ctx && pkt && av_new_packet(pkt, (int)size) == 0) {
    if (config_size) memcpy(pkt->data, config, config_size);
    if (keyframe_size) memcpy(pkt->data + config_size, keyframe, keyframe_size);
    pkt->flags |= AV_PKT_FLAG_KEY;
    ctx->thread_count = 1;
    /* The decoder sizes its reorder buffer from the SPS (VUI num_reorder_frames, H.265's
       sps_max_num_reorder_pics) when it starts the first slice. */
    if (avcodec_open2(ctx, decoder, NULL) < 0 || avcodec_send_packet(ctx, pkt) < 0)
      depth = VALKKA_EDECODE;
    else
      depth = ctx->has_b_frames;
  }
  av_packet_free(&pkt);
  avcodec_free_context(&ctx);
  return depth;
}
