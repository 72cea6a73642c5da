/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * source-file: a video file as a camera. The URL is a path or file:// path to any container
 * libavformat reads with H.264 or H.265 video. Options: loop (1), realtime (1; 0 = as fast as
 * the reader asks). Frames go out in Annex B with wall-clock times that keep rising across loops;
 * parameter sets that a keyframe brings in-band and that differ from those in force (a stream
 * whose resolution changes, a raw stream's first ones) go out first as a CONFIG at its time;
 * the first AAC, G.711 or Opus track goes out too, as audio frames timed on the same timeline.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file_source.h"
#include "media_frame.h"
#include "media_options.h"

static void file_close(void *instance) {
  file_source_t *s = instance;
  file_source_release(s);
  if (s->pacer_ready) valkka_pacer_destroy(&s->pacer);
  free(s);
}

static const char *path_of(const char *url) {
  return strncasecmp(url, "file://", 7) == 0 ? url + 7 : url;
}

static int file_open(const valkka_host_t *host, const char *url, const valkka_option_t *options,
                     size_t n_options, void **instance) {
  if (!url || !*url) return host->error_set(VALKKA_EINVAL, MODULE ": empty path");
  int loop = 1, realtime = 1;
  int err = valkka_media_option_int(host, MODULE, options, n_options, "loop", 1, 0, 1, &loop);
  if (!err)
    err = valkka_media_option_int(host, MODULE, options, n_options, "realtime", 1, 0, 1, &realtime);
  if (err) return err;
  file_source_t *s = calloc(1, sizeof *s);
  if (!s) return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  s->host = host;
  s->loop = loop != 0;
  if (!(err = valkka_pacer_init(&s->pacer, host, realtime != 0))) s->pacer_ready = true;
  if (!err) err = file_source_open(s, path_of(url));
  if (err) {
    file_close(s);
    return err;
  }
  *instance = s;
  return 0;
}

/* The oldest queued sound when it is due before the next picture (or no picture is left). */
static int read_audio(file_source_t *s, valkka_frame_t *frame, int timeout_ms, bool *done) {
  file_audio_packet_t *a = file_source_audio_head(s);
  *done = false;
  if (!a || (s->pending && a->offset_us > s->out_offset_us)) return 0;
  *done = true;
  int64_t mstime = 0;
  int err = valkka_pacer_wait(&s->pacer, a->offset_us, timeout_ms, &mstime);
  if (err) return err;
  if (!s->audio_config_sent) {
    s->audio_config_sent = true;
    return valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_CONFIG, s->audio_codec, 0, mstime,
                                   s->audio_config, s->audio_config_size);
  }
  err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_ENCODED, s->audio_codec,
                                VALKKA_FRAME_KEYFRAME, mstime, a->pkt->data,
                                (uint32_t)a->pkt->size);
  file_source_audio_pop(s);
  return err;
}

static int file_read(void *instance, valkka_frame_t *frame, int timeout_ms) {
  file_source_t *s = instance;
  if (valkka_pacer_interrupted(&s->pacer)) return VALKKA_EINTR;
  if (s->eos) return VALKKA_EOS;
  int err;
  bool done = false;
  if (!s->pending && (err = file_source_next_packet(s))) {
    if (err == VALKKA_EOS && file_source_audio_head(s))
      return read_audio(s, frame, timeout_ms, &done);
    if (err == VALKKA_EOS) s->eos = true;
    return err;
  }
  /* The frame's time first: a configuration it brings goes out just before it, at its time. */
  if (!s->out_timed) {
    if ((err = read_audio(s, frame, timeout_ms, &done)) || done) return err;
    if ((err = valkka_pacer_wait(&s->pacer, s->out_offset_us, timeout_ms, &s->out_mstime)))
      return err;
    s->out_timed = true;
  }
  if (!s->config_sent && s->config) {
    err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_CONFIG, s->codec, 0, s->out_mstime,
                                  s->config, s->config_size);
    if (!err) s->config_sent = true;
    return err;
  }
  uint32_t flags = (s->out->flags & AV_PKT_FLAG_KEY) ? VALKKA_FRAME_KEYFRAME : 0;
  err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_ENCODED, s->codec, flags,
                                s->out_mstime, s->out->data, (uint32_t)s->out->size);
  if (!err) frame->pts_offset = valkka_media_pts_offset(s->out_offset_us, s->out_pts_delta_us);
  av_packet_unref(s->out);
  s->pending = false;
  s->out_timed = false;
  return err;
}

static int file_interrupt(void *instance) {
  valkka_pacer_interrupt(&((file_source_t *)instance)->pacer);
  return 0;
}

static int file_info(void *instance, valkka_source_info_t *info) {
  const file_source_t *s = instance;
  valkka_media_info_fill(info, s->codec, s->width, s->height, s->fps_num, s->fps_den);
  return 0;
}

static const valkka_source_vtable_t vtable = {
    .struct_size = sizeof(valkka_source_vtable_t),
    .open = file_open,
    .read = file_read,
    .interrupt = file_interrupt,
    .close = file_close,
    .info = file_info,
};

/* What file_open reads, the keys a camera's config may give this source. */
static const valkka_plugin_option_t options[] = {
    {"loop", "1 (default): start again at the end; 0: end the stream"},
    {"realtime", "1 (default): deliver frames at their pace; 0: as fast as read"},
    {NULL, NULL},
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_SOURCE,
    .name = "source-file",
    .version = "1.0.0",
    .description =
        "H.264/H.265 video from any file libavformat reads, looped, in real time or fast",
    .vtable = &vtable,
    .options = options,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
