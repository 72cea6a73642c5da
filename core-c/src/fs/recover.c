/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Recovery on open (FORMAT.md, "Recovery"): rebuild damaged entries, find the block being
 * written, and take back every record of it that reached the file.
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/scan.h"
#include "fs/table.h"
#include "base/log.h"

#define TABLE_CHUNK 1024u

/* The table's entry, then the ranges index's, as the writer stores them. */
static int store(valkka_fs_t *fs, const fs_entry_t *table, const fs_ranges_t *ranges,
                 uint32_t index) {
  if (fs->readonly) return 0;
  int err = fs_entry_store(&fs->files, index, &table[index]);
  return err ? err : fs_ranges_store(&fs->files, index, &ranges[index]);
}

/* The stored ranges index, read as it is: what the table does not confirm is dropped once the
   table is final (forget_unmatched). */
static int load_ranges(valkka_fs_t *fs, fs_ranges_t *ranges) {
  const uint32_t n = fs->layout.n_blocks;
  memset(ranges, 0, (size_t)n * sizeof *ranges);
  if (!fs->files.ranges) return 0;
  uint8_t *raw = malloc((size_t)TABLE_CHUNK * FS_RANGES_ENTRY_SIZE);
  if (!raw) return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory reading the ranges index");
  int err = 0;
  for (uint32_t first = 0; first < n && !err; first += TABLE_CHUNK) {
    uint32_t count = n - first < TABLE_CHUNK ? n - first : TABLE_CHUNK;
    if ((err = fs_ranges_read_raw(&fs->files, first, count, raw))) break;
    for (uint32_t i = 0; i < count; i++)
      (void)fs_ranges_decode(raw + (size_t)i * FS_RANGES_ENTRY_SIZE, &ranges[first + i]);
  }
  free(raw);
  if (err) {
    /* The index is a summary: without it every block reads from its slots, nothing is lost. */
    LOG_WARN("fs", "%s: %s: recorded ranges from the table's slots", fs->dir, valkka_last_error());
    memset(ranges, 0, (size_t)n * sizeof *ranges);
  }
  return 0;
}

/* An entry the table does not confirm (never written, of an older use, or of fewer records: a
   power cut between the two files' writes) tells nothing: the block's slots stand in. */
static void forget_unmatched(const fs_entry_t *table, fs_ranges_t *ranges, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!fs_ranges_match(&ranges[i], &table[i])) fs_ranges_set_void(&ranges[i], 0);
}

static int rebuild(valkka_fs_t *fs, uint32_t index, uint8_t *buf, uint64_t want_seq,
                   fs_rebuild_t *out) {
  int err = fs_block_pread(&fs->files, &fs->layout, index, 0, buf, fs->layout.block_size);
  if (err) return err;
  fs_block_rebuild(&fs->layout, index, buf, want_seq, 0, NULL, NULL, out);
  return 0;
}

static int load_table(valkka_fs_t *fs, fs_entry_t *table, fs_ranges_t *ranges, fs_recovery_t *out,
                      uint8_t *block_buf) {
  const uint32_t n = fs->layout.n_blocks;
  uint8_t *raw = malloc((size_t)TABLE_CHUNK * FS_ENTRY_SIZE);
  if (!raw) return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory reading the blocktable");
  int err = 0;
  for (uint32_t first = 0; first < n && !err; first += TABLE_CHUNK) {
    uint32_t count = n - first < TABLE_CHUNK ? n - first : TABLE_CHUNK;
    if ((err = fs_table_read_raw(&fs->files, first, count, raw))) break;
    for (uint32_t i = 0; i < count && !err; i++) {
      uint32_t index = first + i;
      if (fs_entry_decode(raw + (size_t)i * FS_ENTRY_SIZE, fs->layout.block_size, &table[index]) ==
          0)
        continue;
      LOG_WARN("fs", "%s: blocktable entry %u damaged: rebuilding it from its block", fs->dir,
               index);
      fs_rebuild_t rb;
      if ((err = rebuild(fs, index, block_buf, 0, &rb))) break;
      table[index] = rb.entry;
      ranges[index] = rb.ranges;
      out->entries_rebuilt++;
      err = store(fs, table, ranges, index);
    }
  }
  free(raw);
  return err;
}

/* Rebuilds the entry of every block whose header is newer than its entry, and of the table's
   newest block `head` (the writer went on filling it after the table's last sync). */
static int catch_up(valkka_fs_t *fs, fs_entry_t *table, fs_ranges_t *ranges, fs_recovery_t *out,
                    uint32_t head, uint8_t *buf) {
  const uint32_t n = fs->layout.n_blocks;
  for (uint32_t k = 0; k < n; k++) {
    /* A writer checks every block. A reader (of a writer at work, whose table is synced at an
       interval) takes head, then the blocks after it while their headers are newer: the writer
       starts blocks in order, and a header is a request when the FS is remote. */
    const uint32_t i = fs->readonly ? (head + k) % n : k;
    uint8_t header[FS_BLOCK_HEADER_SIZE];
    uint64_t seq = 0;
    int err = fs_block_pread(&fs->files, &fs->layout, i, 0, header, sizeof header);
    if (err) return err;
    const fs_entry_t had = table[i];
    if (!fs_block_header_check(&fs->layout, i, header, &seq) || seq < had.seq) seq = 0;
    if (seq == had.seq && i != head) seq = 0; /* finished before the table's last sync */
    if (!seq && fs->readonly && i != head) break;
    if (!seq) continue;
    fs_rebuild_t rb;
    if ((err = rebuild(fs, i, buf, seq, &rb))) return err;
    if (fs_entry_equal(&rb.entry, &had)) continue;
    /* Records of a stale entry's use are all news; of the same use, those past its end. */
    const uint32_t known = had.seq == rb.entry.seq ? had.records : 0;
    if (rb.entry.records > known) out->records_recovered += rb.entry.records - known;
    table[i] = rb.entry;
    ranges[i] = rb.ranges;
    if ((err = store(fs, table, ranges, i))) return err;
  }
  return 0;
}

