/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valkka_fs_fsck: the whole table checked against the blocks; repair rebuilds it (FORMAT.md). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <valkka/error.h>
#include <valkka/fs.h>

#include "fs/fs_internal.h"
#include "fs/scan.h"
#include "fs/table.h"
#include "util/array.h"
#include "base/log.h"

typedef struct stretch {
  uint32_t offset, length;
} stretch_t;

typedef struct stretches {
  stretch_t *items;
  uint32_t n;
  size_t cap;
  bool oom;
} stretches_t;

static void collect(void *user, uint32_t offset, uint32_t length) {
  stretches_t *s = user;
  if (array_reserve((void **)&s->items, &s->cap, (size_t)s->n + 1, sizeof *s->items, 16)) {
    s->oom = true;
    return;
  }
  s->items[s->n++] = (stretch_t){offset, length};
}

typedef struct fsck {
  const char *dir;
  fs_layout_t layout;
  fs_files_t files;
  bool repair;
  uint64_t newest_seq; /* the highest use the table named when the check began */
  uint8_t *block;
  uint8_t *scratch;
  valkka_fs_fsck_report_t r;
} fsck_t;

/* Covers a damaged stretch with a PAD record, so later scans see a valid record there. A stretch
 * too short for a record header (damage between two valid records, 8..40 bytes) is zeroed
 * instead: scans take such zero filler for no damage (scan.c), and no frame fitted in it. */
static int pad(fsck_t *f, uint32_t index, uint64_t seq, const stretch_t *s) {
  if (s->length < FS_RECORD_HEADER_SIZE) {
    memset(f->block + s->offset, 0, s->length);
    return fs_block_pwrite(&f->files, &f->layout, index, s->offset, f->block + s->offset,
                           s->length);
  }
  fs_record_t pad_record = {.seq = seq, .kind = 0, .length = s->length - FS_RECORD_HEADER_SIZE};
  memcpy(f->scratch, f->block + s->offset + FS_RECORD_HEADER_SIZE, pad_record.length);
  fs_record_encode(&f->layout, &pad_record, f->scratch, f->block + s->offset);
  return fs_block_pwrite(&f->files, &f->layout, index, s->offset, f->block + s->offset,
                         FS_RECORD_HEADER_SIZE);
}

/*
 * Whether block `index` is one a writer was filling: its header names the newest use (or a newer
 * one: a live writer moved on during the check), and its entry is either older than that use (the
 * writer began the block after the entry was read, or a power cut lost the entry's void mark) or
 * exactly what the use's records up to the entry's end make while the block holds more (the
 * entry is stored at intervals: FORMAT.md, "Recovery"). The prefix is rebuilt from a copy of the
 * block cut at the entry's end, in f->scratch.
 */
static bool in_progress(fsck_t *f, uint32_t index, const fs_entry_t *stored,
                        const fs_rebuild_t *rb) {
  if (!rb->header_ok || rb->seq < f->newest_seq) return false;
  if (rb->seq > stored->seq) return true;
  if (rb->seq != stored->seq || rb->entry.records < stored->records ||
      fs_entry_equal(stored, &rb->entry))
    return false;
  if (fs_entry_is_void(stored)) return true; /* begun after the last store: nothing claimed yet */
  if (stored->end > f->layout.block_size || stored->end < FS_BLOCK_HEADER_SIZE) return false;
  memcpy(f->scratch, f->block, stored->end);
  memset(f->scratch + stored->end, 0, f->layout.block_size - stored->end);
  fs_rebuild_t prefix;
  fs_block_rebuild(&f->layout, index, f->scratch, stored->seq, 0, NULL, NULL, &prefix);
  return prefix.bad_records == 0 && fs_entry_equal(stored, &prefix.entry);
}

/* The ranges-index entry of a finished block whose table entry is sound, against the one its
   records make: whether repair should write it, and whether its being off is damage. */
