/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Annex B byte streams: NAL unit iteration and parameter-set extraction for H.264 and H.265. */
#ifndef VALKKA_MEDIA_ANNEXB_H
#define VALKKA_MEDIA_ANNEXB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** True when `buf` starts with a start code (00 00 01 or 00 00 00 01). */
bool valkka_annexb_is(const uint8_t *buf, size_t size);

/**
 * The next NAL unit at or after `*pos`: `*nal` points at its header byte, `*nal_size` excludes
 * start codes and trailing zero bytes. Advances `*pos`; false when there is none left.
 */
bool valkka_annexb_next(const uint8_t *buf, size_t size, size_t *pos, const uint8_t **nal,
                        size_t *nal_size);

/** True when the NAL unit starting with `header` is a VPS, SPS or PPS of `codec` (valkka_codec_t). */
bool valkka_annexb_is_param_set(uint32_t codec, uint8_t header);

/** True when `buf` holds an SPS of `codec` (valkka_codec_t). */
bool valkka_annexb_has_sps(uint32_t codec, const uint8_t *buf, size_t size);

/**
 * Collects the parameter sets of `buf` into `out` (each behind a 4-byte start code), writing only
 * when they fit in `out_cap`. Returns the bytes they take (0: none found). `size + size / 2 + 16`
 * bytes always suffice.
 */
size_t valkka_annexb_param_sets(uint32_t codec, const uint8_t *buf, size_t size, uint8_t *out,
                                size_t out_cap);

#endif
