/*
 * FSGroup: one ValkkaFS of a manager with its writer thread (recording), its block loader
 * (playback), the stream id maps, a copy of its block table (readBlockTableIf, rate-limited) and
 * the cache window around the playhead (reqBlocksIf).
 *
 * Threads: the maps are guarded by `lock` (API threads write them, the loader reads them); the
 * table copy and the window belong to the file-cache thread (every fsgroup_* call below marked
 * "cache thread" runs there, from the manager's hooks).
 */
#ifndef VALKKA_MANAGER_FSGROUP_H
#define VALKKA_MANAGER_FSGROUP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <valkka/fs.h>
#include <valkka/manager.h>

#include "threads/filecache.h"

typedef struct fsg_loader fsg_loader_t;

/* One block of the window, in write order. */
typedef struct fsg_block {
  uint32_t index;
  uint64_t seq;      /* the use of the block the window means */
  uint32_t records;  /* its record count in the table copy: grows while it is being written */
  int64_t min_ms, max_ms;
  uint64_t since_gen; /* the first loader request made since the block (re)entered the window:
                         an older read may have had frames dropped while it was outside */
  bool requested;    /* asked of the loader for `requested_records`, not done yet */
  uint32_t requested_records;
  bool loaded;       /* a read finished, made when the block had `loaded_records` records */
  uint32_t loaded_records;
  int64_t loaded_max_ms; /* the newest frame that read delivered */
} fsg_block_t;

/* One mapped stream id of the FS and the write slot recording it (VALKKA_MANAGER_NO_SLOT). */
typedef struct fsg_map {
  uint32_t id;
  uint32_t write_slot;
} fsg_map_t;

/* What a loader is asked to read: a block use, and its record count at the time. */
typedef struct fsg_pull {
  uint32_t index;
  uint64_t seq;
  uint32_t records;
} fsg_pull_t;

typedef struct fsgroup {
  uint32_t serial; /* never reused within a manager: stale intake items name a dead group */
  valkka_fs_t *fs;
  bool owned;      /* opened by the manager: closed with the group */
  bool writer_started;
  uint32_t n_blocks;
  atomic_bool dirty; /* a new-block event since the table copy was read */
  /* the block-event hook of the manager, with its argument */
  void (*on_block)(void *user, struct fsgroup *group, const valkka_fs_block_event_t *event);
  void *on_block_user;

  pthread_mutex_t lock; /* guards the maps */
  fsg_map_t *maps;
  size_t n_maps, cap_maps;

  fsg_loader_t *loader;
  filecache_t *fc;

  /* cache thread */
  valkka_fs_block_t *table;
  bool have_table;
  int64_t table_us;
  int64_t first_ms, last_ms;
  uint32_t cur_block;
  fsg_block_t *window;
  size_t n_window, cap_window;
  fsg_pull_t *pulls; /* scratch for loader requests, cap_window long */
  uint32_t *run;
  size_t cap_run;
} fsgroup_t;

/** A group for `fs` with its loader running (no writer yet) into `*out`. Errors: VALKKA_EINVAL,
    VALKKA_ENOMEM (last error set). */
int fsgroup_create(uint32_t serial, valkka_fs_t *fs, bool owned, filecache_t *fc, fsgroup_t **out);
/** Starts the FS's writer with the group's block hook. Errors as valkka_fs_writer_start. */
int fsgroup_start_writer(fsgroup_t *g, const valkka_manager_fs_params_t *params);
/** Stops the loader's thread (requests are ignored afterwards); the group stays usable. */
void fsgroup_stop_loader(fsgroup_t *g);
/** Stops loader and writer, closes an owned FS, frees. The cache must no longer use it. */
void fsgroup_destroy(fsgroup_t *g);

/** Adds an id to the maps. Errors: VALKKA_EEXIST, VALKKA_ENOMEM. Any thread. */
int fsgroup_map_add(fsgroup_t *g, uint32_t id, uint32_t write_slot);
/** Removes an id; its write slot goes to `*write_slot`. VALKKA_ENOENT when not mapped. */
int fsgroup_map_remove(fsgroup_t *g, uint32_t id, uint32_t *write_slot);
bool fsgroup_has_maps(fsgroup_t *g);
/** The mapped ids (up to max) into ids; returns how many there are. Any thread. */
size_t fsgroup_map_ids(fsgroup_t *g, uint32_t *ids, size_t max);

/* Cache thread. */
/** readBlockTableIf: re-reads the table copy when it changed (a new-block event) and `force` or
    100 ms passed, or when `interval_us` passed anyway. */
void fsgroup_refresh(fsgroup_t *g, int64_t now_us, int64_t interval_us, bool force);
/** reqBlocksIf: the window for `t` (clamped into the FS's range): returns at once when those
    blocks are requested already; else evicts what left the window and asks the loader for what
    is missing. Nothing when no stream of the FS is mapped. */
void fsgroup_request(fsgroup_t *g, int64_t t, uint32_t ahead);
void fsgroup_block_done(fsgroup_t *g, uint32_t block, uint64_t seq, uint32_t records,
                        uint64_t generation, int result, int64_t max_ms);
bool fsgroup_wanted(const fsgroup_t *g, uint32_t block, uint64_t seq);
bool fsgroup_ready(const fsgroup_t *g);
int64_t fsgroup_horizon(const fsgroup_t *g);
/** A stream was mapped: every block of the window is read again. */
void fsgroup_invalidate(fsgroup_t *g);
/** Drops the window and its frames, cancels the loader. */
void fsgroup_forget(fsgroup_t *g);

/* fsgroup_loader.c */
fsg_loader_t *fsg_loader_start(fsgroup_t *g);
/** Joins the thread; later requests are ignored. */
void fsg_loader_halt(fsg_loader_t *l);
void fsg_loader_free(fsg_loader_t *l);
/** Replaces the pending request with `pulls` (copied); a read in progress ends after its block.
    The request's generation (1, 2, ...) goes to `*generation` (may be NULL); markers carry it. */
int fsg_loader_request(fsg_loader_t *l, const fsg_pull_t *pulls, size_t n, uint64_t *generation);

#endif