static int check_ranges(fsck_t *f, uint32_t index, const fs_entry_t *stored,
                        const fs_ranges_t *rebuilt) {
  if (!f->files.ranges) return 0; /* an FS older than the index */
  uint8_t have[FS_RANGES_ENTRY_SIZE], want[FS_RANGES_ENTRY_SIZE];
  int err = fs_ranges_read_raw(&f->files, index, 1, have);
  if (err) return err;
  fs_ranges_encode(rebuilt, want);
  if (!memcmp(have, want, sizeof want)) return 0;
  static const uint8_t never_written[FS_RANGES_ENTRY_SIZE];
  fs_ranges_t told = {0};
  const bool damaged = memcmp(have, never_written, sizeof have) &&
                       (fs_ranges_decode(have, &told) || fs_ranges_match(&told, stored));
  if (damaged) {
    f->r.bad_ranges++;
    LOG_INFO("fs", "fsck %s: ranges entry %u %s", f->dir, index,
             told.seq ? "disagrees with its block" : "damaged (crc or structure)");
  }
  if (!f->repair) return 0;
  if (!(err = fs_ranges_store(&f->files, index, rebuilt))) f->r.ranges_rebuilt++;
  return err;
}

static int check_block(fsck_t *f, uint32_t index, const uint8_t *raw) {
  fs_entry_t stored;
  const bool entry_ok = fs_entry_decode(raw, f->layout.block_size, &stored) == 0;
  int err = fs_block_pread(&f->files, &f->layout, index, 0, f->block, f->layout.block_size);
  if (err) return err;
  const uint32_t claim = entry_ok && !fs_entry_is_void(&stored) ? stored.end : 0;
  stretches_t holes = {0};
  fs_rebuild_t rb;
  fs_block_rebuild(&f->layout, index, f->block, 0, claim, collect, &holes, &rb);
  if (claim && rb.header_ok && rb.seq > stored.seq && rb.seq >= f->newest_seq) {
    /* A newer use than the entry's, begun by a writer: the old use's end claims nothing of it. */
    holes.n = 0;
    fs_block_rebuild(&f->layout, index, f->block, 0, 0, collect, &holes, &rb);
  }
  if (holes.oom) {
    free(holes.items);
    return valkka_error_set(VALKKA_ENOMEM, "fsck: out of memory");
  }
  f->r.blocks_checked++;
  f->r.records_checked += rb.records;
  f->r.bad_records += rb.bad_records;
  /* A void entry newer than its block marks a block about to be rewritten: as it should be. */
  const bool about_to_be_rewritten = entry_ok && fs_entry_is_void(&stored) && stored.seq > rb.seq;
  const bool writing = entry_ok && !rb.bad_records && in_progress(f, index, &stored, &rb);
  const bool entry_bad =
      !entry_ok || (!about_to_be_rewritten && !writing && !fs_entry_equal(&stored, &rb.entry));
  const bool header_bad = rb.entry.records > 0 && !rb.header_ok;
  if (writing) {
    const uint32_t past = rb.entry.records - (stored.seq == rb.seq ? stored.records : 0);
    f->r.blocks_in_progress++;
    f->r.records_in_progress += past;
    LOG_INFO("fs", "fsck %s: block %u is being written: %u records past its entry", f->dir, index,
             past);
  }
  if (entry_bad) {
    f->r.bad_entries++;
    LOG_INFO("fs", "fsck %s: entry %u %s", f->dir, index,
             entry_ok ? "disagrees with its block" : "damaged (crc or structure)");
  }
  if (header_bad) f->r.bad_headers++;
  if (!entry_bad && !writing && !fs_entry_is_void(&stored) && rb.entry.records)
    err = check_ranges(f, index, &stored, &rb.ranges);
  if (!err && f->repair) {
    for (uint32_t i = 0; i < holes.n && !err; i++) err = pad(f, index, rb.seq, &holes.items[i]);
    if (!err && header_bad) {
      uint8_t header[FS_BLOCK_HEADER_SIZE];
      fs_block_header_encode(&f->layout, index, rb.seq, header);
      err = fs_block_pwrite(&f->files, &f->layout, index, 0, header, sizeof header);
    }
    /* A block in progress gets its whole entry too, as recovery would give it: not damage, but
       a repaired table claims everything the blocks hold. */
    if (!err && (entry_bad || writing)) {
      err = fs_entry_store(&f->files, index, &rb.entry);
      if (!err) err = fs_ranges_store(&f->files, index, &rb.ranges);
      if (!err) f->r.entries_rebuilt++;
    }
  }
  free(holes.items);
  return err;
}