int fs_recover_into(valkka_fs_t *fs, fs_entry_t *table, fs_ranges_t *ranges, bool live,
                    fs_recovery_t *out) {
  const uint32_t n = fs->layout.n_blocks;
  uint8_t *buf = malloc(fs->layout.block_size);
  if (!buf) return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory for a block");
  memset(out, 0, sizeof *out);
  int err = load_ranges(fs, ranges);
  if (!err) err = load_table(fs, table, ranges, out, buf);
  uint32_t head = 0;
  for (uint32_t i = 1; i < n && !err; i++)
    if (table[i].seq > table[head].seq) head = i;
  if (err || table[head].seq == 0) goto done; /* a fresh FS: the first frame starts block 0 */

  /* The writer writes a block's void entry before its header (FORMAT.md, "Writing" 2), so the
     table knows every block it started, unless the table lost writes the blocks file kept: a
     power cut between the fdatasync of the blocks and that of the table. Then the block after H
     carries a newer header, and any number of blocks may have been reused since the table's
     last sync (more than the whole FS at a high rate): check every header. */
  uint8_t header[FS_BLOCK_HEADER_SIZE];
  uint64_t next_seq = 0;
  if ((err = fs_block_pread(&fs->files, &fs->layout, (head + 1) % n, 0, header, sizeof header)))
    goto done;
  if (fs_block_header_check(&fs->layout, (head + 1) % n, header, &next_seq) &&
      next_seq > table[head].seq) {
    /* Normal while a writer is at work (its table is synced at an interval): no news then. */
    if (!live)
      LOG_WARN("fs",
               "%s: the blocktable is behind the blocks (a power cut?): checking every "
               "block",
               fs->dir);
    if ((err = catch_up(fs, table, ranges, out, head, buf))) goto done;
    for (uint32_t i = 0; i < n; i++)
      if (table[i].seq > table[head].seq) head = i;
  }

  fs_entry_t before = table[head];
  fs_rebuild_t rb;
  if ((err = rebuild(fs, head, buf, before.seq, &rb))) goto done;
  out->cur = head;
  out->seq = before.seq;
  if (rb.torn_end > rb.end && !fs->readonly) {
    /* The scan stepped over a torn record by its length and never looked inside it. New records
       will cover only its start; cleared, no bytes of it can pass for records of this use once
       the scan walks on past the new ones. */
    memset(buf + rb.end, 0, rb.torn_end - rb.end);
    if ((err = fs_block_pwrite(&fs->files, &fs->layout, head, rb.end, buf + rb.end,
                               rb.torn_end - rb.end)))
      goto done;
  }
  /* rb.records counts PAD records too: they are this use's, so its end is past them. */
  if (rb.header_ok || rb.records) {
    table[head] = rb.entry;
    ranges[head] = rb.ranges;
    out->pos = rb.end;
    if (rb.entry.records > before.records)
      out->records_recovered += rb.entry.records - before.records;
    if (!rb.header_ok && !fs->readonly) {
      /* Records under a damaged header: rewrite the header, keep the records after it. */
      uint8_t h[FS_BLOCK_HEADER_SIZE];
      fs_block_header_encode(&fs->layout, head, out->seq, h);
      if ((err = fs_block_pwrite(&fs->files, &fs->layout, head, 0, h, sizeof h))) goto done;
    }
  } else {
    /* Nothing of this use reached the block: its header is still to be written. */
    if (!fs_entry_is_void(&before))
      LOG_WARN("fs", "%s: block %u holds none of the records its entry claims: made void", fs->dir,
               head);
    fs_entry_set_void(&table[head], before.seq);
    fs_ranges_set_void(&ranges[head], before.seq);
  }
  if (!fs_entry_equal(&before, &table[head]))
    err = store(fs, table, ranges, head);
  else if (!fs->readonly) /* the index may lag the table (or be new): it is whole again */
    err = fs_ranges_store(&fs->files, head, &ranges[head]);
  if (out->records_recovered && !live)
    LOG_INFO("fs",
             "%s: recovered %u records written after the last table update (block %u is "
             "the newest)",
             fs->dir, out->records_recovered, head);
done:
  if (!err) forget_unmatched(table, ranges, n);
  free(buf);
  return err;
}

int fs_recover(valkka_fs_t *fs) {
  fs_recovery_t r;
  int err = fs_recover_into(fs, fs->table, fs->ranges, false, &r);
  fs->cur = r.cur;
  fs->seq = r.seq;
  fs->pos = r.pos;
  fs->entries_rebuilt = r.entries_rebuilt;
  fs->records_recovered = r.records_recovered;
  return err;
}
