/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decoded AVFrames into lent valkka frames: YUV420P or NV12, anything else converted. Shared by
 * the decoder plugins (software pictures and hardware ones transferred to system memory).
 */
#ifndef VALKKA_PICTURE_COPY_H
#define VALKKA_PICTURE_COPY_H

#include <libavutil/frame.h>
#include <libswscale/swscale.h>

#include <valkka/plugin.h>

/**
 * Lays `dst` out as a picture (host->frame_set_picture) and copies `src` into it row by row.
 * YUV420P and its full-range twin YUVJ420P copy as YUV420P, NV12 as NV12; other formats go
 * through libswscale (`*sws` is the cached context, freed by the caller with sws_freeContext).
 * Errors: VALKKA_ENOMEM, VALKKA_EDECODE (no conversion), with host->error_set naming `module`.
 */
int picture_copy(const valkka_host_t *host, const char *module, const AVFrame *src,
                 valkka_frame_t *dst, struct SwsContext **sws);

/**
 * Lays `dst` out as the picture picture_copy would make of `src` (NV12 for a picture in device
 * memory), its planes left as they were: for a DECODE_ONLY frame's picture, which is not shown.
 * Errors: VALKKA_ENOMEM.
 */
int picture_lay_out(const valkka_host_t *host, const AVFrame *src, valkka_frame_t *dst);

#endif
