/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valkka_frame_t buffers: allocation, growth, picture layout and copies. */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>
#include <valkka/frame.h>

#include "util/alloc.h"

#define MAX_PICTURE_SIDE 16384u

valkka_frame_t *valkka_frame_new(uint32_t capacity) {
  valkka_frame_t *frame = alloc_zeroed(sizeof *frame, "frame: out of memory");
  if (!frame) return NULL;
  frame->struct_size = sizeof *frame;
  if (capacity && valkka_frame_reserve(frame, capacity) != 0) {
    free(frame);
    return NULL;
  }
  return frame;
}

void valkka_frame_free(valkka_frame_t *frame) {
  if (!frame) return;
  free(frame->data);
  free(frame);
}

int valkka_frame_reserve(valkka_frame_t *frame, uint32_t capacity) {
  if (!frame) return valkka_error_set(VALKKA_EINVAL, "frame_reserve: NULL frame");
  if (capacity <= frame->capacity) return 0;
  /* Grow geometrically so a stream whose frames creep upwards settles after a few growths. */
  uint64_t grown = (uint64_t)frame->capacity + frame->capacity / 2;
  uint64_t target = grown > capacity ? grown : capacity;
  if (target > UINT32_MAX) target = UINT32_MAX;
  uint8_t *data = realloc(frame->data, (size_t)target);
  if (!data)
    return valkka_error_set(VALKKA_ENOMEM, "frame_reserve: cannot grow to %u bytes", capacity);
  frame->data = data;
  frame->capacity = (uint32_t)target;
  return 0;
}

int valkka_frame_set_payload(valkka_frame_t *frame, const void *data, uint32_t size) {
  if (!frame || (!data && size))
    return valkka_error_set(VALKKA_EINVAL, "frame_set_payload: NULL argument");
  int err = valkka_frame_reserve(frame, size);
  if (err) return err;
  if (size) memcpy(frame->data, data, size);
  frame->size = size;
  return 0;
}

/* Rows and plane heights of a layout; the one place that knows the shapes of our formats. */
static int picture_layout(uint32_t width, uint32_t height, valkka_pixfmt_t pixfmt,
                          uint32_t *n_planes, uint32_t strides[4], uint32_t rows[4]) {
  uint32_t cw = (width + 1) / 2, ch = (height + 1) / 2;
  switch (pixfmt) {
    case VALKKA_PIXFMT_YUV420P:
      *n_planes = 3;
      strides[0] = width, rows[0] = height;
      strides[1] = cw, rows[1] = ch;
      strides[2] = cw, rows[2] = ch;
      return 0;
    case VALKKA_PIXFMT_NV12:
      *n_planes = 2;
      strides[0] = width, rows[0] = height;
      strides[1] = cw * 2, rows[1] = ch;
      return 0;
    default:
      return valkka_error_set(VALKKA_EINVAL, "frame_set_picture: unknown pixel format %d",
                              (int)pixfmt);
  }
}

int valkka_frame_set_picture(valkka_frame_t *frame, uint32_t width, uint32_t height,
                             valkka_pixfmt_t pixfmt) {
  if (!frame) return valkka_error_set(VALKKA_EINVAL, "frame_set_picture: NULL frame");
  if (!width || !height || width > MAX_PICTURE_SIDE || height > MAX_PICTURE_SIDE)
    return valkka_error_set(VALKKA_EINVAL, "frame_set_picture: bad size %ux%u", width, height);
  uint32_t n_planes = 0, strides[4] = {0}, rows[4] = {0};
  int err = picture_layout(width, height, pixfmt, &n_planes, strides, rows);
  if (err) return err;
  uint32_t total = 0;
  for (uint32_t i = 0; i < n_planes; i++) total += strides[i] * rows[i];
  if ((err = valkka_frame_reserve(frame, total))) return err;
  uint32_t offset = 0;
  memset(frame->planes, 0, sizeof frame->planes);
  memset(frame->strides, 0, sizeof frame->strides);
  for (uint32_t i = 0; i < n_planes; i++) {
    frame->planes[i] = frame->data + offset;
    frame->strides[i] = (int32_t)strides[i];
    offset += strides[i] * rows[i];
  }
  frame->kind = VALKKA_FRAME_DECODED;
  frame->width = width;
  frame->height = height;
  frame->pixfmt = pixfmt;
  frame->n_planes = n_planes;
  frame->size = total;
  /* A picture is shown at its mstime; its colours are unknown until its decoder says. */
  if (VALKKA_HAS_FIELD(frame, valkka_frame_t, color_space)) {
    frame->pts_offset = 0;
    frame->color_range = VALKKA_COLOR_RANGE_UNKNOWN;
    frame->color_space = VALKKA_COLOR_SPACE_UNKNOWN;
  }
  return 0;
}

