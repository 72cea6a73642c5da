/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state of one source-rtsp instance, shared by its connection, packet pump and plugin glue. */
#ifndef VALKKA_SOURCE_RTSP_H
#define VALKKA_SOURCE_RTSP_H

#include <stdbool.h>
#include <stdint.h>

#include <libavformat/avformat.h>

#include "media_interrupt.h"
#include "rtsp_clock.h"
#include "rtsp_rebase.h"
#include "rtsp_reorder.h"
#include "rtsp_demux.h"

#define MODULE "source-rtsp"

/* "transport": auto (TCP; UDP once a server refuses TCP, remembered per URL), tcp or udp. */
typedef enum rtsp_transport { RTSP_AUTO, RTSP_TCP, RTSP_UDP } rtsp_transport_t;

typedef struct rtsp_options {
  rtsp_transport_t transport;
  int timeout_ms;         /* "timeout_ms": connecting; silence that ends a stream */
  int clock_tolerance_ms; /* "clock_tolerance_ms": how far the camera's clock may be off */
  bool probe;             /* "probe": analyse the stream at open (size, frame rate) */
  bool audio;             /* "audio": set up the camera's sound too (default 1) */
} rtsp_options_t;

typedef struct rtsp_source {
  const valkka_host_t *host;
  rtsp_options_t options;
  char shown[512];                    /* the URL without credentials: the only form in messages */
  valkka_media_interrupt_t irq;       /* interrupt() and close; the open deadline */
  valkka_media_interrupt_t close_irq; /* bounds the TEARDOWN at close */
  AVFormatContext *fmt;
  bool udp; /* the transport in use */
  int stream;
  uint32_t codec;
  uint32_t width, height, fps_num, fps_den;
  rtsp_demux_t demux;
  rtsp_clock_t clock;
  /* the first recorded audio track, when there is one: timed by its own clock */
  int audio_stream; /* -1: none */
  uint32_t audio_codec;
  uint8_t *audio_config; /* the CONFIG payload (frame.h) */
  uint32_t audio_config_size;
  bool audio_config_due;
  rtsp_clock_t audio_clock;
  rtsp_clock_session_t camera_clock; /* the session's camera clock on ours, for both clocks */
  bool pending_audio;                /* the pending packet is sound */
  rtsp_reorder_t reorder;            /* decode times from RTP's presentation times */
  bool reorder_known;                /* its depth was read from the first keyframe */
  rtsp_rebase_t rebase; /* its presentation times kept on their grid (zeroed: not followed) */

  rtsp_demuxed_t next; /* the frame to deliver, once `pending`; next.pkt always allocated */
  bool pending;
  int64_t pending_mstime;
  int32_t pending_pts_offset;
  bool seen_key; /* frames before the first keyframe cannot be decoded: skipped */

  /* The parameter sets in force (Annex B); a CONFIG frame goes out when they are new. */
  uint8_t *config;
  uint32_t config_size, config_cap;
  bool config_due;
  bool shape_due; /* size (and rate) to be read from the next keyframe with the config */
} rtsp_source_t;

/** Reads the plugin's options into `opts`. Errors: VALKKA_EINVAL naming the option. */
int rtsp_options_parse(const valkka_host_t *host, const valkka_option_t *options, size_t n,
                       rtsp_options_t *opts);

/**
 * Connects to `url` (DESCRIBE, SETUP, PLAY) within the open timeout, picks the video stream,
 * takes its parameter sets from the SDP and starts the demuxing thread. Errors: VALKKA_ECONN,
 * VALKKA_ENOENT (404), VALKKA_EACCES, VALKKA_ETIMEDOUT, VALKKA_EFORMAT, VALKKA_ECODEC (not
 * H.264/H.265), VALKKA_EINTR, VALKKA_ENOMEM, each with the redacted URL and the reason.
 */
int rtsp_source_connect(rtsp_source_t *s, const char *url);

/** Stops the demuxing thread and frees what rtsp_source_connect set up; fine when partial. */
void rtsp_source_release(rtsp_source_t *s);

/**
 * Makes `s->next` the next frame (pending = true) with its mstime, and sets config_due when new
 * parameter sets come with it. Returns VALKKA_ETIMEDOUT when none came within `timeout_ms`,
 * VALKKA_EINTR after an interrupt, VALKKA_ECONN when the server ends the stream,
 * VALKKA_ETIMEDOUT with a message when it went silent for the timeout, another code on failure.
 */
int rtsp_source_next_packet(rtsp_source_t *s, int timeout_ms);

/** Replaces the parameter sets in force with `size` bytes; the next read sends them as CONFIG. */
int rtsp_source_set_config(rtsp_source_t *s, const uint8_t *data, size_t size);

#endif
