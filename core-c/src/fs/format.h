/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ValkkaFS byte layout (FORMAT.md): constants, the in-memory forms of block headers, records
 * and table entries, and their explicit little-endian encoding.
 */
#ifndef VALKKA_FS_FORMAT_H
#define VALKKA_FS_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#define FS_BLOCK_HEADER_SIZE 64u
#define FS_RECORD_HEADER_SIZE 48u
/* A table entry: a 64-byte summary, then one 40-byte slot per stream it names. Thirty-two
 * slots, so a MultiFS of a 16-camera kiosk (and twice that) names every stream of every block. */
#define FS_ENTRY_HEADER_SIZE 64u
#define FS_ENTRY_SLOT_SIZE 40u
#define FS_ENTRY_STREAMS 32u
#define FS_ENTRY_SIZE (FS_ENTRY_HEADER_SIZE + FS_ENTRY_SLOT_SIZE * FS_ENTRY_STREAMS) /* 1344 */
#define FS_MIN_BLOCK_SIZE 65536u
#define FS_MAX_BLOCK_SIZE 1073741824u
#define FS_MIN_BLOCKS 2u
#define FS_MAX_BLOCKS 1048576u

#define FS_ENTRY_OVERFLOW 0x1u

/* Sequence numbers are below 2^63 (a block a millisecond reaches that in 292 million years), so
 * the writer's next one never wraps to 0, "never written": an entry, header or record carrying a
 * larger one is damaged. */
#define FS_SEQ_LIMIT (UINT64_C(1) << 63)

/* Record kinds on disk: the valkka_frame_kind_t values, plus PAD for repaired stretches. */
#define FS_KIND_PAD 0u
#define FS_KIND_ENCODED 1u
#define FS_KIND_CONFIG 3u

/* What the scanner and the header checks need to know of the FS. */
typedef struct fs_layout {
  uint8_t uuid[16];
  uint32_t uuid_crc; /* crc32(0, uuid, 16): the seed of every record header crc */
  uint32_t block_size;
  uint32_t n_blocks;
} fs_layout_t;

typedef struct fs_stream_slot {
  uint32_t id;
  uint16_t codec;
  uint32_t frames;
  int64_t min_ms, max_ms, min_kf_ms;
} fs_stream_slot_t;

typedef struct fs_entry {
  int64_t max_kf_ms; /* 0: no keyframe */
  int64_t max_ms;    /* 0: void */
  int64_t min_ms;
  int64_t min_kf_ms; /* 0: no keyframe */
  uint64_t seq;
  uint32_t frames;
  uint32_t records;
  uint32_t end;
  uint16_t n_streams;
  uint16_t flags;
  fs_stream_slot_t streams[FS_ENTRY_STREAMS];
} fs_entry_t;

typedef struct fs_record {
  uint32_t stream_id;
  uint64_t seq;
  int64_t mstime;
  uint32_t flags;
  uint16_t codec;
  uint16_t kind;
  uint32_t length;      /* payload bytes */
  uint32_t pts_offset;  /* presentation - decode time, ms (format 2; 0 in format 1) */
  uint32_t payload_crc; /* filled by fs_record_encode, read by fs_record_parse */
} fs_record_t;

void fs_layout_init(fs_layout_t *layout, const uint8_t uuid[16], uint32_t block_size,
                    uint32_t n_blocks);

/* Bytes a record with `length` payload bytes takes, padding included. */
static inline uint32_t fs_record_size(uint32_t length) {
  return (FS_RECORD_HEADER_SIZE + length + 7u) & ~7u;
}
/* Largest payload a block can hold. */
static inline uint32_t fs_max_payload(const fs_layout_t *layout) {
  return layout->block_size - FS_BLOCK_HEADER_SIZE - FS_RECORD_HEADER_SIZE;
}

void fs_block_header_encode(const fs_layout_t *layout, uint32_t index, uint64_t seq,
                            uint8_t out[FS_BLOCK_HEADER_SIZE]);
/* True when `in` is a valid header of block `index` of this FS; stores its sequence number. */
bool fs_block_header_check(const fs_layout_t *layout, uint32_t index,
                           const uint8_t in[FS_BLOCK_HEADER_SIZE], uint64_t *seq);

/* Writes header, payload and zero padding (fs_record_size bytes) to `out`; sets payload_crc. */
void fs_record_encode(const fs_layout_t *layout, fs_record_t *record, const uint8_t *payload,
                      uint8_t *out);
/*
 * Parses the record header at `in` (`avail` bytes readable from there, up to the scan limit).
 * True when magic, header crc and kind hold and the whole record fits in `avail`; the payload crc
 * is checked separately (fs_record_payload_ok) so a damaged payload is told from a damaged header.
 */
bool fs_record_parse(const fs_layout_t *layout, const uint8_t *in, uint32_t avail,
                     fs_record_t *record);
bool fs_record_payload_ok(const fs_record_t *record, const uint8_t *payload);

void fs_entry_encode(const fs_entry_t *entry, uint8_t out[FS_ENTRY_SIZE]);
/* 0, or VALKKA_ECORRUPT (no detail set: callers know which entry it was) when crc or structure fail. */
int fs_entry_decode(const uint8_t in[FS_ENTRY_SIZE], uint32_t block_size, fs_entry_t *entry);

#endif
