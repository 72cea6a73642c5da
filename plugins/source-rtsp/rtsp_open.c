/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media_audio.h"
#include "media_error.h"
#include "media_extradata.h"
#include "media_options.h"
#include "rtsp_source.h"

/* How long the TEARDOWN at close may take: a dead server must not hold a camera's thread. */
#define CLOSE_TIMEOUT_MS 500

/* avformat_find_stream_info's budget with "probe": 0.4 s of stream on the test server. */
#define PROBE_ANALYZE_US 200000

int rtsp_options_parse(const valkka_host_t *host, const valkka_option_t *options, size_t n,
                       rtsp_options_t *opts) {
  const char *transport = host->option_get(options, n, "transport");
  if (!transport || !strcasecmp(transport, "auto"))
    opts->transport = RTSP_AUTO;
  else if (!strcasecmp(transport, "tcp"))
    opts->transport = RTSP_TCP;
  else if (!strcasecmp(transport, "udp"))
    opts->transport = RTSP_UDP;
  else
    return host->error_set(VALKKA_EINVAL,
                           MODULE ": option transport='%s': expected auto, tcp or udp", transport);
  int probe = 0, audio = 1;
  int err;
  if ((err = valkka_media_option_int(host, MODULE, options, n, "timeout_ms", 5000, 100, 600000,
                                     &opts->timeout_ms)) ||
      (err = valkka_media_option_int(host, MODULE, options, n, "clock_tolerance_ms", 5000, 0,
                                     86400000, &opts->clock_tolerance_ms)) ||
      (err = valkka_media_option_int(host, MODULE, options, n, "probe", 0, 0, 1, &probe)) ||
      (err = valkka_media_option_int(host, MODULE, options, n, "audio", 1, 0, 1, &audio)))
    return err;
  opts->probe = probe != 0;
  opts->audio = audio != 0;
  return 0;
}

/* What went wrong while connecting, in the terms a camera's status shows. */
static int connect_error(rtsp_source_t *s, int averr, const char *stage) {
  const valkka_host_t *host = s->host;
  if (valkka_media_interrupt_fired(&s->irq))
    return host->error_set(VALKKA_EINTR, MODULE ": %s: interrupted", s->shown);
  /* libavformat may report a call it abandoned at our deadline as EOF or invalid data. */
  if (valkka_media_interrupt_expired(&s->irq) || averr == AVERROR_EXIT ||
      averr == AVERROR(ETIMEDOUT))
    return host->error_set(VALKKA_ETIMEDOUT, MODULE ": %s: %s: no answer within %d ms", s->shown,
                           stage, s->options.timeout_ms);
  if (averr == AVERROR_EOF)
    return host->error_set(VALKKA_ECONN, MODULE ": %s: %s: the server closed the connection",
                           s->shown, stage);
  char what[600];
  snprintf(what, sizeof what, MODULE ": %s: %s", s->shown, stage);
  /* Anything else the server said that libavformat could not follow is not RTSP as we know it. */
  return valkka_media_error_set(host, averr,
                                averr == AVERROR_INVALIDDATA ? VALKKA_EFORMAT : VALKKA_ECONN, what);
}

static int pick_stream(rtsp_source_t *s) {
  const valkka_host_t *host = s->host;
  int idx = -1;
  for (unsigned i = 0; i < s->fmt->nb_streams && idx < 0; i++)
    if (s->fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) idx = (int)i;
  if (idx < 0) return host->error_set(VALKKA_EFORMAT, MODULE ": %s: no video stream", s->shown);
  enum AVCodecID id = s->fmt->streams[idx]->codecpar->codec_id;
  if (id == AV_CODEC_ID_H264)
    s->codec = VALKKA_CODEC_H264;
  else if (id == AV_CODEC_ID_HEVC)
    s->codec = VALKKA_CODEC_H265;
  else
    return host->error_set(VALKKA_ECODEC, MODULE ": %s: video codec %s is not H.264 or H.265",
                           s->shown, avcodec_get_name(id));
  int audio = s->options.audio ? valkka_media_audio_pick(host, MODULE, s->fmt, &s->audio_codec,
                                                         &s->audio_config, &s->audio_config_size)
                               : -1;
  if (audio < -1) return audio;
  s->audio_stream = audio;
  s->audio_config_due = audio >= 0;
  for (unsigned i = 0; i < s->fmt->nb_streams; i++)
    if ((int)i != idx && (int)i != audio) s->fmt->streams[i]->discard = AVDISCARD_ALL;
  s->stream = idx;
  return 0;
}

