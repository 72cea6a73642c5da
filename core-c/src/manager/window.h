/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The window of one FS: the file cache's view of an FS it plays from. It keeps a copy of the
 * FS's block table (readBlockTableIf, rate-limited), the run of blocks around the playhead
 * (reqBlocksIf) with what is known of each block's load, and the FS's block loader. Playback
 * flows one way: manager -> file cache -> windows -> loaders -> FS (valkka_fs_read_block_from),
 * and frames come back through the cache's intake only. A window never calls the cache: calls
 * that change which blocks the window holds return true, and the cache then drops the frames of
 * blocks the window no longer holds (window_holds).
 *
 * Lifecycle of a block use in the window. The FS reuses blocks in write order; a use is a block
 * index with the sequence number it was written under (valkka_fs_block_t seq).
 *   1. A use enters the window when reqBlocksIf finds it around the playhead in the table copy;
 *      it leaves when a later reqBlocksIf no longer finds it. Only uses in the window have frames
 *      in the cache: the cache takes a frame only while window_holds its use, and drops the
 *      frames of a use once it leaves.
 *   2. A use is requested of the loader for the record count the table copy gave it, in write
 *      order, all missing uses of the window in one request; a newer request replaces the
 *      pending one (its generation is higher).
 *   3. A use is loaded when the loader's end-of-block marker for it arrives from a request made
 *      since it (re)entered the window (since_gen); a marker of an older request only says
 *      frames may have been dropped while it was outside, and counts for nothing.
 *   4. A use is stale when the table copy gives it more records than its load had (the block
 *      being written grows): it is requested again for the new count, from the byte its load
 *      ended at (only the records added since are read). The frames of the earlier load stay; a
 *      load's duplicates (one from the start after a failed read) are dropped by the cache.
 *   5. A use is overwritten when the loader finds the block holding another use (the read
 *      returns VALKKA_ENOENT). It is dropped with every older use of the window (the FS reuses
 *      blocks in write order, so those are overwritten too), the table copy is read again, and
 *      the playhead, now on data no longer recorded, moves to the oldest data left (as when the
 *      FS wraps under it). No decoder goes on across the hole: one standing on a dropped frame
 *      restarts at a keyframe.
 *   6. A stream added to the cache makes every use of its FS's window unloaded again (the earlier
 *      loads skipped its frames); forgetting (playback stopped, no stream left) empties the
 *      window and cancels the loader's request.
 *   7. The clock never passes the horizon: the oldest time of the window whose frames may still be
 *      loading (window_horizon).
 *   8. A use whose read failed otherwise counts as loaded with what the read delivered (a local
 *      disk's error does not come right by asking again), except on a remote FS: there a server
 *      down or restarting fails reads for a while, so the use stays unloaded, is requested again
 *      every RETRY_US, and the clock waits at it (rule 7) until the server answers.
 *
 * Threads: every window_* call runs on the file-cache thread, except create and destroy (any
 * thread that owns the window at the time: the cache hands it over in a synchronous command).
 */
#ifndef VALKKA_MANAGER_WINDOW_H
#define VALKKA_MANAGER_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <valkka/fs.h>

#include "manager/loader.h"

/* One block use of the window, in write order. */
typedef struct window_block {
  uint32_t index;
  uint64_t seq;     /* the use of the block the window means */
  uint32_t records; /* its record count in the table copy: grows while it is being written */
  int64_t min_ms, max_ms;
  uint64_t since_gen; /* the first loader request made since the use (re)entered the window */
  bool requested;     /* asked of the loader for `requested_records`, not done yet */
  uint32_t requested_records;
  bool loaded; /* a read finished, made when the block had `loaded_records` records */
  uint32_t loaded_records;
  int64_t loaded_max_ms; /* the newest frame that read delivered */
  uint32_t loaded_end;   /* rule 4: where the loads of this use ended in the block; 0: none */
  int64_t retry_us;      /* rule 8: not requested again before this monotonic time */
} window_block_t;

typedef struct window {
  uint32_t group; /* the FS's serial in the manager: intake items name it */
  valkka_fs_t *fs;
  uint32_t n_blocks;
  bool remote; /* rule 8 */
  loader_t *loader;
  size_t n_streams; /* the cache's streams of this FS */
  bool dirty;       /* the table changed (a writer's event) since the copy was read */

  valkka_fs_block_t *table; /* the copy */
  bool have_table;
  int64_t table_us;
  int64_t first_ms, last_ms;
  uint32_t cur_block;

  window_block_t *blocks; /* the window */
  size_t n_window, cap_window;
  loader_pull_t *pulls; /* scratch for loader requests, cap_window long */
  uint32_t *run;        /* scratch for index searches */
  size_t cap_run;
} window_t;

/** A window on `fs` (borrowed: it must outlive the window) with its loader running, delivering
    into `fc` as `group`, into `*out`. Errors: as valkka_fs_get_info, VALKKA_ENOMEM, a thread's
    (last error set). */
int window_create(valkka_fs_t *fs, uint32_t group, filecache_t *fc, window_t **out);
/** Stops the loader and frees. NULL does nothing. */
void window_destroy(window_t *w);

/** The ids of the cache's streams of this FS, for the loader; `n` becomes n_streams. */
void window_set_streams(window_t *w, const uint32_t *ids, size_t n);
/** readBlockTableIf: re-reads the table copy when it is dirty and `force` or 100 ms passed, or
    when `interval_us` passed anyway. */
void window_refresh(window_t *w, int64_t now_us, int64_t interval_us, bool force);
/** reqBlocksIf: the window for `t` (clamped into the FS's range) and `ahead` blocks after it;
    returns at once when those uses are requested already, else asks the loader for what is
    missing. True when uses left the window (rule 1). */
bool window_request(window_t *w, int64_t t, uint32_t ahead);
/** A loader's end-of-block marker (rules 3 and 5). True when uses left the window. */
bool window_block_done(window_t *w, const loader_marker_t *marker);
/** Whether (block, seq) is a use of the window. */
bool window_holds(const window_t *w, uint32_t block, uint64_t seq);
/** True when every use of the window holding frames at or before `t` (its min_ms <= t) is
    loaded; INT64_MAX: every use. */
bool window_ready(const window_t *w, int64_t t);
/** Rule 7. INT64_MAX when nothing bounds the clock. */
int64_t window_horizon(const window_t *w);
/** Rule 6, a stream added. */
void window_invalidate(window_t *w);
/** Rule 6, forgetting: the window is empty afterwards (the cache drops the FS's frames). */
void window_forget(window_t *w);

#endif
