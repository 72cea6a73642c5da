/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Frames that lend a payload instead of owning one: a record read from an FS handed to a reader, a
 * cached frame sent to a decoder. Nothing is copied or allocated for them.
 */
#ifndef VALKKA_UTIL_FRAME_VIEW_H
#define VALKKA_UTIL_FRAME_VIEW_H

#include <stdint.h>

#include <valkka/frame.h>

/**
 * An encoded or config frame over the `size` bytes at `data`, which stay the caller's: who is
 * handed it reads them during the call, and must neither grow nor free them. Which stream it is
 * (slot, stream_id) the caller sets.
 */
static inline valkka_frame_t frame_view(uint32_t kind, uint32_t codec, uint32_t flags,
                                        int64_t mstime, const uint8_t *data, uint32_t size) {
  /* Not const in valkka_frame_t, for the frames that own their buffer: a view is only read. */
  return (valkka_frame_t){.struct_size = sizeof(valkka_frame_t),
                          .kind = kind,
                          .codec = codec,
                          .flags = flags,
                          .mstime = mstime,
                          .data = (uint8_t *)data,
                          .size = size,
                          .capacity = size};
}

#endif