/* Size and rate as libavformat knows them: from the SDP, or from the analysis with "probe". */
static void take_shape(rtsp_source_t *s) {
  const AVStream *st = s->fmt->streams[s->stream];
  s->width = (uint32_t)(st->codecpar->width > 0 ? st->codecpar->width : 0);
  s->height = (uint32_t)(st->codecpar->height > 0 ? st->codecpar->height : 0);
  AVRational rate = st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0 ? st->avg_frame_rate
                                                                             : st->r_frame_rate;
  if (rate.num > 0 && rate.den > 0) {
    s->fps_num = (uint32_t)rate.num;
    s->fps_den = (uint32_t)rate.den;
  }
  /* What is still unknown is read from the parameter sets at the first keyframe. */
  s->shape_due = !s->width || !s->height || !s->fps_num;
}

int rtsp_source_set_config(rtsp_source_t *s, const uint8_t *data, size_t size) {
  if (size > UINT32_MAX)
    return s->host->error_set(VALKKA_ETOOBIG, MODULE ": parameter sets too large");
  if (size > s->config_cap) {
    uint8_t *grown = realloc(s->config, size);
    if (!grown) return s->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
    s->config = grown;
    s->config_cap = (uint32_t)size;
  }
  if (size) memcpy(s->config, data, size);
  s->config_size = (uint32_t)size;
  s->config_due = size > 0;
  s->shape_due = true;
  return 0;
}

/* The SDP's sprop parameter sets, Annex B from libavformat's RTP depacketisers (avcC/hvcC too). */
static int take_config(rtsp_source_t *s) {
  const AVCodecParameters *par = s->fmt->streams[s->stream]->codecpar;
  if (!par->extradata || par->extradata_size <= 0) return 0;
  size_t n = (size_t)par->extradata_size, cap = 2 * n + 16;
  uint8_t *annexb = malloc(cap);
  if (!annexb) return s->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  size_t used = valkka_media_extradata_annexb(s->codec, par->extradata, n, annexb, cap);
  bool shape_due = s->shape_due;
  int err = used ? rtsp_source_set_config(s, annexb, used) : 0;
  s->shape_due = shape_due;
  free(annexb);
  return err;
}

static int probe(rtsp_source_t *s) {
  s->fmt->max_analyze_duration = PROBE_ANALYZE_US;
  int err = avformat_find_stream_info(s->fmt, NULL);
  return err < 0 ? connect_error(s, err, "stream analysis") : 0;
}

/*
 * URLs whose server refused RTP over TCP (libavformat's EPROTONOSUPPORT: a 461 answer to every
 * transport asked for), so that a camera's reconnects, each a new instance, go to UDP at once.
 * Keyed by a hash of the URL, so no credentials are kept; a bounded ring, oldest out first.
 */
#define UDP_MEMORY 64
static pthread_mutex_t udp_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t udp_urls[UDP_MEMORY];
static unsigned udp_next;

static uint64_t url_hash(const char *url) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)url; *p; p++)
    h = (h ^ *p) * 1099511628211ull;
  return h ? h : 1;
}

static bool udp_remembered(const char *url) {
  const uint64_t h = url_hash(url);
  bool found = false;
  pthread_mutex_lock(&udp_lock);
  for (unsigned i = 0; i < UDP_MEMORY && !found; i++) found = udp_urls[i] == h;
  pthread_mutex_unlock(&udp_lock);
  return found;
}

static void udp_remember(const char *url) {
  pthread_mutex_lock(&udp_lock);
  udp_urls[udp_next++ % UDP_MEMORY] = url_hash(url);
  pthread_mutex_unlock(&udp_lock);
}

