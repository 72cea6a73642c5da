#include <stdlib.h>
#include <string.h>

#include "annexb.h"
#include "media_shape.h"
#include "rtsp_source.h"

/* The parameter sets a keyframe carries in-band; new ones become the config in force. */
static int track_config(rtsp_source_t *s, const AVPacket *pkt) {
  size_t size = (size_t)pkt->size;
  size_t needed = valkka_annexb_param_sets(s->codec, pkt->data, size, NULL, 0);
  if (!needed) return 0;
  uint8_t *sets = malloc(needed);
  if (!sets) return s->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  valkka_annexb_param_sets(s->codec, pkt->data, size, sets, needed);
  int err = 0;
  if (needed != s->config_size || memcmp(sets, s->config, needed) != 0)
    err = rtsp_source_set_config(s, sets, needed);
  free(sets);
  return err;
}

/* Fills in what the SDP did not say: the size, and the rate when the SPS has timing. */
static void take_shape(rtsp_source_t *s, const AVPacket *pkt) {
  s->shape_due = false;
  valkka_media_shape_t shape;
  if (valkka_media_shape_parse(s->codec, s->config, s->config_size, pkt->data, (size_t)pkt->size,
                               &shape) != 0)
    return;
  s->width = shape.width;
  s->height = shape.height;
  if (!s->fps_num && shape.fps_num) {
    s->fps_num = shape.fps_num;
    s->fps_den = shape.fps_den;
  }
}

/* The nominal frame interval, 1 ms when the stream does not say. */
static int64_t frame_step_ms(const rtsp_source_t *s) {
  int64_t step = s->fps_num && s->fps_den ? (int64_t)1000 * s->fps_den / s->fps_num : 1;
  return step < 1 ? 1 : step;
}

/*
 * libavformat gives a session's first packet no pts. When the next packet is already here (a
 * burst: a camera sending what it buffered, or frames held up on the way), this one is timed one
 * frame before it: timed by its arrival instead, it would be later than the burst's older frames
 * and carry them ahead of our clock.
 */
static void time_from_next(rtsp_source_t *s) {
  rtsp_demuxed_t after;
  if (!rtsp_demux_peek(&s->demux, &after) || after.audio || after.pts_ms == RTSP_CLOCK_UNKNOWN)
    return;
  int64_t step = frame_step_ms(s);
  s->next.pts_ms = after.pts_ms - step;
  if (after.camera_ms != RTSP_CLOCK_UNKNOWN) s->next.camera_ms = after.camera_ms - step;
}

/*
 * RTP times frames by presentation; the record keeps decode times (monotonic) and each frame's
 * offset to its presentation, so the clock below runs on decode times, the camera's too.
 */
static void time_packet(rtsp_source_t *s) {
  int64_t pts = s->next.pts_ms, camera = s->next.camera_ms, offset = 0, dts = pts;
  if (pts != RTSP_CLOCK_UNKNOWN) {
    dts = rtsp_reorder_dts(&s->reorder, pts, frame_step_ms(s));
    offset = pts - dts;
    if (offset > VALKKA_PTS_OFFSET_MAX) offset = VALKKA_PTS_OFFSET_MAX;
    if (camera != RTSP_CLOCK_UNKNOWN) camera -= offset;
  }
  s->pending_mstime = rtsp_clock_time(&s->clock, s->next.arrival_ms, dts, camera);
  s->pending_pts_offset = (int32_t)offset;
}

/* Sound, on its own clock; none before the first picture, which it could not go with. */
static int take_audio(rtsp_source_t *s) {
  if (!s->seen_key || s->next.pkt->size <= 0 || s->next.pts_ms == RTSP_CLOCK_UNKNOWN) {
    av_packet_unref(s->next.pkt);
    return 0;
  }
  s->pending_mstime =
      rtsp_clock_time(&s->audio_clock, s->next.arrival_ms, s->next.pts_ms, s->next.camera_ms);
  s->pending_pts_offset = 0;
  s->pending_audio = true;
  s->pending = true;
  return 0;
}

/* Takes the demuxed packet, or drops it (empty, or before the first keyframe). */
static int take_packet(rtsp_source_t *s) {
  if (s->next.audio) return take_audio(s);
  s->pending_audio = false;
  AVPacket *pkt = s->next.pkt;
  bool key = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
  if ((!s->seen_key && !key) || pkt->size <= 0) {
    av_packet_unref(pkt);
    return 0;
  }
  int err;
  if (key && (err = track_config(s, pkt))) {
    av_packet_unref(pkt);
    return err;
  }
  if (key && s->shape_due) take_shape(s, pkt);
  s->seen_key = true;
  if (key && !s->reorder_known) {
    int depth = valkka_media_reorder_depth(s->codec, s->config, s->config_size, pkt->data,
                                           (size_t)pkt->size);
    rtsp_reorder_init(&s->reorder, depth > 0 ? depth : 0);
    s->reorder_known = true;
  }
  if (s->next.pts_ms == RTSP_CLOCK_UNKNOWN) time_from_next(s);
  time_packet(s);
  s->pending = true;
  return 0;
}

int rtsp_source_next_packet(rtsp_source_t *s, int timeout_ms) {
  const valkka_host_t *host = s->host;
  int64_t until = host->clock_mono_us() + (int64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000;
  int err = 0;
  while (!s->pending && !err) {
    int64_t left_ms = (until - host->clock_mono_us()) / 1000;
    err = rtsp_demux_take(&s->demux, left_ms > 0 ? (int)left_ms : 0, &s->next);
    if (!err) err = take_packet(s);
  }
  return err;
}
