/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "media_frame.h"

int valkka_media_frame_fill(const valkka_host_t *host, valkka_frame_t *frame, uint32_t kind,
                            uint32_t codec, uint32_t flags, int64_t mstime, const void *data,
                            uint32_t size) {
  int err = host->frame_set_payload(frame, data, size);
  if (err) return err;
  frame->kind = kind;
  frame->codec = codec;
  frame->flags = flags;
  frame->mstime = mstime;
  frame->width = frame->height = 0;
  frame->pixfmt = VALKKA_PIXFMT_NONE;
  frame->n_planes = 0;
  frame->pts_offset = 0;
  memset(frame->planes, 0, sizeof frame->planes);
  memset(frame->strides, 0, sizeof frame->strides);
  return 0;
}

int32_t valkka_media_pts_offset(int64_t decode_us, int64_t delta_us) {
  if (delta_us <= 0) return 0;
  int64_t ms = (decode_us + delta_us) / 1000 - decode_us / 1000;
  return (int32_t)(ms > VALKKA_PTS_OFFSET_MAX ? VALKKA_PTS_OFFSET_MAX : ms);
}

void valkka_media_info_fill(valkka_source_info_t *info, uint32_t codec, uint32_t width,
                            uint32_t height, uint32_t fps_num, uint32_t fps_den) {
  valkka_source_info_t full = {
      .struct_size = info->struct_size,
      .codec = codec,
      .width = width,
      .height = height,
      .fps_num = fps_num,
      .fps_den = fps_den,
  };
  memcpy(info, &full, info->struct_size < sizeof full ? info->struct_size : sizeof full);
}