/* DESCRIBE, SETUP and PLAY over one transport; s->fmt is NULL again after a failure. */
static int open_input(rtsp_source_t *s, const char *url, bool udp) {
  if (!(s->fmt = avformat_alloc_context()))
    return s->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  s->fmt->interrupt_callback = valkka_media_interrupt_cb(&s->irq);
  s->udp = udp;
  AVDictionary *opts = NULL;
  av_dict_set(&opts, "rtsp_transport", udp ? "udp" : "tcp", 0);
  /* Over UDP nothing resends what a full socket buffer drops: a recorder starved of the CPU for
     a moment (a loaded machine) must not lose frames. 4 MiB is seconds of a camera's stream; the
     kernel caps it at net.core.rmem_max. */
  if (udp) av_dict_set(&opts, "buffer_size", "4194304", 0);
  /* The socket's own limit backs up the deadline of each call. */
  av_dict_set_int(&opts, "timeout", (int64_t)s->options.timeout_ms * 1000, 0);
  /* A camera's metadata is not recorded (nor its sound, when not asked for): not even set up. */
  av_dict_set(&opts, "allowed_media_types", s->options.audio ? "video+audio" : "video", 0);
  valkka_media_interrupt_arm(&s->irq, s->options.timeout_ms);
  /* The URL goes to libavformat and nowhere else: messages use the redacted copy. */
  int err = avformat_open_input(&s->fmt, url, av_find_input_format("rtsp"), &opts);
  av_dict_free(&opts);
  return err; /* avformat_open_input frees the context on failure */
}

/* The server answered SETUP with 461 Unsupported transport for `udp`'s transport. */
static int transport_refused(rtsp_source_t *s, bool udp) {
  return s->host->error_set(VALKKA_ECONN,
                            MODULE ": %s: server refused %s transport (461 Unsupported "
                                   "transport): try transport=%s",
                            s->shown, udp ? "UDP" : "TCP", udp ? "tcp" : "udp");
}

int rtsp_source_connect(rtsp_source_t *s, const char *url) {
  const valkka_host_t *host = s->host;
  if (!(s->next.pkt = av_packet_alloc()))
    return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  const rtsp_transport_t asked = s->options.transport;
  const bool udp = asked == RTSP_UDP || (asked == RTSP_AUTO && udp_remembered(url));
  int err = open_input(s, url, udp);
  if (err == AVERROR(EPROTONOSUPPORT) && asked == RTSP_AUTO && !udp &&
      !valkka_media_interrupt_fired(&s->irq)) {
    /* One UDP attempt, as ffmpeg's and VLC's clients fall back; remembered for reconnects. */
    host->log(VALKKA_LOG_WARN, MODULE,
              "%s: server refused TCP transport (461 Unsupported transport): using UDP", s->shown);
    udp_remember(url);
    err = open_input(s, url, true);
  }
  if (err == AVERROR(EPROTONOSUPPORT))
    err = transport_refused(s, s->udp);
  else if (err < 0)
    err = connect_error(s, err, "connect");
  else if (!(err = pick_stream(s)) && (!s->options.probe || !(err = probe(s)))) {
    take_shape(s);
    err = take_config(s);
  }
  valkka_media_interrupt_arm(&s->irq, -1);
  if (err) return err;
  rtsp_clock_init(&s->clock, s->options.clock_tolerance_ms);
  rtsp_clock_init(&s->audio_clock, s->options.clock_tolerance_ms);
  s->camera_clock = (rtsp_clock_session_t){0};
  rtsp_clock_share(&s->clock, &s->camera_clock, false);
  rtsp_clock_share(&s->audio_clock, &s->camera_clock, true);
  return rtsp_demux_start(&s->demux, host, s->shown, s->fmt, s->stream, s->audio_stream,
                          s->options.timeout_ms, &s->irq);
}

void rtsp_source_release(rtsp_source_t *s) {
  valkka_media_interrupt_fire(&s->irq);
  rtsp_demux_stop(&s->demux);
  if (s->fmt) {
    /* The TEARDOWN frees the server's session at once; a dead server gets a short wait. */
    s->fmt->interrupt_callback = valkka_media_interrupt_cb(&s->close_irq);
    valkka_media_interrupt_arm(&s->close_irq, CLOSE_TIMEOUT_MS);
  }
  avformat_close_input(&s->fmt);
  av_packet_free(&s->next.pkt);
  free(s->config);
  s->config = NULL;
  s->config_size = s->config_cap = 0;
  free(s->audio_config);
  s->audio_config = NULL;
}
