/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * source-synthetic: built-in cameras. `synthetic://N` encodes a short clip of its own for camera N
 * once at open and replays it in a loop with fresh wall-clock timestamps, so many cameras cost
 * almost nothing after the first second. `synthetic://N/sub` is camera N's substream: the same
 * picture at half the options' width and height (a camera's "substream" shares its options), as
 * a real camera's second, smaller stream.
 *
 * Options: width (640), height (360), fps (25), gop (fps), seconds (4), codec (h264 | h265),
 * realtime (1; 0 = as fast as the reader asks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libavcodec/avcodec.h>

#include "clip.h"
#include "media_frame.h"
#include "media_options.h"
#include "pacer.h"

#define MODULE "source-synthetic"
#define URL_PREFIX "synthetic://"
#define SUB_SUFFIX "/sub"

typedef struct synthetic {
  const valkka_host_t *host;
  synth_clip_params_t params;
  synth_clip_t clip;
  valkka_pacer_t pacer;
  bool pacer_ready;
  bool config_sent;
  int64_t next; /* frames sent since open: picks the packet and its time, never wraps in practice */
} synthetic_t;

static int parse_camera(const valkka_host_t *host, const char *url, uint32_t *camera, bool *sub) {
  size_t prefix = strlen(URL_PREFIX);
  if (!url || strncasecmp(url, URL_PREFIX, prefix) != 0)
    return host->error_set(VALKKA_EINVAL, MODULE ": URL '%s' is not synthetic://N", url ? url : "");
  const char *digits = url + prefix;
  char *end = NULL;
  errno = 0;
  long n = strtol(digits, &end, 10);
  *sub = end && !strcmp(end, SUB_SUFFIX);
  if (errno || end == digits || (*end && !*sub) || n < 0 || n > 9999)
    return host->error_set(VALKKA_EINVAL,
                           MODULE ": URL '%s': camera number 0..9999 expected, then "
                                  "nothing or " SUB_SUFFIX,
                           url);
  *camera = (uint32_t)n;
  return 0;
}

static int parse_codec(const valkka_host_t *host, const valkka_option_t *options, size_t n,
                       uint32_t *codec) {
  const char *name = host->option_get(options, n, "codec");
  if (!name || strcasecmp(name, "h264") == 0) {
    *codec = VALKKA_CODEC_H264;
    return 0;
  }
  if (strcasecmp(name, "h265") == 0 || strcasecmp(name, "hevc") == 0) {
    if (!avcodec_find_encoder_by_name("libx265"))
      return host->error_set(VALKKA_ECODEC, MODULE ": codec h265 needs libx265, which this "
                                                   "libavcodec lacks");
    *codec = VALKKA_CODEC_H265;
    return 0;
  }
  return host->error_set(VALKKA_ECODEC, MODULE ": codec '%s': expected h264 or h265", name);
}

static int parse_options(const valkka_host_t *host, const valkka_option_t *o, size_t n,
                         synth_clip_params_t *p, int *realtime) {
  int seconds = 0, err;
  /* Even sides: YUV420P chroma is halved both ways. */
  if ((err = valkka_media_option_int(host, MODULE, o, n, "width", 640, 16, 4096, &p->width)) ||
      (err = valkka_media_option_int(host, MODULE, o, n, "height", 360, 16, 4096, &p->height)) ||
      (err = valkka_media_option_int(host, MODULE, o, n, "fps", 25, 1, 240, &p->fps)) ||
      (err = valkka_media_option_int(host, MODULE, o, n, "gop", p->fps, 1, 10000, &p->gop)) ||
      (err = valkka_media_option_int(host, MODULE, o, n, "seconds", 4, 1, 60, &seconds)) ||
      (err = valkka_media_option_int(host, MODULE, o, n, "realtime", 1, 0, 1, realtime)) ||
      (err = parse_codec(host, o, n, &p->codec)))
    return err;
  if (p->width % 2 || p->height % 2)
    return host->error_set(VALKKA_EINVAL, MODULE ": width and height must be even, not %dx%d",
                           p->width, p->height);
  p->n_frames = seconds * p->fps;
  return 0;
}

static void synthetic_close(void *instance) {
  synthetic_t *s = instance;
  if (s->pacer_ready) valkka_pacer_destroy(&s->pacer);
  synth_clip_free(&s->clip);
  free(s);
}

static int synthetic_open(const valkka_host_t *host, const char *url,
                          const valkka_option_t *options, size_t n_options, void **instance) {
  synthetic_t *s = calloc(1, sizeof *s);
  if (!s) return host->error_set(VALKKA_ENOMEM, MODULE ": out of memory");
  s->host = host;
  int realtime = 1;
  bool sub = false;
  int err = parse_camera(host, url, &s->params.camera, &sub);
  if (!err) err = parse_options(host, options, n_options, &s->params, &realtime);
  if (!err && sub) { /* halved, and even again for YUV420P, at least the options' minimum */
    s->params.width = s->params.width / 4 * 2 > 16 ? s->params.width / 4 * 2 : 16;
    s->params.height = s->params.height / 4 * 2 > 16 ? s->params.height / 4 * 2 : 16;
  }
  if (!err && !(err = valkka_pacer_init(&s->pacer, host, realtime != 0))) s->pacer_ready = true;
  if (!err) err = synth_clip_encode(host, &s->params, &s->clip);
  if (err) {
    synthetic_close(s);
    return err;
  }
  host->log(VALKKA_LOG_DEBUG, MODULE, "camera %u: %dx%d@%d %s, %u packets", s->params.camera,
            s->params.width, s->params.height, s->params.fps,
            s->params.codec == VALKKA_CODEC_H265 ? "H.265" : "H.264", s->clip.n_packets);
  *instance = s;
  return 0;
}

static int synthetic_read(void *instance, valkka_frame_t *frame, int timeout_ms) {
  synthetic_t *s = instance;
  if (valkka_pacer_interrupted(&s->pacer)) return VALKKA_EINTR;
  if (!s->config_sent) {
    int err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_CONFIG, s->params.codec, 0,
                                      s->host->clock_wall_ms(), s->clip.config,
                                      s->clip.config_size);
    if (!err) s->config_sent = true;
    return err;
  }
  int64_t offset_us = s->next * 1000000 / s->params.fps;
  int64_t mstime = 0;
  int err = valkka_pacer_wait(&s->pacer, offset_us, timeout_ms, &mstime);
  if (err) return err;
  const synth_packet_t *pkt = &s->clip.packets[s->next % s->clip.n_packets];
  err = valkka_media_frame_fill(s->host, frame, VALKKA_FRAME_ENCODED, s->params.codec,
                                pkt->key ? VALKKA_FRAME_KEYFRAME : 0, mstime, pkt->data, pkt->size);
  if (!err) s->next++;
  return err;
}

