/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state of one source-file instance, shared by its opening, packet pump and plugin glue. */
#ifndef VALKKA_SOURCE_FILE_H
#define VALKKA_SOURCE_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>

#include "pacer.h"

#define MODULE "source-file"

/* Audio packets demuxed ahead of the video frame they go out with (containers interleave). */
#define FILE_AUDIO_QUEUE 256

typedef struct file_audio_packet {
  AVPacket *pkt;
  int64_t offset_us;
} file_audio_packet_t;

typedef struct file_source {
  const valkka_host_t *host;
  valkka_pacer_t pacer;
  bool pacer_ready;
  bool loop;
  AVFormatContext *fmt;
  AVBSFContext *bsf; /* avcC/hvcC -> Annex B; passes Annex B input through */
  AVPacket *demuxed;
  AVPacket *out; /* the next frame to deliver, once `pending` */
  bool pending;
  bool out_timed; /* the pending frame waited for its time: out_mstime */
  int64_t out_mstime;
  int64_t out_offset_us;
  int64_t out_pts_delta_us; /* its presentation time - its decode time (B-frames) */
  int stream;
  uint32_t codec;
  uint32_t width, height, fps_num, fps_den;
  uint8_t *config; /* VPS/SPS/PPS in force, Annex B; NULL until known */
  uint32_t config_size;
  bool config_sent;  /* false: it goes out before the pending frame */
  bool seen_key;     /* frames before the first keyframe are undecodable: skipped */
  bool bsf_draining; /* the demuxer hit the end and the bsf was told so */
  bool eos;
  uint64_t pass_frames;   /* frames delivered by the current pass: none means nothing to loop */
  int64_t frame_us;       /* nominal frame duration, for frames without timestamps */
  int64_t first_ts;       /* first dts of the current pass, AV_NOPTS_VALUE until seen */
  int64_t pass_offset_us; /* where the current pass starts on our timeline */
  int64_t last_offset_us;
  /* the first recorded audio track, when there is one */
  int audio_stream; /* -1: none */
  uint32_t audio_codec;
  uint8_t *audio_config; /* the CONFIG payload (frame.h) */
  uint32_t audio_config_size;
  bool audio_config_sent;
  int64_t first_us; /* the pass's first video decode time, in us, for audio times */
  file_audio_packet_t audio[FILE_AUDIO_QUEUE];
  unsigned audio_head, audio_count;
  uint64_t audio_dropped;
} file_source_t;

/** Opens the container, picks the video stream, sets up the bsf and the config. */
int file_source_open(file_source_t *s, const char *path);

/** Frees everything file_source_open set up; fine on a partly opened source. */
void file_source_release(file_source_t *s);

/** The oldest queued audio packet, or NULL. */
file_audio_packet_t *file_source_audio_head(file_source_t *s);
/** Drops the oldest queued audio packet. */
void file_source_audio_pop(file_source_t *s);

/**
 * Makes `s->out` the next frame in Annex B with its offset on the timeline (pending = true),
 * rewinding at the end when looping. Errors: VALKKA_EOS, VALKKA_EINTR, VALKKA_EIO.
 */
int file_source_next_packet(file_source_t *s);

#endif
