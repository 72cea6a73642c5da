/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Filling a lent frame with an encoded unit, and a caller's source info with a stream's shape. */
#ifndef VALKKA_MEDIA_FRAME_H
#define VALKKA_MEDIA_FRAME_H

#include <valkka/plugin.h>

/**
 * Copies `size` bytes into `frame` (grown through the host) and makes it a `kind` frame of
 * `codec` with `flags` and `mstime`; picture fields are cleared because the core recycles frames.
 * Errors: VALKKA_ENOMEM.
 */
int valkka_media_frame_fill(const valkka_host_t *host, valkka_frame_t *frame, uint32_t kind,
                            uint32_t codec, uint32_t flags, int64_t mstime, const void *data,
                            uint32_t size);

/**
 * A frame's pts_offset in ms when its decode time is `decode_us` on a source's timeline and its
 * presentation time `delta_us` later: both rounded down to ms as mstime is, so that
 * mstime + pts_offset is the presentation time in ms; within 0 ..= VALKKA_PTS_OFFSET_MAX.
 */
int32_t valkka_media_pts_offset(int64_t decode_us, int64_t delta_us);

/**
 * Fills the caller's `info` (as far as its struct_size reaches: an older core's is smaller) with
 * a stream's codec, size and nominal rate (0 where unknown). For a source's info() method.
 */
void valkka_media_info_fill(valkka_source_info_t *info, uint32_t codec, uint32_t width,
                            uint32_t height, uint32_t fps_num, uint32_t fps_den);

#endif
