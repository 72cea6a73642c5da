/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>

#include "annexb.h"
#include "clip.h"
#include "media_error.h"
#include "picture.h"

typedef struct encoder {
  const valkka_host_t *host;
  AVCodecContext *ctx;
  AVFrame *picture;
  AVPacket *packet;
  synth_clip_t *clip;
} encoder_t;

static int open_encoder(encoder_t *e, const synth_clip_params_t *p) {
  const valkka_host_t *host = e->host;
  const char *name = p->codec == VALKKA_CODEC_H265 ? "libx265" : "libx264";
  const AVCodec *codec = avcodec_find_encoder_by_name(name);
  if (!codec)
    return host->error_set(VALKKA_ECODEC, "source-synthetic: this libavcodec has no %s encoder",
                           name);
  if (!(e->ctx = avcodec_alloc_context3(codec)))
    return host->error_set(VALKKA_ENOMEM, "source-synthetic: out of memory");
  AVCodecContext *c = e->ctx;
  c->width = p->width;
  c->height = p->height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = (AVRational){1, p->fps};
  c->framerate = (AVRational){p->fps, 1};
  c->gop_size = p->gop;
  c->keyint_min = p->gop;
  c->max_b_frames = 0;
  /* One thread: sixteen cameras opening at once must not start sixteen thread pools. */
  c->thread_count = 1;
  char params[160];
  av_opt_set(c->priv_data, "preset", "ultrafast", 0);
  av_opt_set(c->priv_data, "tune", "zerolatency", 0);
  av_opt_set(c->priv_data, "forced-idr", "1", 0);
  if (p->codec == VALKKA_CODEC_H265) {
    /* Closed GOPs make every keyframe an IDR; repeated headers make every GOP self-contained. */
    snprintf(params, sizeof params,
             "repeat-headers=1:open-gop=0:scenecut=0:keyint=%d:min-keyint=%d:pools=none:"
             "frame-threads=1:log-level=error",
             p->gop, p->gop);
    av_opt_set(c->priv_data, "x265-params", params, 0);
  } else {
    snprintf(params, sizeof params, "repeat-headers=1:scenecut=0:keyint=%d:min-keyint=%d:log=-1",
             p->gop, p->gop);
    av_opt_set(c->priv_data, "x264-params", params, 0);
  }
  int err = avcodec_open2(c, codec, NULL);
  if (err < 0)
    return valkka_media_error_set(host, err, VALKKA_EIO, "source-synthetic: open encoder");
  e->picture = av_frame_alloc();
  e->packet = av_packet_alloc();
  if (!e->picture || !e->packet)
    return host->error_set(VALKKA_ENOMEM, "source-synthetic: out of memory");
  e->picture->format = c->pix_fmt;
  e->picture->width = c->width;
  e->picture->height = c->height;
  if ((err = av_frame_get_buffer(e->picture, 0)) < 0)
    return valkka_media_error_set(host, err, VALKKA_ENOMEM, "source-synthetic: picture buffer");
  return 0;
}

static int keep_packet(encoder_t *e, const AVPacket *pkt) {
  synth_clip_t *clip = e->clip;
  synth_packet_t *grown = realloc(clip->packets, (clip->n_packets + 1) * sizeof *grown);
  if (!grown) return e->host->error_set(VALKKA_ENOMEM, "source-synthetic: out of memory");
  clip->packets = grown;
  synth_packet_t *kept = &clip->packets[clip->n_packets];
  if (!(kept->data = malloc((size_t)pkt->size)))
    return e->host->error_set(VALKKA_ENOMEM, "source-synthetic: out of memory");
  memcpy(kept->data, pkt->data, (size_t)pkt->size);
  kept->size = (uint32_t)pkt->size;
  kept->key = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
  clip->n_packets++;
  return 0;
}

/* Sends one picture (NULL: end of clip) and keeps every packet the encoder hands back. */
static int encode(encoder_t *e, AVFrame *picture) {
  int err = avcodec_send_frame(e->ctx, picture);
  if (err < 0) return valkka_media_error_set(e->host, err, VALKKA_EIO, "source-synthetic: encode");
  for (;;) {
    err = avcodec_receive_packet(e->ctx, e->packet);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return 0;
    if (err < 0)
      return valkka_media_error_set(e->host, err, VALKKA_EIO, "source-synthetic: encode");
    err = keep_packet(e, e->packet);
    av_packet_unref(e->packet);
    if (err) return err;
  }
}

static int take_config(encoder_t *e, uint32_t codec) {
  synth_clip_t *clip = e->clip;
  if (!clip->n_packets || !clip->packets[0].key)
    return e->host->error_set(VALKKA_EIO,
                              "source-synthetic: the clip does not start with a keyframe");
  const synth_packet_t *first = &clip->packets[0];
  size_t cap = first->size + first->size / 2 + 16;
  if (!(clip->config = malloc(cap)))
    return e->host->error_set(VALKKA_ENOMEM, "source-synthetic: out of memory");
  size_t n = valkka_annexb_param_sets(codec, first->data, first->size, clip->config, cap);
  if (!n)
    return e->host->error_set(VALKKA_EIO,
                              "source-synthetic: no parameter sets in the first keyframe");
  clip->config_size = (uint32_t)n;
  return 0;
}

int synth_clip_encode(const valkka_host_t *host, const synth_clip_params_t *p, synth_clip_t *clip) {
  *clip = (synth_clip_t){0};
  encoder_t e = {.host = host, .clip = clip};
  int err = open_encoder(&e, p);
  for (int i = 0; !err && i < p->n_frames; i++) {
    if ((err = av_frame_make_writable(e.picture)) < 0) {
      err = valkka_media_error_set(host, err, VALKKA_ENOMEM, "source-synthetic: picture buffer");
      break;
    }
    synth_picture_draw(e.picture, p->camera, (uint32_t)i, (uint32_t)p->n_frames);
    e.picture->pts = i;
    /* Forcing IDR at every GOP start keeps the loop clean even if the encoder would choose otherwise. */
    e.picture->pict_type = i % p->gop == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    err = encode(&e, e.picture);
  }
  if (!err) err = encode(&e, NULL);
  if (!err && clip->n_packets != (uint32_t)p->n_frames)
    err = host->error_set(VALKKA_EIO, "source-synthetic: encoder returned %u packets for %d frames",
                          clip->n_packets, p->n_frames);
  if (!err) err = take_config(&e, p->codec);
  av_packet_free(&e.packet);
  av_frame_free(&e.picture);
  avcodec_free_context(&e.ctx);
  if (err) synth_clip_free(clip);
  return err;
}

void synth_clip_free(synth_clip_t *clip) {
  for (uint32_t i = 0; i < clip->n_packets; i++) free(clip->packets[i].data);
  free(clip->packets);
  free(clip->config);
  *clip = (synth_clip_t){0};
}
