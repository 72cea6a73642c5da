/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "media_error.h"
#include "rtsp_clock.h"
#include "rtsp_demux.h"

static int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The stream's end in the terms a camera's status shows. */
static int end_code(rtsp_demux_t *d, int averr, int64_t silent_us) {
  if (valkka_media_interrupt_fired(d->irq)) return VALKKA_EINTR;
  /* Lost, not late: read() keeps VALKKA_ETIMEDOUT for "nothing yet", which is no failure. */
  if (silent_us >= (int64_t)d->timeout_ms * 1000) {
    snprintf(d->message, sizeof d->message, "nothing received for %lld ms",
             (long long)(silent_us / 1000));
    return VALKKA_ECONN;
  }
  char text[AV_ERROR_MAX_STRING_SIZE] = "";
  av_strerror(averr, text, sizeof text);
  /* A live stream has no end: a server that stops sending has dropped us. */
  if (averr == AVERROR_EOF) {
    snprintf(d->message, sizeof d->message, "the server ended the stream");
    return VALKKA_ECONN;
  }
  snprintf(d->message, sizeof d->message, "read: %s", text);
  int code = valkka_media_error_code(averr, VALKKA_ECONN);
  return code == VALKKA_EOS || code == VALKKA_EINTR ? VALKKA_ECONN : code;
}

/* Times are taken here, as the packet leaves libavformat, which also owns start_time_realtime. */
static void stamp(rtsp_demux_t *d, rtsp_demuxed_t *e) {
  const AVStream *st = d->fmt->streams[e->pkt->stream_index];
  e->audio = e->pkt->stream_index == d->audio_stream;
  e->arrival_ms = d->host->clock_wall_ms();
  e->pts_ms = e->camera_ms = RTSP_CLOCK_UNKNOWN;
  if (e->pkt->pts == AV_NOPTS_VALUE) return;
  e->pts_ms = av_rescale_q(e->pkt->pts, st->time_base, (AVRational){1, 1000});
  /* The camera's wall time of pts 0, once an RTCP sender report tied the two clocks. */
  int64_t start_us = d->fmt->start_time_realtime;
  if (start_us != AV_NOPTS_VALUE && start_us > 0)
    e->camera_ms = (start_us + av_rescale_q(e->pkt->pts, st->time_base, AV_TIME_BASE_Q)) / 1000;
}

static void *demux_main(void *arg) {
  rtsp_demux_t *d = arg;
  AVPacket *pkt = av_packet_alloc();
  int averr = pkt ? 0 : AVERROR(ENOMEM);
  int64_t last_us = mono_us();
  while (!averr) {
    int64_t call_us = mono_us();
    if ((averr = av_read_frame(d->fmt, pkt)) < 0) break;
    if (mono_us() - call_us >= (int64_t)d->timeout_ms * 1000) {
      /*
       * libavformat swallows a socket timeout: it flushes its parser, returns the frame the parser
       * held, and the next call waits a whole timeout again. A packet that took the whole timeout
       * to come is that flush: the tail of a session that went silent. Dropped, so a frozen camera
       * does not look streaming for a frame, and the stream ends now rather than a timeout later.
       */
      av_packet_unref(pkt);
      averr = AVERROR(ETIMEDOUT);
      break;
    }
    if (pkt->stream_index != d->stream && pkt->stream_index != d->audio_stream) {
      av_packet_unref(pkt);
      continue;
    }
    /* A camera whose pictures stopped is lost, even while its sound goes on. */
    if (pkt->stream_index == d->stream) last_us = mono_us();
    pthread_mutex_lock(&d->lock);
    while (d->count == RTSP_DEMUX_QUEUE && !valkka_media_interrupt_fired(d->irq))
      pthread_cond_wait(&d->changed, &d->lock);
    if (valkka_media_interrupt_fired(d->irq)) {
      pthread_mutex_unlock(&d->lock);
      av_packet_unref(pkt);
      averr = AVERROR_EXIT;
      break;
    }
    rtsp_demuxed_t *e = &d->queue[(d->head + d->count) % RTSP_DEMUX_QUEUE];
    av_packet_move_ref(e->pkt, pkt);
    stamp(d, e);
    d->count++;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->lock);
  }
  av_packet_free(&pkt);
  pthread_mutex_lock(&d->lock);
  d->error = end_code(d, averr, mono_us() - last_us);
  pthread_cond_broadcast(&d->changed);
  pthread_mutex_unlock(&d->lock);
  return NULL;
}

static void free_queue(rtsp_demux_t *d) {
  for (unsigned i = 0; i < RTSP_DEMUX_QUEUE; i++) av_packet_free(&d->queue[i].pkt);
}

