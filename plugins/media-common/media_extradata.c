/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdbool.h>
#include <string.h>

#include <valkka/frame.h>

#include "annexb.h"
#include "media_extradata.h"

/* A bounded reader over the boxes: every read checks what is left, so garbage ends the walk. */
typedef struct reader {
  const uint8_t *buf;
  size_t size, pos;
  bool bad;
} reader_t;

static unsigned get8(reader_t *r) {
  if (r->pos + 1 > r->size) {
    r->bad = true;
    return 0;
  }
  return r->buf[r->pos++];
}

static unsigned get16(reader_t *r) {
  unsigned hi = get8(r);
  return (hi << 8) | get8(r);
}

/* Copies one length-prefixed NAL unit into `out` behind a start code; returns the bytes it takes.
 */
static size_t take_nal(reader_t *r, uint8_t *out, size_t used, size_t out_cap) {
  static const uint8_t start_code[4] = {0, 0, 0, 1};
  size_t n = get16(r);
  if (r->bad || n == 0 || r->pos + n > r->size) {
    r->bad = true;
    return 0;
  }
  if (out && used + 4 + n <= out_cap) {
    memcpy(out + used, start_code, 4);
    memcpy(out + used + 4, r->buf + r->pos, n);
  }
  r->pos += n;
  return 4 + n;
}

/* ISO/IEC 14496-15 5.3.3.1: 5 header bytes, SPS count and SPS, PPS count and PPS. */
static size_t from_avcc(reader_t *r, uint8_t *out, size_t out_cap) {
  size_t used = 0;
  r->pos = 5;
  unsigned n_sps = get8(r) & 0x1f;
  for (unsigned i = 0; i < n_sps && !r->bad; i++) used += take_nal(r, out, used, out_cap);
  unsigned n_pps = get8(r);
  for (unsigned i = 0; i < n_pps && !r->bad; i++) used += take_nal(r, out, used, out_cap);
  return r->bad ? 0 : used;
}

/* ISO/IEC 14496-15 8.3.3.1: 22 header bytes, then arrays of NAL units of one type each. */
static size_t from_hvcc(reader_t *r, uint8_t *out, size_t out_cap) {
  size_t used = 0;
  r->pos = 22;
  unsigned n_arrays = get8(r);
  for (unsigned a = 0; a < n_arrays && !r->bad; a++) {
    get8(r); /* array_completeness, NAL unit type: the NAL header says it again */
    unsigned n_nals = get16(r);
    for (unsigned i = 0; i < n_nals && !r->bad; i++) used += take_nal(r, out, used, out_cap);
  }
  return r->bad ? 0 : used;
}

size_t valkka_media_extradata_annexb(uint32_t codec, const uint8_t *extradata, size_t size,
                                     uint8_t *out, size_t out_cap) {
  if (!extradata || !size) return 0;
  if (valkka_annexb_is(extradata, size))
    return valkka_annexb_param_sets(codec, extradata, size, out, out_cap);
  /* Both boxes start with configurationVersion 1. */
  if (extradata[0] != 1) return 0;
  reader_t r = {extradata, size, 0, false};
  if (codec == VALKKA_CODEC_H264) return from_avcc(&r, out, out_cap);
  if (codec == VALKKA_CODEC_H265) return from_hvcc(&r, out, out_cap);
  return 0;
}
