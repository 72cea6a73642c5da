/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include <valkka/frame.h>

#include "annexb.h"

bool valkka_annexb_is(const uint8_t *buf, size_t size) {
  if (size >= 3 && buf[0] == 0 && buf[1] == 0 && buf[2] == 1) return true;
  return size >= 4 && buf[0] == 0 && buf[1] == 0 && buf[2] == 0 && buf[3] == 1;
}

/* Offset of the first 00 00 01 at or after `from`, or `size`. */
static size_t find_start(const uint8_t *buf, size_t size, size_t from) {
  for (size_t i = from; i + 2 < size; i++)
    if (buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1) return i;
  return size;
}

bool valkka_annexb_next(const uint8_t *buf, size_t size, size_t *pos, const uint8_t **nal,
                        size_t *nal_size) {
  for (;;) {
    size_t start = find_start(buf, size, *pos);
    if (start >= size) {
      *pos = size;
      return false;
    }
    size_t begin = start + 3;
    size_t end = find_start(buf, size, begin);
    *pos = end;
    /* Zeros before the next start code are its 4-byte form or trailing_zero_8bits, not payload. */
    while (end > begin && buf[end - 1] == 0) end--;
    if (end > begin) {
      *nal = buf + begin;
      *nal_size = end - begin;
      return true;
    }
  }
}

bool valkka_annexb_is_param_set(uint32_t codec, uint8_t header) {
  if (codec == VALKKA_CODEC_H264) {
    unsigned type = header & 0x1f;
    return type == 7 || type == 8;
  }
  if (codec == VALKKA_CODEC_H265) {
    unsigned type = (header >> 1) & 0x3f;
    return type >= 32 && type <= 34;
  }
  return false;
}

bool valkka_annexb_has_sps(uint32_t codec, const uint8_t *buf, size_t size) {
  size_t pos = 0, nal_size = 0;
  const uint8_t *nal = NULL;
  while (valkka_annexb_next(buf, size, &pos, &nal, &nal_size)) {
    if (codec == VALKKA_CODEC_H264 && (nal[0] & 0x1f) == 7) return true;
    if (codec == VALKKA_CODEC_H265 && ((nal[0] >> 1) & 0x3f) == 33) return true;
  }
  return false;
}

size_t valkka_annexb_param_sets(uint32_t codec, const uint8_t *buf, size_t size, uint8_t *out,
                                size_t out_cap) {
  static const uint8_t start_code[4] = {0, 0, 0, 1};
  size_t pos = 0, used = 0, nal_size = 0;
  const uint8_t *nal = NULL;
  while (valkka_annexb_next(buf, size, &pos, &nal, &nal_size)) {
    if (!valkka_annexb_is_param_set(codec, nal[0])) continue;
    if (out && used + 4 + nal_size <= out_cap) {
      memcpy(out + used, start_code, 4);
      memcpy(out + used + 4, nal, nal_size);
    }
    used += 4 + nal_size;
  }
  return used;
}
