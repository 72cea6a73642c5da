/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Codec extradata as Annex B parameter sets. Demuxers hand over H.264/H.265 configuration either
 * as Annex B (RTSP's sprop parameter sets, raw streams) or in the ISO boxes avcC / hvcC (MP4,
 * Matroska); recording and decoders want Annex B.
 */
#ifndef VALKKA_MEDIA_EXTRADATA_H
#define VALKKA_MEDIA_EXTRADATA_H

#include <stddef.h>
#include <stdint.h>

/**
 * Writes the VPS/SPS/PPS of `extradata` (Annex B, avcC for H.264 or hvcC for H.265) into `out`,
 * each behind a 4-byte start code, only when they fit in `out_cap`. Returns the bytes they take:
 * 0 when there are none or the boxes are malformed (never reads past `size`).
 * `2 * size + 16` bytes always suffice.
 */
size_t valkka_media_extradata_annexb(uint32_t codec, const uint8_t *extradata, size_t size,
                                     uint8_t *out, size_t out_cap);

#endif
