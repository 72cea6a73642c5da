/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The demuxing thread of a source-rtsp instance. libavformat's RTSP client reads the interleaved
 * TCP stream message by message; a call abandoned half-way (by a deadline in the interrupt
 * callback) leaves the rest of the message in the socket and the session out of step, which ends
 * it a little later. So av_read_frame runs here, uninterrupted but for close and interrupt(),
 * bounded by the socket timeout; read() waits for its packets with its own deadline instead.
 */
#ifndef VALKKA_RTSP_DEMUX_H
#define VALKKA_RTSP_DEMUX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <libavformat/avformat.h>

#include "media_interrupt.h"

/* Packets demuxed ahead of the reader; the thread waits when they are all taken. */
#define RTSP_DEMUX_QUEUE 32

/** A packet as it arrived: its media time, and the camera's wall time for it when known. */
typedef struct rtsp_demuxed {
  AVPacket *pkt;
  int64_t arrival_ms; /* our wall clock */
  int64_t pts_ms;     /* RTSP_CLOCK_UNKNOWN when unknown */
  int64_t camera_ms;  /* RTSP_CLOCK_UNKNOWN before an RTCP sender report */
  bool audio;         /* a packet of the audio stream */
} rtsp_demuxed_t;

typedef struct rtsp_demux {
  const valkka_host_t *host;
  const char *shown;    /* the URL without credentials, for messages; the instance's */
  AVFormatContext *fmt; /* used by the thread only while it runs */
  int stream;
  int audio_stream; /* -1: none */
  int timeout_ms;
  valkka_media_interrupt_t *irq;
  pthread_t thread;
  bool running;
  pthread_mutex_t lock;
  pthread_cond_t changed; /* a packet, a free slot, the end, or an interrupt */
  bool sync_ready;
  /* guarded by lock */
  rtsp_demuxed_t queue[RTSP_DEMUX_QUEUE];
  unsigned head, count;
  int error;         /* the thread's end: a valkka code, 0 while it runs */
  char message[512]; /* its detail, set on the reader's thread when taken */
} rtsp_demux_t;

/**
 * Starts the thread on an opened `fmt` for stream `stream`. `irq` aborts its reads (close,
 * interrupt); `timeout_ms` is how long silence lasts before the stream counts as lost; `shown`
 * (borrowed) names the stream in messages.
 * Errors: VALKKA_ENOMEM.
 */
int rtsp_demux_start(rtsp_demux_t *d, const valkka_host_t *host, const char *shown,
                     AVFormatContext *fmt, int stream, int audio_stream, int timeout_ms,
                     valkka_media_interrupt_t *irq);

/**
 * Moves the next packet into `out` (whose pkt the caller owns): 0, VALKKA_ETIMEDOUT when none
 * came within `timeout_ms`, VALKKA_EINTR after an interrupt, or the code the stream ended with
 * (its detail through host->error_set). Packets already demuxed come out before the end.
 */
int rtsp_demux_take(rtsp_demux_t *d, int timeout_ms, rtsp_demuxed_t *out);

/**
 * Copies the stamps (not the packets: pkt is NULL) of up to `max` packets waiting in the queue,
 * oldest first, into `out`; returns how many.
 */
unsigned rtsp_demux_stamps(rtsp_demux_t *d, rtsp_demuxed_t *out, unsigned max);

/**
 * Waits until `n` video packets wait in the queue (or it is full, the stream ended, an interrupt
 * came, or `timeout_ms` passed): for the frames that came with the one being timed to be seen.
 */
void rtsp_demux_wait_video(rtsp_demux_t *d, unsigned n, int timeout_ms);

/** Wakes a waiting rtsp_demux_take (the interrupt flag is already set). Any thread. */
void rtsp_demux_wake(rtsp_demux_t *d);

/** Stops and joins the thread (the interrupt flag must be set first) and frees what it queued. */
void rtsp_demux_stop(rtsp_demux_t *d);

#endif
