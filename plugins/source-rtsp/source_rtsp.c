/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * source-rtsp: an RTSP camera through libavformat's RTSP demuxer, H.264 or H.265 video.
 * Options: transport (auto | tcp | udp; auto: TCP, and UDP for a server that refuses TCP, as
 * ffmpeg's and VLC's clients do), timeout_ms (connecting, and every socket wait; 5000),
 * clock_tolerance_ms (how far the camera's RTCP clock may be from ours and still time the frames;
 * 5000), probe (1: analyse the stream at open so info() knows size and rate at once; 0), audio
 * (1: the camera's first AAC, G.711 or Opus track goes out too, as audio frames; 0: not set up).
 * Frames go out in Annex B: a CONFIG frame before the first keyframe and whenever the in-band
 * parameter sets change, then ENCODED frames from the first keyframe on, in decode order with
 * their presentation offsets (rtsp_reorder.h). Nothing blocks without
 * bound: open has a deadline, a demuxing thread reads the socket (rtsp_demux.h says why) and
 * read() waits for it at most its timeout; interrupt() ends a waiting read at once.
 * Credentials in the URL reach libavformat only: every message shows the URL without them.
 */
#include <stdlib.h>
#include <string.h>

#include "media_frame.h"
#include "rtsp_source.h"

static void rtsp_close(void *instance) {
  rtsp_source_t *s = instance;
  rtsp_source_release(s);
  free(s);
}

static int rtsp_open(const valkka_host_t *host, const char *url, const valkka_option_t *options,
                     size_t n_options, void **instance) {
  if (!url || !*url) return host->error_set(VALKKA_EINVAL, MODULE ": empty URL");
  rtsp_options_t opts;
  int err = rtsp_options_parse(host, options, n_options, &opts);
  if (err) return err;
  rtsp_source_t *s = calloc(1, sizeof *s);
  if (!s) return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  s->host = host;
  s->options = opts;
  host->url_redact(url, VALKKA_URL_REDACT_WHOLE, s->shown, sizeof s->shown);
  valkka_media_interrupt_init(&s->irq);
  if ((err = rtsp_source_connect(s, url))) {
    rtsp_close(s);
    return err;
  }
  host->log(VALKKA_LOG_DEBUG, MODULE, "%s: %s over %s, %ux%u", s->shown,
            s->codec == VALKKA_CODEC_H264 ? "H.264" : "H.265", s->udp ? "udp" : "tcp", s->width,
            s->height);
  *instance = s;
  return 0;
}

static int rtsp_read(void *instance, valkka_frame_t *frame, int timeout_ms) {
  rtsp_source_t *s = instance;
  if (valkka_media_interrupt_fired(&s->irq)) return VALKKA_EINTR;
  int err;
  if (!s->pending && (err = rtsp_source_next_packet(s, timeout_ms))) return err;
  if (s->pending_audio) {
    if (s->audio_config_due) {
      err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_CONFIG, s->audio_codec, 0,
                                    s->pending_mstime, s->audio_config, s->audio_config_size);
      if (!err) s->audio_config_due = false;
      return err;
    }
    AVPacket *pkt = s->next.pkt;
    err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_ENCODED, s->audio_codec,
                                  VALKKA_FRAME_KEYFRAME, s->pending_mstime, pkt->data,
                                  (uint32_t)pkt->size);
    av_packet_unref(pkt);
    s->pending = false;
    return err;
  }
  /* New parameter sets go out just before the frame that brought them, at its time. */
  if (s->config_due) {
    err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_CONFIG, s->codec, 0,
                                  s->pending_mstime, s->config, s->config_size);
    if (!err) s->config_due = false;
    return err;
  }
  AVPacket *pkt = s->next.pkt;
  uint32_t flags = (pkt->flags & AV_PKT_FLAG_KEY) ? VALKKA_FRAME_KEYFRAME : 0;
  err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_ENCODED, s->codec, flags,
                                s->pending_mstime, pkt->data, (uint32_t)pkt->size);
  if (!err) frame->pts_offset = s->pending_pts_offset;
  av_packet_unref(pkt);
  s->pending = false;
  return err;
}

static int rtsp_interrupt(void *instance) {
  rtsp_source_t *s = instance;
  valkka_media_interrupt_fire(&s->irq);
  rtsp_demux_wake(&s->demux);
  return 0;
}

static int rtsp_info(void *instance, valkka_source_info_t *info) {
  const rtsp_source_t *s = instance;
  valkka_media_info_fill(info, s->codec, s->width, s->height, s->fps_num, s->fps_den);
  if (VALKKA_HAS_FIELD(info, valkka_source_info_t, transport))
    info->transport = s->udp ? "udp" : "tcp";
  return 0;
}

static const valkka_source_vtable_t vtable = {
    .struct_size = sizeof(valkka_source_vtable_t),
    .open = rtsp_open,
    .read = rtsp_read,
    .interrupt = rtsp_interrupt,
    .close = rtsp_close,
    .info = rtsp_info,
};

/* What rtsp_options_parse reads, the keys a camera's config may give this source. */
static const valkka_plugin_option_t options[] = {
    {"transport", "auto (default: TCP, UDP for a camera that refuses TCP), tcp or udp"},
    {"timeout_ms", "connecting and every socket wait, 100 .. 600000 ms (default 5000)"},
    {"clock_tolerance_ms", "how far the camera's RTCP clock may be from ours, ms (default 5000)"},
    {"probe", "1: analyse the stream for its size and rate when the SDP lacks them (default 0)"},
    {"audio", "1 (default): set up the camera's sound too; 0: video only"},
    {NULL, NULL},
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_SOURCE,
    .name = "source-rtsp",
    .version = "1.0.0",
    .description = "H.264/H.265 RTSP cameras (libavformat), TCP or UDP, camera-clock timestamps",
    .vtable = &vtable,
    .options = options,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