int rtsp_demux_start(rtsp_demux_t *d, const valkka_host_t *host, const char *shown,
                     AVFormatContext *fmt, int stream, int audio_stream, int timeout_ms,
                     valkka_media_interrupt_t *irq) {
  *d = (rtsp_demux_t){.host = host,
                      .shown = shown,
                      .fmt = fmt,
                      .stream = stream,
                      .audio_stream = audio_stream,
                      .timeout_ms = timeout_ms,
                      .irq = irq};
  for (unsigned i = 0; i < RTSP_DEMUX_QUEUE; i++)
    if (!(d->queue[i].pkt = av_packet_alloc())) {
      free_queue(d);
      return host->error_set(VALKKA_ENOMEM, "source-rtsp: out of memory");
    }
  pthread_condattr_t attr;
  bool attr_ok = pthread_condattr_init(&attr) == 0;
  if (attr_ok) pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  bool cond_ok = attr_ok && pthread_cond_init(&d->changed, &attr) == 0;
  if (attr_ok) pthread_condattr_destroy(&attr);
  bool lock_ok = cond_ok && pthread_mutex_init(&d->lock, NULL) == 0;
  if (lock_ok)
    d->sync_ready = true;
  else if (cond_ok)
    pthread_cond_destroy(&d->changed);
  if (!lock_ok || pthread_create(&d->thread, NULL, demux_main, d) != 0) {
    rtsp_demux_stop(d);
    return host->error_set(VALKKA_ENOMEM, "source-rtsp: cannot start the demuxing thread");
  }
  d->running = true;
  return 0;
}

int rtsp_demux_take(rtsp_demux_t *d, int timeout_ms, rtsp_demuxed_t *out) {
  int64_t until = mono_us() + (int64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000;
  struct timespec deadline = {.tv_sec = until / 1000000, .tv_nsec = (until % 1000000) * 1000};
  int err = 0;
  pthread_mutex_lock(&d->lock);
  for (;;) {
    if (valkka_media_interrupt_fired(d->irq)) {
      err = VALKKA_EINTR;
      break;
    }
    if (d->count) {
      rtsp_demuxed_t *e = &d->queue[d->head];
      av_packet_move_ref(out->pkt, e->pkt);
      out->arrival_ms = e->arrival_ms;
      out->pts_ms = e->pts_ms;
      out->camera_ms = e->camera_ms;
      out->audio = e->audio;
      d->head = (d->head + 1) % RTSP_DEMUX_QUEUE;
      d->count--;
      pthread_cond_broadcast(&d->changed);
      break;
    }
    if (d->error) {
      err = d->error == VALKKA_EINTR
                ? VALKKA_EINTR
                : d->host->error_set(d->error, "source-rtsp: %s: %s", d->shown, d->message);
      break;
    }
    if (pthread_cond_timedwait(&d->changed, &d->lock, &deadline) == ETIMEDOUT) {
      err = d->count || d->error ? 0 : VALKKA_ETIMEDOUT;
      if (err) break;
    }
  }
  pthread_mutex_unlock(&d->lock);
  return err;
}

unsigned rtsp_demux_stamps(rtsp_demux_t *d, rtsp_demuxed_t *out, unsigned max) {
  pthread_mutex_lock(&d->lock);
  unsigned n = d->count < max ? d->count : max;
  for (unsigned i = 0; i < n; i++) {
    const rtsp_demuxed_t *e = &d->queue[(d->head + i) % RTSP_DEMUX_QUEUE];
    out[i] = (rtsp_demuxed_t){.pkt = NULL,
                              .arrival_ms = e->arrival_ms,
                              .pts_ms = e->pts_ms,
                              .camera_ms = e->camera_ms,
                              .audio = e->audio};
  }
  pthread_mutex_unlock(&d->lock);
  return n;
}

static unsigned video_queued(const rtsp_demux_t *d) {
  unsigned n = 0;
  for (unsigned i = 0; i < d->count; i++)
    if (!d->queue[(d->head + i) % RTSP_DEMUX_QUEUE].audio) n++;
  return n;
}

void rtsp_demux_wait_video(rtsp_demux_t *d, unsigned n, int timeout_ms) {
  int64_t until = mono_us() + (int64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000;
  struct timespec deadline = {.tv_sec = until / 1000000, .tv_nsec = (until % 1000000) * 1000};
  pthread_mutex_lock(&d->lock);
  while (video_queued(d) < n && d->count < RTSP_DEMUX_QUEUE && !d->error &&
         !valkka_media_interrupt_fired(d->irq))
    if (pthread_cond_timedwait(&d->changed, &d->lock, &deadline) == ETIMEDOUT) break;
  pthread_mutex_unlock(&d->lock);
}

void rtsp_demux_wake(rtsp_demux_t *d) {
  if (!d->sync_ready) return;
  pthread_mutex_lock(&d->lock);
  pthread_cond_broadcast(&d->changed);
  pthread_mutex_unlock(&d->lock);
}

void rtsp_demux_stop(rtsp_demux_t *d) {
  if (d->running) {
    rtsp_demux_wake(d);
    pthread_join(d->thread, NULL);
    d->running = false;
  }
  if (d->sync_ready) {
    pthread_cond_destroy(&d->changed);
    pthread_mutex_destroy(&d->lock);
    d->sync_ready = false;
  }
  free_queue(d);
}
