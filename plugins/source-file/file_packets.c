/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "annexb.h"
#include "file_source.h"
#include "media_error.h"

/* Starts the next pass of a looping file right after the last frame of this one. */
static int rewind_file(file_source_t *s) {
  AVStream *st = s->fmt->streams[s->stream];
  int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
  int err = av_seek_frame(s->fmt, s->stream, start, AVSEEK_FLAG_BACKWARD);
  if (err < 0) return valkka_media_error_set(s->host, err, VALKKA_EIO, MODULE ": rewind to loop");
  av_bsf_flush(s->bsf);
  s->bsf_draining = false;
  s->seen_key = false;
  s->pass_frames = 0;
  s->first_ts = AV_NOPTS_VALUE;
  s->pass_offset_us = s->last_offset_us + s->frame_us;
  while (s->audio_count) file_source_audio_pop(s); /* past the pass's last video frame */
  return 0;
}

file_audio_packet_t *file_source_audio_head(file_source_t *s) {
  return s->audio_count ? &s->audio[s->audio_head] : NULL;
}

void file_source_audio_pop(file_source_t *s) {
  if (!s->audio_count) return;
  av_packet_unref(s->audio[s->audio_head].pkt);
  s->audio_head = (s->audio_head + 1) % FILE_AUDIO_QUEUE;
  s->audio_count--;
}

/*
 * An audio packet, timed on the video's timeline: the same offset from the pass's first video
 * decode time as in the file. Sound before the first picture of a pass is not kept (there is no
 * picture to go with it); a full queue drops its oldest packet (counted).
 */
static void queue_audio(file_source_t *s, AVPacket *pkt) {
  const AVStream *st = s->fmt->streams[s->audio_stream];
  int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
  if (!s->seen_key || s->first_ts == AV_NOPTS_VALUE || ts == AV_NOPTS_VALUE || pkt->size <= 0) {
    av_packet_unref(pkt);
    return;
  }
  int64_t offset = s->pass_offset_us + av_rescale_q(ts, st->time_base, (AVRational){1, 1000000}) -
                   s->first_us;
  if (offset < s->pass_offset_us) {
    av_packet_unref(pkt);
    return;
  }
  if (s->audio_count == FILE_AUDIO_QUEUE) {
    file_source_audio_pop(s);
    s->audio_dropped++;
  }
  file_audio_packet_t *a = &s->audio[(s->audio_head + s->audio_count) % FILE_AUDIO_QUEUE];
  av_packet_move_ref(a->pkt, pkt);
  a->offset_us = offset;
  s->audio_count++;
}

/* Times come from dts: in decode order they never go back, even with B-frames. */
static int64_t offset_of(file_source_t *s, const AVPacket *pkt) {
  int64_t ts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
  int64_t offset;
  if (ts == AV_NOPTS_VALUE) {
    offset = s->last_offset_us + s->frame_us;
  } else {
    if (s->first_ts == AV_NOPTS_VALUE) {
      s->first_ts = ts;
      s->first_us = av_rescale_q(ts, s->bsf->time_base_out, (AVRational){1, 1000000});
    }
    offset = s->pass_offset_us +
             av_rescale_q(ts - s->first_ts, s->bsf->time_base_out, (AVRational){1, 1000000});
  }
  if (offset < s->last_offset_us) offset = s->last_offset_us;
  s->last_offset_us = offset;
  return offset;
}

/* How much later than it is decoded the packet is shown: 0 unless B-frames reorder it. */
static int64_t pts_delta_of(file_source_t *s, const AVPacket *pkt) {
  if (pkt->pts == AV_NOPTS_VALUE || pkt->dts == AV_NOPTS_VALUE || pkt->pts <= pkt->dts) return 0;
  return av_rescale_q(pkt->pts - pkt->dts, s->bsf->time_base_out, (AVRational){1, 1000000});
}

/*
 * The parameter sets a keyframe carries in-band. A raw stream without extradata learns its
 * configuration from them; later ones that differ, with an SPS among them, are a camera changing
 * its stream (size, profile) mid-stream: they become the configuration in force and go out as a
 * CONFIG just before this keyframe (as source-rtsp does), so that what is recorded before every
 * later keyframe is what decodes it.
 */
static int track_config(file_source_t *s, const AVPacket *pkt) {
  size_t n = (size_t)pkt->size;
  size_t used = valkka_annexb_param_sets(s->codec, pkt->data, n, NULL, 0);
  if (!used) return 0;
  uint8_t *sets = malloc(used);
  if (!sets) return s->host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  valkka_annexb_param_sets(s->codec, pkt->data, n, sets, used);
  const bool same = s->config && used == s->config_size && memcmp(sets, s->config, used) == 0;
  /* A keyframe that repeats only some of the sets (a PPS) leaves the configuration whole. */
  if (same || (s->config && !valkka_annexb_has_sps(s->codec, sets, used))) {
    free(sets);
    return 0;
  }
  free(s->config);
  s->config = sets;
  s->config_size = (uint32_t)used;
  s->config_sent = false;
  return 0;
}

/* Feeds the bsf one packet of our stream, or tells it the file ended. */
static int feed_bsf(file_source_t *s) {
  for (;;) {
    int err = av_read_frame(s->fmt, s->demuxed);
    if (err == AVERROR_EOF || (err < 0 && s->fmt->pb && avio_feof(s->fmt->pb))) {
      s->bsf_draining = true;
      err = av_bsf_send_packet(s->bsf, NULL);
      return err < 0 ? valkka_media_error_set(s->host, err, VALKKA_EIO, MODULE ": bsf") : 0;
    }
    if (err < 0) {
      if (valkka_pacer_interrupted(&s->pacer)) return VALKKA_EINTR;
      return valkka_media_error_set(s->host, err, VALKKA_EIO, MODULE ": read");
    }
    if (s->demuxed->stream_index == s->audio_stream) {
      queue_audio(s, s->demuxed);
      continue;
    }
    if (s->demuxed->stream_index != s->stream) {
      av_packet_unref(s->demuxed);
      continue;
    }
    err = av_bsf_send_packet(s->bsf, s->demuxed);
    av_packet_unref(s->demuxed);
    return err < 0 ? valkka_media_error_set(s->host, err, VALKKA_EIO, MODULE ": bsf") : 0;
  }
}

int file_source_next_packet(file_source_t *s) {
  for (;;) {
    if (valkka_pacer_interrupted(&s->pacer)) return VALKKA_EINTR;
    int err = av_bsf_receive_packet(s->bsf, s->out);
    if (err == 0) {
      if (!s->seen_key && !(s->out->flags & AV_PKT_FLAG_KEY)) {
        av_packet_unref(s->out);
        continue;
      }
      if ((s->out->flags & AV_PKT_FLAG_KEY) && (err = track_config(s, s->out))) {
        av_packet_unref(s->out);
        return err;
      }
      s->seen_key = true;
      s->out_offset_us = offset_of(s, s->out);
      s->out_pts_delta_us = pts_delta_of(s, s->out);
      s->pending = true;
      s->pass_frames++;
      return 0;
    }
    if (err == AVERROR_EOF) {
      if (!s->loop) return VALKKA_EOS;
      if (!s->pass_frames)
        return s->host->error_set(VALKKA_EIO, MODULE ": no keyframe in the whole file");
      if ((err = rewind_file(s))) return err;
      continue;
    }
    if (err != AVERROR(EAGAIN))
      return valkka_media_error_set(s->host, err, VALKKA_EIO, MODULE ": bsf");
    if (s->bsf_draining) return VALKKA_EOS;
    if ((err = feed_bsf(s))) return err;
  }
}