static int run(fsck_t *f) {
  const uint32_t n = f->layout.n_blocks;
  uint8_t raw[FS_ENTRY_SIZE];
  fs_entry_t e;
  for (uint32_t b = 0; b < n; b++) {
    int err = fs_table_read_raw(&f->files, b, 1, raw);
    if (err) return err;
    if (fs_entry_decode(raw, f->layout.block_size, &e) == 0 && e.seq > f->newest_seq)
      f->newest_seq = e.seq;
  }
  for (uint32_t b = 0; b < n; b++) {
    int err = fs_table_read_raw(&f->files, b, 1, raw);
    if (!err) err = check_block(f, b, raw);
    if (err) return err;
    if (f->r.progress) f->r.progress(f->r.progress_user, b + 1, n);
  }
  if (!f->repair) return 0;
  int err = f->files.vt->sync(f->files.blocks);
  if (!err) err = f->files.vt->sync(f->files.table);
  if (!err && f->files.ranges) err = f->files.vt->sync(f->files.ranges);
  return err;
}

int valkka_fs_fsck(const char *dir, int repair, valkka_fs_fsck_report_t *report) {
  if (!dir) return valkka_error_set(VALKKA_EINVAL, "fs_fsck: NULL dir");
  fs_config_t cfg;
  int err = fs_config_load(dir, &cfg);
  if (err) return err;
  const valkka_storage_vtable_t *vt = fs_backend_find(cfg.backend);
  if (!vt) return valkka_error_set(VALKKA_ENOENT, "fsck %s: %s", dir, valkka_last_error());
  fsck_t f = {.dir = dir, .repair = repair != 0};
  f.r.struct_size = sizeof f.r;
  if (report && report->struct_size >= offsetof(valkka_fs_fsck_report_t, progress_user) +
                                           sizeof report->progress_user) {
    f.r.progress = report->progress;
    f.r.progress_user = report->progress_user;
  }
  fs_layout_init(&f.layout, cfg.uuid, cfg.block_size, cfg.n_blocks);
  int lock_fd = -1;
  if (f.repair && (lock_fd = fs_lock_dir(dir)) < 0) return lock_fd;
  err = fs_files_open(&f.files, vt, dir, &cfg, f.repair ? 0 : VALKKA_STORAGE_READONLY);
  if (!err) {
    f.block = malloc(cfg.block_size);
    f.scratch = malloc(cfg.block_size);
    err = f.block && f.scratch ? run(&f) : valkka_error_set(VALKKA_ENOMEM, "fsck: out of memory");
    if (err) valkka_error_set(err, "fsck %s: %s", dir, valkka_last_error());
    free(f.block);
    free(f.scratch);
    fs_files_close(&f.files);
  }
  if (lock_fd >= 0) close(lock_fd);
  if (report && report->struct_size >= sizeof(uint32_t)) {
    uint32_t size = report->struct_size < sizeof f.r ? report->struct_size : (uint32_t)sizeof f.r;
    f.r.struct_size = size;
    memcpy(report, &f.r, size);
  }
  if (err) return err;
  if (!f.repair && (f.r.bad_entries || f.r.bad_headers || f.r.bad_records || f.r.bad_ranges))
    return valkka_error_set(VALKKA_ECORRUPT,
                            "fsck %s: %u bad entries, %u bad block headers, %u bad records, %u bad "
                            "ranges entries in %u blocks",
                            dir, f.r.bad_entries, f.r.bad_headers, f.r.bad_records, f.r.bad_ranges,
                            f.r.blocks_checked);
  return 0;
}
