/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

/* The exact frame interval, 0 when the stream does not say. */
static double frame_interval_ms(const rtsp_source_t *s) {
  return s->fps_num && s->fps_den ? 1000.0 * s->fps_den / s->fps_num : 0;
}

/*
 * libavformat gives a session's first packet no pts. When packets behind it are already here (a
 * burst: a camera sending what it buffered, or frames held up on the way), this one, a keyframe
 * and so shown first, is timed one frame before the earliest of theirs (with B-frames that is
 * not the next one's): timed by its arrival instead, it would be later than the burst's older
 * frames and carry them ahead of our clock.
 */
static void time_from_next(rtsp_source_t *s, const rtsp_demuxed_t *q, unsigned n) {
  const rtsp_demuxed_t *first = NULL;
  for (unsigned i = 0; i < n; i++)
    if (!q[i].audio && q[i].pts_ms != RTSP_CLOCK_UNKNOWN && (!first || q[i].pts_ms < first->pts_ms))
      first = &q[i];
  if (!first) return;
  int64_t step = frame_step_ms(s);
  s->next.pts_ms = first->pts_ms - step;
  if (first->camera_ms != RTSP_CLOCK_UNKNOWN) s->next.camera_ms = first->camera_ms - step;
}

/* The presentation times of up to `max` video frames among q[from..n). */
static unsigned video_times(const rtsp_demuxed_t *q, unsigned from, unsigned n, int64_t *out,
                            unsigned max) {
  unsigned k = 0;
  for (unsigned i = from; i < n && k < max; i++)
    if (!q[i].audio && q[i].pts_ms != RTSP_CLOCK_UNKNOWN) out[k++] = q[i].pts_ms;
  return k;
}

/*
 * A video frame's presentation time: a reordering stream's kept on its grid (rtsp_rebase.h),
 * told by the frames after it among q[from..n).
 */
static int64_t video_pts(rtsp_rebase_t *rebase, int64_t pts_ms, const rtsp_demuxed_t *q,
                         unsigned from, unsigned n) {
  int64_t next[RTSP_REBASE_MAX_NEXT];
  unsigned k = video_times(q, from, n, next, RTSP_REBASE_MAX_NEXT);
  return rtsp_rebase_pts(rebase, pts_ms, next, k);
}

/*
 * The frames of a stream that have arrived behind this one (the demux reads ahead, q[0..n)) join
 * the clock's anchor before it is timed: a burst sent ahead of real time then keeps its spacing.
 * Video frames go by their decode times (a copy of the reordering works them out, as it will
 * when they are taken). A frame that would move the anchor back by more than
 * RTSP_CLOCK_REANCHOR_MS is a media clock that jumped, not a burst: it and those after it wait
 * for their turn.
 */
static void sample_queued(rtsp_source_t *s, bool audio, int64_t own_sample, const rtsp_demuxed_t *q,
                          unsigned n) {
  rtsp_reorder_t reorder = s->reorder;
  rtsp_rebase_t rebase = s->rebase;
  rtsp_clock_t *clock = audio ? &s->audio_clock : &s->clock;
  for (unsigned i = 0; i < n; i++) {
    if (q[i].audio != audio || q[i].pts_ms == RTSP_CLOCK_UNKNOWN) continue;
    int64_t t = audio ? q[i].pts_ms
                      : rtsp_reorder_dts(&reorder, video_pts(&rebase, q[i].pts_ms, q, i + 1, n),
                                         frame_step_ms(s));
    if (own_sample - (q[i].arrival_ms - t) > RTSP_CLOCK_REANCHOR_MS) break;
    rtsp_clock_sample(clock, q[i].arrival_ms, t);
  }
}

/*
 * How long a frame waits for the frames after it where they tell how to time it: a session's
 * first frame of a reordering stream (those that precede the first shown picture in decode order
 * come at once: a server sends what is due before its clock starts; timed without them the first
 * frames would be squashed 1 ms apart and their pictures shown out of order), and a frame of a
 * stream whose presentation times are kept on their grid when it, with the frames already here,
 * tells of a jump (rtsp_rebase.h: the reordering depth and one more, a few more where a jump
 * leaves two ways to take it out). A bound, not a delay: the frames waited for are due within
 * that many intervals. Frames that tell of nothing do not wait (a held frame holds the sound
 * queued behind it, and what a stop then drops would cut the sound short of the pictures) until
 * the stream has jumped RTSP_REBASE_JUMPY times; from then on every frame waits.
 */
