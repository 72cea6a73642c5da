/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Byte-exact encoding of block headers, records and table entries (FORMAT.md). */
#include <string.h>
#include <zlib.h>

#include <valkka/error.h>
#include <valkka/frame.h>

#include "fs/format.h"
#include "fs/ranges.h"

static const uint8_t block_magic[8] = {'V', 'K', 'F', 'S', 'B', 'L', 'K', '1'};
#define RECORD_MAGIC 0x31524B56u /* "VKR1" read as a little-endian u32 */

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}
static uint32_t crc(uint32_t seed, const uint8_t *p, size_t n) {
  return (uint32_t)crc32(seed, p, (uInt)n);
}

void fs_layout_init(fs_layout_t *layout, const uint8_t uuid[16], uint32_t block_size,
                    uint32_t n_blocks) {
  memcpy(layout->uuid, uuid, 16);
  layout->uuid_crc = crc(0, uuid, 16);
  layout->block_size = block_size;
  layout->n_blocks = n_blocks;
}

void fs_block_header_encode(const fs_layout_t *layout, uint32_t index, uint64_t seq,
                            uint8_t out[FS_BLOCK_HEADER_SIZE]) {
  memset(out, 0, FS_BLOCK_HEADER_SIZE);
  memcpy(out, block_magic, 8);
  memcpy(out + 8, layout->uuid, 16);
  put64(out + 24, seq);
  put32(out + 32, index);
  put32(out + 36, layout->block_size);
  put32(out + 60, crc(0, out, 60));
}

bool fs_block_header_check(const fs_layout_t *layout, uint32_t index,
                           const uint8_t in[FS_BLOCK_HEADER_SIZE], uint64_t *seq) {
  if (memcmp(in, block_magic, 8) != 0) return false;
  if (get32(in + 60) != crc(0, in, 60)) return false;
  if (memcmp(in + 8, layout->uuid, 16) != 0) return false;
  if (get32(in + 32) != index || get32(in + 36) != layout->block_size) return false;
  uint64_t s = get64(in + 24);
  if (s == 0 || s >= FS_SEQ_LIMIT) return false;
  *seq = s;
  return true;
}

/*
 * The fields of a record header, a table entry and an entry's stream slot as FORMAT.md lists them
 * (magic, crc and zero bytes aside): byte offset, width in bits, member. Each list is written once
 * and serves both the encoder and the parser, so that the two cannot disagree.
 */
#define RECORD_FIELDS(X)                                                                     \
  X(4, 32, stream_id), X(8, 64, seq), X(16, 64, mstime), X(24, 32, flags), X(28, 16, codec), \
      X(30, 16, kind), X(32, 32, length), X(36, 32, payload_crc), X(40, 32, pts_offset)
#define ENTRY_FIELDS(X)                                                                           \
  X(0, 64, max_kf_ms), X(8, 64, max_ms), X(16, 64, min_ms), X(24, 64, min_kf_ms), X(32, 64, seq), \
      X(40, 32, frames), X(44, 32, records), X(48, 32, end), X(52, 16, n_streams),                \
      X(54, 16, flags)
#define SLOT_FIELDS(X)                                                                   \
  X(0, 32, id), X(4, 16, codec), X(8, 32, frames), X(16, 64, min_ms), X(24, 64, max_ms), \
      X(32, 64, min_kf_ms)

/* One field of `obj` into its encoding `buf`, or back; signed times go through as their bits. */
#define PUT_FIELD(at, bits, member) put##bits(buf + (at), obj->member)
#define GET_FIELD(at, bits, member) (obj->member = get##bits(buf + (at)))

static void record_fields_put(uint8_t *buf, const fs_record_t *obj) { RECORD_FIELDS(PUT_FIELD); }
static void record_fields_get(const uint8_t *buf, fs_record_t *obj) { RECORD_FIELDS(GET_FIELD); }
static void entry_fields_put(uint8_t *buf, const fs_entry_t *obj) { ENTRY_FIELDS(PUT_FIELD); }
static void entry_fields_get(const uint8_t *buf, fs_entry_t *obj) { ENTRY_FIELDS(GET_FIELD); }
static void slot_fields_put(uint8_t *buf, const fs_stream_slot_t *obj) { SLOT_FIELDS(PUT_FIELD); }
static void slot_fields_get(const uint8_t *buf, fs_stream_slot_t *obj) { SLOT_FIELDS(GET_FIELD); }

static void record_header_encode(const fs_layout_t *layout, const fs_record_t *r, uint8_t *out) {
  memset(out, 0, FS_RECORD_HEADER_SIZE);
  put32(out, RECORD_MAGIC);
  record_fields_put(out, r);
  put32(out + 44, crc(layout->uuid_crc, out, 44));
}

void fs_record_encode(const fs_layout_t *layout, fs_record_t *record, const uint8_t *payload,
                      uint8_t *out) {
  record->payload_crc = crc(0, payload, record->length);
  record_header_encode(layout, record, out);
  if (record->length) memcpy(out + FS_RECORD_HEADER_SIZE, payload, record->length);
  uint32_t total = fs_record_size(record->length);
  memset(out + FS_RECORD_HEADER_SIZE + record->length, 0,
         total - FS_RECORD_HEADER_SIZE - record->length);
}

