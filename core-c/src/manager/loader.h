/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The block loader of one FS's window: a thread that reads the blocks of the window's latest
 * request (valkka_fs_read_block_from, past what it read of the use before), hands every frame
 * of a wanted stream to the file cache's intake with the block it came from, and after each
 * block an end-of-block marker. A newer request replaces the pending one; the block being read
 * is finished first (the cache drops its frames when the block left the window). It never calls
 * anything of the manager: frames go back through the intake only.
 *
 * Threads: request and set_ids from the file-cache thread; `lock` guards the pending request and
 * the wanted ids, and the stop is requested under it (a leaf lock: nothing is called while it is
 * held).
 */
#ifndef VALKKA_MANAGER_LOADER_H
#define VALKKA_MANAGER_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <valkka/fs.h>

typedef struct filecache filecache_t;
typedef struct loader loader_t;

/* What a loader is asked to read: a block use, and its record count at the time. */
typedef struct loader_pull {
  uint32_t index;
  uint64_t seq;
  uint32_t records;
  uint32_t from; /* the byte an earlier read of the use ended at: read only past it; 0: all */
} loader_pull_t;

/* The end-of-block marker a loader hands to the intake after each block (window.h, rules 3 and
   5); the file cache passes it on to the window. */
typedef struct loader_marker {
  loader_pull_t pull;  /* the use read, and its record count when it was asked for */
  uint64_t generation; /* of the request it was read for */
  int result;          /* 0, or why the read failed (VALKKA_ENOENT: the use was overwritten) */
  int64_t max_ms;      /* the latest time of a frame delivered */
  uint32_t end;        /* where the read ended in the block (valkka_fs_read_block_from) */
} loader_marker_t;

/** Starts the thread for `fs`, delivering into `fc`'s intake as `group`. NULL on failure (last
    error set). */
loader_t *loader_start(valkka_fs_t *fs, uint32_t group, filecache_t *fc);
/** Stops the thread (a read under way ends at its next frame) and frees. NULL does nothing. */
void loader_stop(loader_t *l);
/** Replaces the pending request with `pulls` (copied); a read in progress ends after its block.
    The request's generation (1, 2, ...) goes to `*generation` (may be NULL); markers carry it.
    Errors: VALKKA_ENOMEM. */
int loader_request(loader_t *l, const loader_pull_t *pulls, size_t n, uint64_t *generation);
/** The stream ids whose frames are delivered (copied), read afresh before every block.
    Errors: VALKKA_ENOMEM (the previous ids stay). */
int loader_set_ids(loader_t *l, const uint32_t *ids, size_t n);

#endif