#define RTSP_LOOKAHEAD_WAIT_MS 500

/* The frames queued behind the one being timed, as many as its presentation time needs. */
static unsigned lookahead(rtsp_source_t *s, bool first, rtsp_demuxed_t *q) {
  int64_t until = s->host->clock_mono_us() + (int64_t)RTSP_LOOKAHEAD_WAIT_MS * 1000;
  if (first && s->reorder.depth > 0)
    rtsp_demux_wait_video(&s->demux, (unsigned)s->reorder.depth + 1, RTSP_LOOKAHEAD_WAIT_MS);
  unsigned n = rtsp_demux_stamps(&s->demux, q, RTSP_DEMUX_QUEUE);
  while (s->next.pts_ms != RTSP_CLOCK_UNKNOWN) {
    int64_t next[RTSP_REBASE_MAX_NEXT];
    unsigned k = video_times(q, 0, n, next, RTSP_REBASE_MAX_NEXT);
    unsigned want = rtsp_rebase_wants(&s->rebase, s->next.pts_ms, next, k);
    int64_t left_ms = (until - s->host->clock_mono_us()) / 1000;
    if (want <= k || left_ms <= 0) break;
    rtsp_demux_wait_video(&s->demux, want, (int)left_ms);
    unsigned more = rtsp_demux_stamps(&s->demux, q, RTSP_DEMUX_QUEUE);
    if (more == n) break; /* none came in time: the stream stalls or ends */
    n = more;
  }
  return n;
}

/*
 * RTP times frames by presentation; the record keeps decode times (monotonic) and each frame's
 * offset to its presentation, so the clock below runs on decode times, the camera's too.
 */
static void time_packet(rtsp_source_t *s, bool first) {
  rtsp_demuxed_t q[RTSP_DEMUX_QUEUE];
  unsigned n = lookahead(s, first, q);
  if (s->next.pts_ms == RTSP_CLOCK_UNKNOWN) time_from_next(s, q, n);
  int64_t pts = s->next.pts_ms, camera = s->next.camera_ms, offset = 0, dts = pts;
  if (pts != RTSP_CLOCK_UNKNOWN) {
    pts = video_pts(&s->rebase, pts, q, 0, n);
    /*
     * The camera's time stays libavformat's, the jump in it too: a sender report moves the
     * session's sound with it, and the clock keeps the frames in order through a step back.
     */
    dts = rtsp_reorder_dts(&s->reorder, pts, frame_step_ms(s));
    offset = pts - dts;
    if (offset > VALKKA_PTS_OFFSET_MAX) offset = VALKKA_PTS_OFFSET_MAX;
    if (camera != RTSP_CLOCK_UNKNOWN) camera -= offset;
    sample_queued(s, false, s->next.arrival_ms - dts, q, n);
  }
  bool key = (s->next.pkt->flags & AV_PKT_FLAG_KEY) != 0;
  s->clock.reorders = s->reorder.depth > 0;
  s->pending_mstime = rtsp_clock_time_gop(&s->clock, s->next.arrival_ms, dts, camera, key);
  s->pending_pts_offset = (int32_t)offset;
}

/* Sound, on its own clock; none before the first picture, which it could not go with. */
static int take_audio(rtsp_source_t *s) {
  if (!s->seen_key || s->next.pkt->size <= 0 || s->next.pts_ms == RTSP_CLOCK_UNKNOWN) {
    av_packet_unref(s->next.pkt);
    return 0;
  }
  rtsp_demuxed_t q[RTSP_DEMUX_QUEUE];
  unsigned n = rtsp_demux_stamps(&s->demux, q, RTSP_DEMUX_QUEUE);
  sample_queued(s, true, s->next.arrival_ms - s->next.pts_ms, q, n);
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
  bool first = !s->seen_key;
  s->seen_key = true;
  if (key && !s->reorder_known) {
    int depth = valkka_media_reorder_depth(s->codec, s->config, s->config_size, pkt->data,
                                           (size_t)pkt->size);
    rtsp_reorder_init(&s->reorder, depth > 0 ? depth : 0);
    if (depth > 0) rtsp_rebase_init(&s->rebase, frame_interval_ms(s), depth);
    s->reorder_known = true;
  }
  time_packet(s, first);
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
