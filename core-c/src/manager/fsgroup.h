/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * FSGroup: one ValkkaFS of a manager, with its writer thread (recording) and the stream ids mapped
 * to write slots. What the manager plays from the FS is the file cache's business (its window of
 * the FS, window.h); the group holds no playback state and no pointer to the cache.
 *
 * Threads: API threads, serialised by the manager's change_lock; `maps_lock` guards the maps (a
 * leaf lock).
 */
#ifndef VALKKA_MANAGER_FSGROUP_H
#define VALKKA_MANAGER_FSGROUP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <valkka/fs.h>
#include <valkka/manager.h>

/* One mapped stream id of the FS and the write slot recording it (VALKKA_MANAGER_NO_SLOT). */
typedef struct fsg_map {
  uint32_t id;
  uint32_t write_slot;
} fsg_map_t;

typedef struct fsgroup {
  uint32_t serial; /* never reused within a manager: stale intake items name a dead group */
  valkka_fs_t *fs;
  bool owned; /* opened by the manager: closed with the group */
  bool writer_started;
  bool follow_started;
  /* the block-event hook of the manager, with its argument (writer or follow thread) */
  void (*on_block)(void *user, struct fsgroup *group, const valkka_fs_block_event_t *event);
  void *on_block_user;

  pthread_mutex_t maps_lock;
  fsg_map_t *maps;
  size_t n_maps, cap_maps;
} fsgroup_t;

/** A group for `fs` (no writer yet) into `*out`. Errors: VALKKA_ENOMEM (last error set). */
int fsgroup_create(uint32_t serial, valkka_fs_t *fs, bool owned, fsgroup_t **out);
/** Starts the FS's writer with the group's block hook. Errors as valkka_fs_writer_start. */
int fsgroup_start_writer(fsgroup_t *g, const valkka_manager_fs_params_t *params);
/** Follows the writer of another process with the group's block hook. Errors as
    valkka_fs_follow_start. */
int fsgroup_start_follow(fsgroup_t *g);
/** Stops the writer (what is queued is written) or the follower: no block hook runs after it
    returns. */
void fsgroup_stop_threads(fsgroup_t *g);
/** Stops the writer or follower, unmaps the write slots, closes an owned FS, frees. The file cache must no
    longer play from the FS (filecache_remove_fs, or filecache_stop, returned). */
void fsgroup_destroy(fsgroup_t *g);

/** Adds an id to the maps. Errors: VALKKA_EEXIST, VALKKA_ENOMEM. Any thread. */
int fsgroup_map_add(fsgroup_t *g, uint32_t id, uint32_t write_slot);
/** Removes an id; its write slot goes to `*write_slot`. VALKKA_ENOENT when not mapped. */
int fsgroup_map_remove(fsgroup_t *g, uint32_t id, uint32_t *write_slot);

#endif