static int synthetic_interrupt(void *instance) {
  valkka_pacer_interrupt(&((synthetic_t *)instance)->pacer);
  return 0;
}

static int synthetic_info(void *instance, valkka_source_info_t *info) {
  const synthetic_t *s = instance;
  valkka_source_info_t full = {
      .struct_size = info->struct_size,
      .codec = s->params.codec,
      .width = (uint32_t)s->params.width,
      .height = (uint32_t)s->params.height,
      .fps_num = (uint32_t)s->params.fps,
      .fps_den = 1,
  };
  memcpy(info, &full, info->struct_size < sizeof full ? info->struct_size : sizeof full);
  return 0;
}

static const valkka_source_vtable_t vtable = {
    .struct_size = sizeof(valkka_source_vtable_t),
    .open = synthetic_open,
    .read = synthetic_read,
    .interrupt = synthetic_interrupt,
    .close = synthetic_close,
    .info = synthetic_info,
};

/* What parse_options reads, the keys a camera's config may give this source. */
static const valkka_plugin_option_t options[] = {
    {"width", "picture width, even, 16 .. 4096 (default 640)"},
    {"height", "picture height, even, 16 .. 4096 (default 360)"},
    {"fps", "frames a second, 1 .. 240 (default 25)"},
    {"gop", "frames from one keyframe to the next, 1 .. 10000 (default fps)"},
    {"seconds", "length of the clip replayed, 1 .. 60 (default 4)"},
    {"realtime", "1 (default): deliver frames at their pace; 0: as fast as made"},
    {"codec", "h264 (default) or h265 (hevc; needs libx265)"},
    {NULL, NULL},
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_SOURCE,
    .name = "source-synthetic",
    .version = "1.0.0",
    .description = "built-in cameras: one short distinct clip per camera, replayed in real time",
    .vtable = &vtable,
    .options = options,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
