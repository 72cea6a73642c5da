/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A stream's picture size and nominal frame rate, read from its parameter sets with libavcodec's
 * parser, for sources whose container does not say (RTSP without avformat_find_stream_info).
 */
#ifndef VALKKA_MEDIA_SHAPE_H
#define VALKKA_MEDIA_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include <valkka/plugin.h>

typedef struct valkka_media_shape {
  uint32_t width, height;    /* 0 when unknown */
  uint32_t fps_num, fps_den; /* 0/0 when the SPS/VPS carries no timing */
} valkka_media_shape_t;

/**
 * Parses `config` (Annex B parameter sets, may be empty) followed by `keyframe` (an Annex B
 * access unit; the size is known only once a slice refers to an SPS) of `codec`.
 * Errors: VALKKA_ECODEC (not H.264/H.265 or no parser), VALKKA_ENOMEM, VALKKA_ENOENT (no size
 * found). Sets no detailed error: callers treat a failure as "still unknown".
 */
int valkka_media_shape_parse(uint32_t codec, const uint8_t *config, size_t config_size,
                             const uint8_t *keyframe, size_t keyframe_size,
                             valkka_media_shape_t *shape);

/**
 * How many pictures the stream's decoder holds back to reorder them (0 without B-frames), as
 * libavcodec's decoder reads it from `config` and the first slice of `keyframe` (one decode).
 * Errors: VALKKA_ECODEC, VALKKA_ENOMEM, VALKKA_EDECODE. Sets no detailed error.
 */
int valkka_media_reorder_depth(uint32_t codec, const uint8_t *config, size_t config_size,
                               const uint8_t *keyframe, size_t keyframe_size);

#endif
