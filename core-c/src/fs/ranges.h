/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ranges index (FORMAT.md, "Ranges"): per block, the stretches each stream recorded without a
 * gap, kept by the writer beside the block table so that a day's lanes are drawn from it alone.
 */
#ifndef VALKKA_FS_RANGES_H
#define VALKKA_FS_RANGES_H

#include <stdbool.h>
#include <stdint.h>

#include "fs/format.h"

#define FS_RANGES_NAME "ranges"
#define FS_RANGES_PER_BLOCK 64u
#define FS_RANGES_HEADER_SIZE 24u
#define FS_RANGE_SIZE 24u
#define FS_RANGES_ENTRY_SIZE \
  (FS_RANGES_HEADER_SIZE + FS_RANGE_SIZE * FS_RANGES_PER_BLOCK) /* 1560 */
#define FS_RANGES_OVERFLOW 0x1u
/* The shortest gap told, whatever the stream's rate: a frame interval's jitter stays below it. */
#define FS_RANGE_MIN_GAP_MS 1000

typedef struct fs_range {
  uint32_t id;
  uint32_t interval_ms; /* the stream's last frame interval inside the range; 0: none yet */
  int64_t first_ms, last_ms;
} fs_range_t;

typedef struct fs_ranges {
  uint64_t seq; /* the block use; 0 (in memory): not known, the table's slots stand instead */
  uint32_t end; /* as the table entry's: the records the ranges cover */
  uint16_t n;
  uint16_t flags;
  fs_range_t r[FS_RANGES_PER_BLOCK];
} fs_ranges_t;

/* The longest step between two frames of one range whose last interval was `interval_ms`. */
static inline int64_t fs_range_gap_ms(uint32_t interval_ms) {
  const int64_t two = 2 * (int64_t)interval_ms;
  return two > FS_RANGE_MIN_GAP_MS ? two : FS_RANGE_MIN_GAP_MS;
}

void fs_ranges_set_void(fs_ranges_t *ranges, uint64_t seq);
/* Adds one record ending at byte `end` of its block: ENCODED frames make ranges, CONFIG records
   move `end` only, as they do the table entry's. */
void fs_ranges_add(fs_ranges_t *ranges, const fs_record_t *record, uint32_t end);
/* True when `ranges` tells the block `entry` summarises: same use, same records. */
bool fs_ranges_match(const fs_ranges_t *ranges, const fs_entry_t *entry);

void fs_ranges_encode(const fs_ranges_t *ranges, uint8_t out[FS_RANGES_ENTRY_SIZE]);
/* 0, or VALKKA_ECORRUPT when the crc or the structure fail (never written: all zero). */
int fs_ranges_decode(const uint8_t in[FS_RANGES_ENTRY_SIZE], fs_ranges_t *ranges);

#endif
