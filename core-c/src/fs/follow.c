/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Following the writer of another process (fs.h, valkka_fs_follow_start): a look reads what the
 * writer added since the last one and takes it into this read-only FS's table.
 *
 * Why it is exact without any lock shared with the writer (FORMAT.md, "Writing"): the writer
 * fills a block from its header on, record after record, and only after the last record of a
 * block starts the next one (void entry, then header). So a look reads the next block's header
 * first and the block being written after: when that header already says the next use, every
 * record of the block was in the file before the scan began, and a scan that finds nothing new
 * has seen the whole block. A record is taken only whole, its header and payload checksums
 * holding and its use the block's: one being written fails a checksum and is taken by a later
 * look. What the writer's table says is read only when the blocks cannot tell: at a block's end
 * (records past a damaged one) and after a wrap overtook the follower (the whole recovery again).
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/table.h"
#include "base/log.h"

/* Bytes read past the last record at each read, and taken by one step at most (the rest is for
   the next step, at once: the look buffer stays small whatever the block size). */
#define LOOK_CHUNK (64u * 1024u)
/* A remote FS: a look that finds nothing new costs a transfer of this many bytes; one that finds
   records reads as far past them as the last step took (a request a look at a steady rate), up to
   the most. */
#define REMOTE_LOOK_CHUNK (8u * 1024u)
#define REMOTE_LOOK_MAX (1024u * 1024u)
#define STEP_MAX_BYTES (4u * 1024u * 1024u)

/* Has bytes [0, want) of the look buffer: block bytes from `base` on. */
static int look_fill(valkka_fs_t *fs, uint32_t base, uint32_t *have, uint32_t want) {
  if (want <= *have) return 0;
  const uint32_t room = fs->layout.block_size - base;
  uint32_t chunk = LOOK_CHUNK;
  if (fs->files.dir)
    chunk = fs->look_last < REMOTE_LOOK_CHUNK ? REMOTE_LOOK_CHUNK
            : fs->look_last > REMOTE_LOOK_MAX ? REMOTE_LOOK_MAX
                                              : fs->look_last;
  uint32_t target = want + chunk;
  if (target > room) target = room;
  if (target > fs->look_cap) {
    uint8_t *grown = realloc(fs->look_buf, target);
    if (!grown) return valkka_error_set(VALKKA_ENOMEM, "fs %s: out of memory following", fs->dir);
    fs->look_buf = grown;
    fs->look_cap = target;
  }
  int err = fs_block_pread(&fs->files, &fs->layout, fs->cur, base + *have, fs->look_buf + *have,
                           target - *have);
  if (err) return err;
  *have = target;
  return 0;
}

/* Takes the whole records of the current use from fs->pos on into the table. */
static int scan_current(valkka_fs_t *fs, fs_look_t *look) {
  /* Recovery leaves pos 0 for a use whose header is still to be written (the writer had voided
     its entry, not yet written its header, when this reader opened): its records start past the
     header all the same. Scanning from 0 found nothing for good. */
  if (fs->pos < FS_BLOCK_HEADER_SIZE) fs->pos = FS_BLOCK_HEADER_SIZE;
  const uint32_t base = fs->pos;
  uint32_t have = 0, off = 0;
  fs_entry_t entry = fs->table[fs->cur];
  fs_ranges_t ranges = fs->ranges[fs->cur];
  int err = 0;
  while (base + off + FS_RECORD_HEADER_SIZE <= fs->layout.block_size && off < STEP_MAX_BYTES) {
    if ((err = look_fill(fs, base, &have, off + FS_RECORD_HEADER_SIZE))) break;
    fs_record_t r;
    /* The record may reach past the bytes read so far: the header is checked against what the
       block has room for, and the rest read before its payload is. */
    if (!fs_record_parse(&fs->layout, fs->look_buf + off, fs->layout.block_size - base - off, &r) ||
        r.seq != fs->seq)
      break;
    const uint32_t total = fs_record_size(r.length);
    if ((err = look_fill(fs, base, &have, off + total))) break;
    if (!fs_record_payload_ok(&r, fs->look_buf + off + FS_RECORD_HEADER_SIZE)) break;
    off += total;
    fs_entry_add(&entry, &r, base + off);
    fs_ranges_add(&ranges, &r, base + off);
    look->records++;
  }
  look->block = fs->cur;
  look->seq = fs->seq;
  look->offset = base;
  look->bytes = off;
  fs->look_last = off;
  if (!off) return err;
  pthread_mutex_lock(&fs->table_lock);
  fs->table[fs->cur] = entry;
  fs->ranges[fs->cur] = ranges;
  pthread_mutex_unlock(&fs->table_lock);
  fs->pos = base + off;
  look->more = off >= STEP_MAX_BYTES;
  look->events[look->n_events++] = (fs_event_t){VALKKA_FS_BLOCK_PROGRESS, fs->cur, entry};
  return err;
}

/* The writer began use `seq` of block `index`: the follower does what the writer did. */
static void begin_use(valkka_fs_t *fs, uint32_t index, uint64_t seq) {
  pthread_mutex_lock(&fs->table_lock);
  fs_entry_set_void(&fs->table[index], seq);
  fs_ranges_set_void(&fs->ranges[index], seq);
  fs->cur = index;
  fs->seq = seq;
  pthread_mutex_unlock(&fs->table_lock);
  fs->pos = FS_BLOCK_HEADER_SIZE;
}

/* A block the writer finished: its stored entry counts records past a damaged one the scan
   stopped at (the writer stores it before it starts the next block). */