bool fs_record_parse(const fs_layout_t *layout, const uint8_t *in, uint32_t avail, fs_record_t *r) {
  if (avail < FS_RECORD_HEADER_SIZE || get32(in) != RECORD_MAGIC) return false;
  if (get32(in + 44) != crc(layout->uuid_crc, in, 44)) return false;
  record_fields_get(in, r);
  if (r->kind != FS_KIND_PAD && r->kind != FS_KIND_ENCODED && r->kind != FS_KIND_CONFIG)
    return false;
  if (r->seq >= FS_SEQ_LIMIT) return false;
  if (r->pts_offset > VALKKA_PTS_OFFSET_MAX || (r->pts_offset && r->kind != FS_KIND_ENCODED))
    return false;
  /* The table takes a block's times from its records, and 0 there means "void": a frame record
     without a time would make an entry that cannot be stored (FORMAT.md, "Block-table entry"). */
  if (r->kind != FS_KIND_PAD && r->mstime <= 0) return false;
  if (r->length > avail - FS_RECORD_HEADER_SIZE || fs_record_size(r->length) > avail) return false;
  return true;
}

bool fs_record_payload_ok(const fs_record_t *r, const uint8_t *payload) {
  return crc(0, payload, r->length) == r->payload_crc;
}

#define SLOT_OFFSET(i) (FS_ENTRY_HEADER_SIZE + FS_ENTRY_SLOT_SIZE * (i))

void fs_entry_encode(const fs_entry_t *e, uint8_t out[FS_ENTRY_SIZE]) {
  memset(out, 0, FS_ENTRY_SIZE);
  entry_fields_put(out, e);
  for (uint32_t i = 0; i < e->n_streams && i < FS_ENTRY_STREAMS; i++)
    slot_fields_put(out + SLOT_OFFSET(i), &e->streams[i]);
  put32(out + 60, crc(0, out, FS_ENTRY_SIZE));
}

int fs_entry_decode(const uint8_t in[FS_ENTRY_SIZE], uint32_t block_size, fs_entry_t *e) {
  uint8_t copy[FS_ENTRY_SIZE];
  memcpy(copy, in, FS_ENTRY_SIZE);
  memset(copy + 60, 0, 4);
  if (crc(0, copy, FS_ENTRY_SIZE) != get32(in + 60)) return VALKKA_ECORRUPT;
  memset(e, 0, sizeof *e);
  entry_fields_get(in, e);
  if (e->n_streams > FS_ENTRY_STREAMS || (e->flags & ~FS_ENTRY_OVERFLOW)) return VALKKA_ECORRUPT;
  if (e->seq >= FS_SEQ_LIMIT) return VALKKA_ECORRUPT;
  if (e->end % 8 ||
      (e->end && (e->end < FS_BLOCK_HEADER_SIZE + FS_RECORD_HEADER_SIZE || e->end > block_size)))
    return VALKKA_ECORRUPT;
  if (e->max_ms && (!e->records || e->min_ms <= 0 || e->min_ms > e->max_ms || !e->end))
    return VALKKA_ECORRUPT;
  for (uint32_t i = 0; i < e->n_streams; i++) slot_fields_get(in + SLOT_OFFSET(i), &e->streams[i]);
  return 0;
}

/* The ranges index's entries (FORMAT.md, "Ranges index"). */
static uint32_t entry_crc(const uint8_t *in) {
  uint8_t copy[FS_RANGES_ENTRY_SIZE];
  memcpy(copy, in, sizeof copy);
  memset(copy + 16, 0, 4);
  return crc(0, copy, sizeof copy);
}

void fs_ranges_encode(const fs_ranges_t *g, uint8_t out[FS_RANGES_ENTRY_SIZE]) {
  memset(out, 0, FS_RANGES_ENTRY_SIZE);
  put64(out, g->seq);
  put32(out + 8, g->end);
  put32(out + 12, (uint32_t)g->n | (uint32_t)g->flags << 16);
  for (uint32_t i = 0; i < g->n && i < FS_RANGES_PER_BLOCK; i++) {
    uint8_t *p = out + FS_RANGES_HEADER_SIZE + i * FS_RANGE_SIZE;
    put32(p, g->r[i].id);
    put32(p + 4, g->r[i].interval_ms);
    put64(p + 8, (uint64_t)g->r[i].first_ms);
    put64(p + 16, (uint64_t)g->r[i].last_ms);
  }
  put32(out + 16, entry_crc(out));
}

int fs_ranges_decode(const uint8_t in[FS_RANGES_ENTRY_SIZE], fs_ranges_t *g) {
  memset(g, 0, sizeof *g);
  if (entry_crc(in) != get32(in + 16) || get32(in + 20)) return VALKKA_ECORRUPT;
  g->seq = get64(in);
  g->end = get32(in + 8);
  const uint32_t counts = get32(in + 12);
  g->n = (uint16_t)counts;
  g->flags = (uint16_t)(counts >> 16);
  if (g->seq >= FS_SEQ_LIMIT || g->n > FS_RANGES_PER_BLOCK || (g->flags & ~FS_RANGES_OVERFLOW))
    goto bad;
  for (uint32_t i = 0; i < g->n; i++) {
    const uint8_t *p = in + FS_RANGES_HEADER_SIZE + i * FS_RANGE_SIZE;
    fs_range_t *r = &g->r[i];
    *r = (fs_range_t){get32(p), get32(p + 4), (int64_t)get64(p + 8), (int64_t)get64(p + 16)};
    if (r->first_ms <= 0 || r->first_ms > r->last_ms) goto bad;
  }
  return 0;
bad:
  memset(g, 0, sizeof *g);
  return VALKKA_ECORRUPT;
}
