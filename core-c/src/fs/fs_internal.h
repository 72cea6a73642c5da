/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The valkka_fs_t object, private to core-c/src/fs (its files and the writer thread).
 *
 * Lock order: writer_lock, then write_lock, then table_lock or streams_lock (never both).
 * write_lock is held across the storage plugin's calls; table_lock never is, so the readers of the
 * table (info, time range, index search, a block's use) take table_lock alone and do not wait
 * for a write the storage holds up.
 */
#ifndef VALKKA_FS_FS_INTERNAL_H
#define VALKKA_FS_FS_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <valkka/fs.h>
#include <valkka/plugin.h>

#include "fs/format.h"
#include "fs/ranges.h"

#define FS_JSON_NAME "valkkafs.json"
#define FS_TABLE_NAME "blocktable"
#define FS_NAMES_NAME "streams.json"

/* A stream's entry in the stream table (names.c). */
typedef struct fs_name {
  uint32_t id;
  uint32_t camera_id;
  char name[VALKKA_FS_STREAM_NAME_MAX];
} fs_name_t;
#define FS_BLOCKS_NAME "blocks"

/* valkkafs.json, decoded and checked (json.c). */
/* The format version written; FS_FORMAT_OLDEST and later are read (FORMAT.md, "Versions"). */
#define FS_FORMAT_VERSION 2
#define FS_FORMAT_OLDEST 1

typedef struct fs_config {
  uint32_t version; /* FS_FORMAT_OLDEST ..= FS_FORMAT_VERSION */
  uint8_t uuid[16];
  char uuid_hex[33];
  uint32_t kind; /* valkka_fs_kind_t */
  uint32_t block_size;
  uint32_t n_blocks;
  char data[PATH_MAX]; /* "blocks" or an absolute device path */
  char backend[128];
  char created[32];
} fs_config_t;

/* One on-disk stream seen since open. Allocated once, freed at close: pointers to it stay valid. */
typedef struct fs_stream {
  uint32_t id;
  /* under fs->write_lock */
  uint8_t *config; /* the stream's last CONFIG payload */
  uint32_t config_len, config_cap;
  uint16_t config_codec;
  bool config_in_block; /* a CONFIG record of it follows its last keyframe in the current block */
  /* under fs->streams_lock */
  valkka_fs_stream_stats_t stats;
} fs_stream_t;

typedef struct fs_slot_map {
  uint32_t slot;
  uint32_t id;
  fs_stream_t *stream; /* write map: the stream's counters */
} fs_slot_map_t;

/* Open files through the storage backend (backend.c). */
typedef struct fs_files {
  const valkka_storage_vtable_t *vt;
  void *dir; /* the backend's directory handle (open_dir: a remote FS), or NULL: files by path */
  void *table;
  void *blocks;
  void *ranges; /* the ranges index (FORMAT.md, "Ranges"), or NULL: an FS without one */
} fs_files_t;

typedef struct fs_writer fs_writer_t;             /* writer.c */
typedef struct fs_follower fs_follower_t;         /* follow_thread.c */
typedef struct fs_wbuf fs_wbuf_t;                 /* write.c */
typedef struct fs_ranges_cache fs_ranges_cache_t; /* ranges_query.c */

/* An event the writer thread reports once write_lock is released. */
typedef struct fs_event {
  uint32_t reason;
  uint32_t block;
  fs_entry_t entry;
} fs_event_t;

struct valkka_fs {
  char *dir;
  fs_config_t cfg;
  fs_layout_t layout;
  fs_files_t files;
  int lock_fd; /* holds the flock of a writable open; -1 otherwise */
  bool readonly;
  uint32_t max_streams; /* 0: any */
  uint32_t sync_interval_ms;

  /* Serializes writers: guards the write position, the backend handles' writes and streams'
     configs, and is held across the storage plugin's calls. A holder may read table, cur and seq
     without table_lock, since they change only under both locks. */
  pthread_mutex_t write_lock;
  /* Guards table, cur and seq for readers; changed under write_lock and table_lock both, and
     never held across a storage plugin's call. */
  pthread_mutex_t table_lock;
  fs_entry_t *table;
  fs_ranges_t *ranges; /* entry i: block i's, as fs_ranges_match tells against table[i] */
  fs_ranges_cache_t *ranges_cache; /* every stream's ranges as the table last stood */
  uint32_t cur;                    /* block being written */
  uint64_t seq;                    /* its sequence number; 0: nothing was ever written */
  /* under write_lock */
  uint32_t pos;     /* next append offset in it, past the records still in wbuf; 0: its header
                       is still to be written */
  bool entry_dirty; /* the in-memory entry of `cur` is newer than the file's */
  bool restarted;   /* `cur` holds records of an earlier open: the next record starts a block */
  int64_t entry_stored_us;
  fs_wbuf_t *wbuf; /* records of `cur` appended, not yet written (write.c); one allocation */
  bool has_single_id;
  uint32_t single_id;

  /* Guards the stream list, the slot map and every stream's stats. */
  pthread_mutex_t streams_lock;
  fs_stream_t **streams;
  uint32_t n_streams;
  size_t cap_streams;
  fs_name_t *names; /* the stream table */
  uint32_t n_names;
  size_t cap_names;
  fs_slot_map_t *write_map;
  uint32_t n_write_map;
  size_t cap_write_map;

  atomic_uint_fast64_t bad_records;
  atomic_uint_fast64_t writer_beats; /* valkka_fs_info_t.writer_beats */
  uint32_t entries_rebuilt;
  uint32_t records_recovered;

  pthread_mutex_t writer_lock; /* start / stop of the writer or the follow thread */
  fs_writer_t *writer;
  fs_follower_t *follower;
  /* A read-only FS following another process's writer (follow.c), under write_lock: `pos` is
     where the next look reads the block being written; the look's bytes of it. */
  uint8_t *look_buf;
  uint32_t look_cap;
  uint32_t look_last;   /* the bytes of records the last step took */
  uint64_t resync_hseq; /* the header that made the last resync */
};

/* json.c; fs_json_save writes `root` to dir/name atomically (tmp, fsync, rename). */
typedef struct json_t json_t;
int fs_json_save(const char *dir, const char *name, json_t *root);
int fs_config_load(const char *dir, fs_config_t *cfg);
/* valkkafs.json's text (`label` names it in messages), decoded and checked. */
int fs_config_parse(const char *text, size_t len, const char *label, fs_config_t *cfg);
int fs_config_save(const char *dir, const fs_config_t *cfg);
const char *fs_kind_name(uint32_t kind);
const char *fs_kind_backend(uint32_t kind);

/* names.c: the stream table, read at open; fill sets info's name and camera_id when known. */
void fs_names_load(valkka_fs_t *fs);
void fs_names_fill(valkka_fs_t *fs, valkka_fs_stream_info_t *info);

/* backend.c */
const valkka_storage_vtable_t *fs_backend_find(const char *name);
/* Opens blocktable and blocks of `cfg` in `dir`; flags: VALKKA_STORAGE_CREATE / _READONLY.
   `files` is zeroed, or holds the directory handle fs_remote_open opened. */
int fs_files_open(fs_files_t *files, const valkka_storage_vtable_t *vt, const char *dir,
                  const fs_config_t *cfg, uint32_t flags);
void fs_files_close(fs_files_t *files); /* and the directory handle */
/* A small file of the FS directory whole, through the directory handle when there is one:
   `*data` is the caller's (free), NUL-terminated past `*len`. */
int fs_files_load(const fs_files_t *files, const char *dir, const char *name, char **data,
                  size_t *len);

/* remote.c: a remote FS (valkka_fs_is_remote): the backend's directory handle opened in `files`
   with `options`, and its valkkafs.json read into `cfg`. `label` is the URL without
   credentials, for messages. */
int fs_remote_open(fs_files_t *files, const valkka_storage_vtable_t *vt, const char *url,
                   const char *label, const valkka_option_t *options, size_t n_options,
                   fs_config_t *cfg);
int fs_entry_store(const fs_files_t *files, uint32_t index, const fs_entry_t *entry);
/* The ranges index's entry `index` (nothing when the FS has no index), and entries
   [first, first + count) raw (count * FS_RANGES_ENTRY_SIZE bytes). */
int fs_ranges_store(const fs_files_t *files, uint32_t index, const fs_ranges_t *ranges);
int fs_ranges_read_raw(const fs_files_t *files, uint32_t first, uint32_t count, uint8_t *out);
/* Reads entries [first, first + count) raw into `out` (count * FS_ENTRY_SIZE bytes). */
int fs_table_read_raw(const fs_files_t *files, uint32_t first, uint32_t count, uint8_t *out);
int fs_block_pread(const fs_files_t *files, const fs_layout_t *layout, uint32_t index,
                   uint32_t offset, void *buf, uint32_t n);
int fs_block_pwrite(const fs_files_t *files, const fs_layout_t *layout, uint32_t index,
                    uint32_t offset, const void *buf, uint32_t n);
/* Takes the exclusive lock of a writable FS; returns the descriptor or a negative code. */
int fs_lock_dir(const char *dir);

/* recover.c: fs_recover fills fs->table, ranges, cur, seq, pos and the counters. fs_recover_into
   fills `table` and `ranges` (n_blocks entries each) and `out`; `live`: a writer may be at work (its table lags its
   blocks by design), so that is not logged as news. */
typedef struct fs_recovery {
  uint32_t cur;
  uint64_t seq;
  uint32_t pos;
  uint32_t entries_rebuilt;
  uint32_t records_recovered;
} fs_recovery_t;
int fs_recover(valkka_fs_t *fs);
int fs_recover_into(valkka_fs_t *fs, fs_entry_t *table, fs_ranges_t *ranges, bool live,
                    fs_recovery_t *out);

/* input.c: 0 when `frame` may be recorded (kind, time, payload), else VALKKA_EINVAL with a message
 * naming `who`. valkka_fs_append and valkka_fs_sink refuse with it, and append checks again. */
int fs_frame_check(const valkka_frame_t *frame, const char *who);

/* write.c: append under fs->write_lock; events (up to 2) are filled for the writer thread. */
int fs_append_locked(valkka_fs_t *fs, fs_stream_t *stream, const valkka_frame_t *frame,
                     fs_event_t *events, int *n_events);
int fs_sync_locked(valkka_fs_t *fs); /* flushes first */
int fs_store_current_locked(valkka_fs_t *fs);
/* Writes what wbuf holds (one pwrite), then the table entry and the stream counters claim it. */
int fs_flush_locked(valkka_fs_t *fs);
/* When wbuf must be written (monotonic us, FS_FLUSH_MS after its first byte); INT64_MAX: empty. */
int64_t fs_flush_due_locked(const valkka_fs_t *fs);

/* read.c: reads block `index` with a caller-owned buffer of block_size bytes. `use`: the
   sequence number of the use of the block wanted, or 0 for whichever it holds; VALKKA_ENOENT
   when the block holds another use (reused since the caller learned of it) or is overwritten
   while being read. `offset` (NULL: from the start): in, where an earlier read of the use ended;
   out, where this one ended (valkka_fs_read_block_from). */
int fs_read_block_into(valkka_fs_t *fs, uint32_t index, uint64_t use, uint32_t *offset,
                       uint8_t *buf, int (*deliver)(void *user, valkka_frame_t *frame), void *user);

/* streams.c */
fs_stream_t *fs_stream_get(valkka_fs_t *fs, uint32_t id);  /* under streams_lock; creates */
fs_stream_t *fs_stream_find(valkka_fs_t *fs, uint32_t id); /* under streams_lock */
int fs_single_check_locked(valkka_fs_t *fs, uint32_t id);  /* under fs->write_lock */
void fs_streams_free(valkka_fs_t *fs);
int fs_map_set(fs_slot_map_t **map, uint32_t *n, size_t *cap, uint32_t slot, uint32_t id,
               fs_stream_t *stream);
int fs_map_remove(fs_slot_map_t *map, uint32_t *n, uint32_t key, bool by_id);

/* writer.c: stops the writer thread (what is queued is written) and frees it; idempotent. */
void fs_writer_stop(valkka_fs_t *fs);

/* follow.c: one step of a look at the writer of another process, under fs->write_lock. The
   records it took are `bytes` bytes of fs->look_buf, from offset `offset` of block `block`
   (use `seq`), valid until the next step; `events` are for the follow thread to report. */
typedef struct fs_look {
  uint32_t block;
  uint64_t seq;
  uint32_t offset;
  uint32_t bytes;
  uint32_t records;
  fs_event_t events[2];
  int n_events;
  bool more; /* another step is due at once */
} fs_look_t;
int fs_look_step_locked(valkka_fs_t *fs, fs_look_t *look);

/* ranges_query.c: frees the cache of valkka_fs_get_ranges (NULL: nothing). */
void fs_ranges_cache_free(fs_ranges_cache_t *cache);

/* follow_thread.c: stops the follow thread and frees it; idempotent. */
void fs_follower_stop(valkka_fs_t *fs);

#endif