#define MAX_SAMPLE_RATE 768000u
#define MAX_AUDIO_SAMPLES (1u << 20)

int valkka_frame_set_audio(valkka_frame_t *frame, uint32_t sample_rate, uint32_t channels,
                           uint32_t samples) {
  if (!frame) return valkka_error_set(VALKKA_EINVAL, "frame_set_audio: NULL frame");
  if (!sample_rate || sample_rate > MAX_SAMPLE_RATE || !channels ||
      channels > VALKKA_AUDIO_CHANNELS_MAX || samples > MAX_AUDIO_SAMPLES)
    return valkka_error_set(VALKKA_EINVAL,
                            "frame_set_audio: bad shape: %u Hz, %u channels, %u samples",
                            sample_rate, channels, samples);
  if (!VALKKA_HAS_FIELD(frame, valkka_frame_t, channels))
    return valkka_error_set(VALKKA_EINVAL, "frame_set_audio: frame of ABI 1.0 has no sound fields");
  uint32_t bytes = samples * channels * 2u;
  int err = valkka_frame_reserve(frame, bytes);
  if (err) return err;
  frame->kind = VALKKA_FRAME_DECODED;
  frame->width = frame->height = 0;
  frame->pixfmt = VALKKA_PIXFMT_NONE;
  frame->n_planes = 0;
  memset(frame->planes, 0, sizeof frame->planes);
  memset(frame->strides, 0, sizeof frame->strides);
  frame->size = bytes;
  frame->pts_offset = 0;
  frame->sample_rate = sample_rate;
  frame->channels = channels;
  return 0;
}

int valkka_frame_copy(valkka_frame_t *dst, const valkka_frame_t *src) {
  if (!dst || !src) return valkka_error_set(VALKKA_EINVAL, "frame_copy: NULL argument");
  if (dst == src) return 0;
  int err = valkka_frame_reserve(dst, src->size);
  if (err) return err;
  uint8_t *data = dst->data;
  uint32_t capacity = dst->capacity, struct_size = dst->struct_size;
  void *internal = dst->internal;
  *dst = *src;
  dst->data = data;
  dst->capacity = capacity;
  dst->struct_size = struct_size;
  dst->internal = internal;
  if (src->size) memcpy(dst->data, src->data, src->size);
  for (uint32_t i = 0; i < 4; i++)
    dst->planes[i] =
        (i < src->n_planes && src->planes[i]) ? dst->data + (src->planes[i] - src->data) : NULL;
  return 0;
}

const char *valkka_codec_name(valkka_codec_t codec) {
  switch (codec) {
    case VALKKA_CODEC_H264: return "H264";
    case VALKKA_CODEC_H265: return "H265";
    case VALKKA_CODEC_AAC: return "AAC";
    case VALKKA_CODEC_ALAW: return "ALAW";
    case VALKKA_CODEC_MULAW: return "MULAW";
    case VALKKA_CODEC_OPUS: return "OPUS";
    default: return "none";
  }
}

int valkka_codec_is_audio(valkka_codec_t codec) {
  return codec >= VALKKA_CODEC_AAC && codec <= VALKKA_CODEC_OPUS;
}
