/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include <valkka/frame.h>

#include "export_params.h"

/* The NAL unit after `*pos` in Annex B `buf` (start codes and trailing zeros left out). */
static bool next_nal(const uint8_t *buf, size_t size, size_t *pos, const uint8_t **nal,
                     size_t *nal_size) {
  size_t i = *pos;
  for (;;) {
    while (i + 2 < size && !(buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1)) i++;
    if (i + 2 >= size) {
      *pos = size;
      return false;
    }
    size_t begin = i + 3, end = begin;
    while (end + 2 < size && !(buf[end] == 0 && buf[end + 1] == 0 && buf[end + 2] == 1)) end++;
    if (end + 2 >= size) end = size;
    *pos = i = end;
    while (end > begin && buf[end - 1] == 0) end--;
    if (end > begin) {
      *nal = buf + begin;
      *nal_size = end - begin;
      return true;
    }
  }
}

static bool is_param_set(uint32_t codec, uint8_t header) {
  if (codec == VALKKA_CODEC_H264) return (header & 0x1f) == 7 || (header & 0x1f) == 8;
  if (codec == VALKKA_CODEC_H265)
    return ((header >> 1) & 0x3f) >= 32 && ((header >> 1) & 0x3f) <= 34;
  return false;
}

static bool in_config(const uint8_t *config, size_t config_size, const uint8_t *nal,
                      size_t nal_size) {
  size_t pos = 0, size = 0;
  const uint8_t *known = NULL;
  while (next_nal(config, config_size, &pos, &known, &size))
    if (size == nal_size && memcmp(known, nal, size) == 0) return true;
  return false;
}

bool export_params_known(uint32_t codec, const uint8_t *config, size_t config_size,
                         const uint8_t *data, size_t size) {
  size_t pos = 0, nal_size = 0;
  const uint8_t *nal = NULL;
  while (next_nal(data, size, &pos, &nal, &nal_size))
    if (is_param_set(codec, nal[0]) && !in_config(config, config_size, nal, nal_size)) return false;
  return true;
}

uint32_t export_params_inband_tag(const AVOutputFormat *format, enum AVCodecID id) {
  const uint32_t tag = id == AV_CODEC_ID_H264   ? MKTAG('a', 'v', 'c', '3')
                       : id == AV_CODEC_ID_HEVC ? MKTAG('h', 'e', 'v', '1')
                                                : 0;
  if (!tag || !format->codec_tag || av_codec_get_id(format->codec_tag, tag) != id) return 0;
  return tag;
}

bool export_params_need_scan(const AVOutputFormat *format, enum AVCodecID id) {
  const uint32_t inband = export_params_inband_tag(format, id);
  return inband && av_codec_get_tag(format->codec_tag, id) != inband;
}
