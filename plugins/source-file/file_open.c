/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annexb.h"
#include "file_source.h"
#include "media_audio.h"
#include "media_error.h"

/* libavformat polls this during blocking I/O: a non-zero answer aborts the call with AVERROR_EXIT. */
static int interrupt_cb(void *opaque) { return valkka_pacer_interrupted(opaque) ? 1 : 0; }

static int pick_stream(file_source_t *s, const char *path) {
  const valkka_host_t *host = s->host;
  int idx = av_find_best_stream(s->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
  if (idx < 0) return host->error_set(VALKKA_EFORMAT, MODULE ": %s: no video stream", path);
  AVStream *st = s->fmt->streams[idx];
  enum AVCodecID id = st->codecpar->codec_id;
  if (id == AV_CODEC_ID_H264)
    s->codec = VALKKA_CODEC_H264;
  else if (id == AV_CODEC_ID_HEVC)
    s->codec = VALKKA_CODEC_H265;
  else
    return host->error_set(VALKKA_ECODEC, MODULE ": %s: video codec %s is not H.264 or H.265", path,
                           avcodec_get_name(id));
  int audio = valkka_media_audio_pick(host, MODULE, s->fmt, &s->audio_codec, &s->audio_config,
                                      &s->audio_config_size);
  if (audio < -1) return audio;
  s->audio_stream = audio;
  for (unsigned i = 0; i < s->fmt->nb_streams; i++)
    if ((int)i != idx && (int)i != audio) s->fmt->streams[i]->discard = AVDISCARD_ALL;
  s->stream = idx;
  s->width = (uint32_t)st->codecpar->width;
  s->height = (uint32_t)st->codecpar->height;
  AVRational rate = st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate;
  if (rate.num > 0 && rate.den > 0) {
    s->fps_num = (uint32_t)rate.num;
    s->fps_den = (uint32_t)rate.den;
    s->frame_us = av_rescale(1000000, rate.den, rate.num);
  } else {
    s->frame_us = 40000;
  }
  return 0;
}

static int open_bsf(file_source_t *s) {
  const char *name = s->codec == VALKKA_CODEC_H265 ? "hevc_mp4toannexb" : "h264_mp4toannexb";
  const AVBitStreamFilter *filter = av_bsf_get_by_name(name);
  if (!filter)
    return s->host->error_set(VALKKA_ECODEC, MODULE ": libavcodec lacks the %s filter", name);
  int err = av_bsf_alloc(filter, &s->bsf);
  if (err < 0) return valkka_media_error_set(s->host, err, VALKKA_ENOMEM, MODULE ": bsf");
  AVStream *st = s->fmt->streams[s->stream];
  if ((err = avcodec_parameters_copy(s->bsf->par_in, st->codecpar)) < 0)
    return valkka_media_error_set(s->host, err, VALKKA_ENOMEM, MODULE ": bsf");
  s->bsf->time_base_in = st->time_base;
  if ((err = av_bsf_init(s->bsf)) < 0)
    return valkka_media_error_set(s->host, err, VALKKA_EFORMAT, MODULE ": bsf init");
  return 0;
}

/* The filter rewrites avcC/hvcC extradata as Annex B; raw streams have none and get theirs later. */
static int take_config(file_source_t *s) {
  const AVCodecParameters *par = s->bsf->par_out;
  if (!par->extradata || par->extradata_size <= 0) return 0;
  size_t n = (size_t)par->extradata_size;
  size_t cap = n + n / 2 + 16;
  if (!(s->config = malloc(cap)))
    return s->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  s->config_size = (uint32_t)valkka_annexb_param_sets(s->codec, par->extradata, n, s->config, cap);
  if (!s->config_size) {
    free(s->config);
    s->config = NULL;
  }
  return 0;
}

int file_source_open(file_source_t *s, const char *path) {
  const valkka_host_t *host = s->host;
  char shown[400];
  host->url_redact(path, VALKKA_URL_REDACT_WHOLE, shown, sizeof shown);
  s->audio_stream = -1;
  if (!(s->fmt = avformat_alloc_context()) || !(s->demuxed = av_packet_alloc()) ||
      !(s->out = av_packet_alloc()))
    return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  for (unsigned i = 0; i < FILE_AUDIO_QUEUE; i++)
    if (!(s->audio[i].pkt = av_packet_alloc()))
      return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  s->fmt->interrupt_callback = (AVIOInterruptCB){interrupt_cb, &s->pacer};
  int err = avformat_open_input(&s->fmt, path, NULL, NULL);
  if (err < 0) {
    /* avformat_open_input frees the context on failure. */
    char what[512];
    snprintf(what, sizeof what, MODULE ": open %s", shown);
    return valkka_media_error_set(host, err, VALKKA_EFORMAT, what);
  }
  if ((err = avformat_find_stream_info(s->fmt, NULL)) < 0) {
    char what[512];
    snprintf(what, sizeof what, MODULE ": %s: stream info", shown);
    return valkka_media_error_set(host, err, VALKKA_EFORMAT, what);
  }
  if ((err = pick_stream(s, shown)) || (err = open_bsf(s)) || (err = take_config(s))) return err;
  s->first_ts = AV_NOPTS_VALUE;
  return 0;
}

void file_source_release(file_source_t *s) {
  av_bsf_free(&s->bsf);
  av_packet_free(&s->out);
  av_packet_free(&s->demuxed);
  avformat_close_input(&s->fmt);
  free(s->config);
  s->config = NULL;
  for (unsigned i = 0; i < FILE_AUDIO_QUEUE; i++) av_packet_free(&s->audio[i].pkt);
  free(s->audio_config);
  s->audio_config = NULL;
}