static void finish_current(valkka_fs_t *fs, fs_look_t *look) {
  uint8_t raw[FS_ENTRY_SIZE];
  fs_entry_t stored;
  if (fs_table_read_raw(&fs->files, fs->cur, 1, raw) == 0 &&
      fs_entry_decode(raw, fs->layout.block_size, &stored) == 0 && stored.seq == fs->seq &&
      stored.records > fs->table[fs->cur].records) {
    LOG_WARN("fs", "%s: block %u: %u records past a damaged one are known by the table only",
             fs->dir, fs->cur, stored.records - fs->table[fs->cur].records);
    /* The writer stored the block's ranges with its entry: taken when they tell the same. */
    fs_ranges_t ranges;
    uint8_t raw_ranges[FS_RANGES_ENTRY_SIZE];
    if (!fs->files.ranges || fs_ranges_read_raw(&fs->files, fs->cur, 1, raw_ranges) ||
        fs_ranges_decode(raw_ranges, &ranges) || !fs_ranges_match(&ranges, &stored))
      fs_ranges_set_void(&ranges, 0);
    pthread_mutex_lock(&fs->table_lock);
    fs->table[fs->cur] = stored;
    fs->ranges[fs->cur] = ranges;
    pthread_mutex_unlock(&fs->table_lock);
  }
  look->events[look->n_events++] =
      (fs_event_t){VALKKA_FS_BLOCK_FINISHED, fs->cur, fs->table[fs->cur]};
}

/* The writer is out of step with what the follower knows (a wrap overtook it): recovery again,
   into a new table that replaces the old one at once. */
static int resync(valkka_fs_t *fs, fs_look_t *look) {
  fs_entry_t *table = calloc(fs->layout.n_blocks, sizeof *table);
  fs_ranges_t *ranges = table ? calloc(fs->layout.n_blocks, sizeof *ranges) : NULL;
  if (!ranges) {
    free(table);
    return valkka_error_set(VALKKA_ENOMEM, "fs %s: out of memory following", fs->dir);
  }
  fs_recovery_t r;
  int err = fs_recover_into(fs, table, ranges, true, &r);
  if (!err) {
    LOG_INFO("fs", "%s: the writer went past what this reader followed: table read again", fs->dir);
    pthread_mutex_lock(&fs->table_lock);
    memcpy(fs->table, table, (size_t)fs->layout.n_blocks * sizeof *table);
    memcpy(fs->ranges, ranges, (size_t)fs->layout.n_blocks * sizeof *ranges);
    fs->cur = r.cur;
    fs->seq = r.seq;
    pthread_mutex_unlock(&fs->table_lock);
    fs->pos = r.pos;
    look->events[look->n_events++] =
        (fs_event_t){VALKKA_FS_BLOCK_PROGRESS, fs->cur, fs->table[fs->cur]};
  }
  free(table);
  free(ranges);
  return err;
}

static int read_header(valkka_fs_t *fs, uint32_t index, uint64_t *seq) {
  uint8_t header[FS_BLOCK_HEADER_SIZE];
  int err = fs_block_pread(&fs->files, &fs->layout, index, 0, header, sizeof header);
  if (err) return err;
  if (!fs_block_header_check(&fs->layout, index, header, seq)) *seq = 0;
  return 0;
}

int fs_look_step_locked(valkka_fs_t *fs, fs_look_t *look) {
  memset(look, 0, sizeof *look);
  uint64_t hseq = 0;
  int err;
  if (!fs->seq) {
    /* Nothing was written when the FS was opened: the first use is block 0's. */
    if ((err = read_header(fs, 0, &hseq)) || !hseq) return err;
    if (hseq != 1) return resync(fs, look);
    begin_use(fs, 0, hseq);
  }
  const uint32_t next = (fs->cur + 1) % fs->layout.n_blocks;
  if ((err = read_header(fs, next, &hseq))) return err;
  if ((err = scan_current(fs, look)) || look->records) {
    look->more = look->more || hseq == fs->seq + 1;
    return err;
  }
  if (hseq == fs->seq + 1) {
    finish_current(fs, look);
    begin_use(fs, next, hseq);
    look->more = true;
  } else if (hseq > fs->seq + 1 && hseq != fs->resync_hseq) {
    /* Once per header seen: one the recovery explains away is not a reason to read it all. */
    fs->resync_hseq = hseq;
    err = resync(fs, look);
  }
  return err;
}

int valkka_fs_refresh(valkka_fs_t *fs) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_refresh: NULL argument");
  if (!fs->readonly)
    return valkka_error_set(VALKKA_EACCES,
                            "fs %s: refresh follows another writer: the FS is "
                            "open for writing here",
                            fs->dir);
  pthread_mutex_lock(&fs->writer_lock);
  const bool following = fs->follower != NULL;
  pthread_mutex_unlock(&fs->writer_lock);
  if (following)
    return valkka_error_set(VALKKA_ESTATE, "fs %s: refresh: the follow thread looks already",
                            fs->dir);
  uint32_t taken = 0;
  int err = 0;
  /* Bounded: every step past the first moves on by a block or a step's bytes. */
  const uint64_t bound = ((uint64_t)fs->layout.n_blocks + 1) *
                         (fs->layout.block_size / STEP_MAX_BYTES + 2);
  for (uint64_t i = 0; i <= bound && !err; i++) {
    fs_look_t look;
    pthread_mutex_lock(&fs->write_lock);
    err = fs_look_step_locked(fs, &look);
    pthread_mutex_unlock(&fs->write_lock);
    taken += look.records;
    if (!look.more) break;
  }
  return err ? err : (int)(taken > INT32_MAX ? INT32_MAX : taken);
}
