/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Walking the records of a block held in memory, and rebuilding its table entry from them. Pure
 * functions over a buffer: recovery, fsck and reads share them, and tests drive them directly.
 */
#ifndef VALKKA_FS_SCAN_H
#define VALKKA_FS_SCAN_H

#include "fs/format.h"
#include "fs/ranges.h"

typedef struct fs_scan_ops {
  /* A valid record of the scanned use; a non-zero return stops the scan and is returned. */
  int (*record)(void *user, uint32_t offset, const fs_record_t *record, const uint8_t *payload);
  /* An invalid stretch [offset, offset + length); `trailing` when no valid record follows. */
  void (*bad)(void *user, uint32_t offset, uint32_t length, bool trailing);
  void *user;
  /* Optional: a record whose header holds but whose payload does not, stepped over by its length
     (so the positions inside it are not looked at); it is also part of a bad stretch. */
  void (*skipped)(void *user, uint32_t offset, uint32_t length);
} fs_scan_ops_t;

/*
 * Scans block[64, limit) for records of use `seq`, moving on 8 bytes at a time past invalid data.
 * Stores in *end the offset just past the last valid record (64 when none). Returns 0, or the stop
 * value of ops->record.
 */
int fs_scan_records(const fs_layout_t *layout, const uint8_t *block, uint32_t limit, uint64_t seq,
                    const fs_scan_ops_t *ops, uint32_t *end);

/* fs_scan_records from `start` on, a record boundary (an earlier scan's end): block[start, limit)
   is all that need be in memory. *end is `start` when no valid record follows it. */
int fs_scan_records_from(const fs_layout_t *layout, const uint8_t *block, uint32_t start,
                         uint32_t limit, uint64_t seq, const fs_scan_ops_t *ops, uint32_t *end);

/* The highest sequence number among the valid records of block[64, limit); 0 when none. */
uint64_t fs_scan_max_seq(const fs_layout_t *layout, const uint8_t *block, uint32_t limit);

typedef struct fs_rebuild {
  fs_entry_t entry;      /* summary of the valid records of `seq` (void when none) */
  fs_ranges_t ranges;    /* their ranges index entry */
  uint64_t seq;          /* the use: `want_seq`, else the header's, else the highest record's */
  uint64_t header_seq;   /* sequence number of a valid header; 0 when the header is invalid */
  bool header_ok;        /* valid header carrying `seq` */
  uint32_t end;          /* where writing resumes: past the last valid record, 64 when none */
  uint32_t records;      /* valid records (PAD included) */
  uint32_t bad_records;  /* invalid stretches followed by a valid record or inside `claim_end` */
  uint32_t free_stretch; /* start of the trailing invalid stretch outside the claim; 0 if none */
  uint32_t torn_end;     /* end of the last record stepped over after the last valid one (a torn
                             write); 0 if none. Writing that resumes at `end` clears up to it. */
} fs_rebuild_t;

/* Receives each bad stretch of fs_block_rebuild (for repair). */
typedef void (*fs_bad_fn)(void *user, uint32_t offset, uint32_t length);

/*
 * Rebuilds the entry of block `index` from its whole contents (`block`, block_size bytes).
 * want_seq 0: infer the use (FORMAT.md, Recovery 1). claim_end: the end the stored entry claims
 * (0 when none): invalid data before it is bad even at the end of the block.
 */
void fs_block_rebuild(const fs_layout_t *layout, uint32_t index, const uint8_t *block,
                      uint64_t want_seq, uint32_t claim_end, fs_bad_fn on_bad, void *user,
                      fs_rebuild_t *out);

#endif
