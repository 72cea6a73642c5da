/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ValkkaFSManager object, shared by the manager's own files: its life and callbacks
 * (manager.c), the FS it holds (manager_fs.c), the stream maps (manager_map.c) and playback
 * control (manager_play.c). It drives the file cache; nothing calls back up into it but the
 * writers' block hooks and the public callbacks it relays.
 *
 * Lock order: change_lock, then groups_lock, then an FSGroup's maps_lock; cb_lock alone. The file
 * cache's locks are never taken with groups_lock held, except by the non-waiting
 * filecache_table_changed (whose inbox_lock is a leaf).
 */
#ifndef VALKKA_MANAGER_MANAGER_INTERNAL_H
#define VALKKA_MANAGER_MANAGER_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <valkka/manager.h>

#include "manager/fsgroup.h"
#include "manager/filecache.h"

/* One mapped stream, as the manager checks new maps against; its output kept so that an
   inactive stream (valkka_manager_set_stream_active: not in the file cache) can come back. */
typedef struct mgr_stream {
  uint32_t group;
  uint32_t id;
  uint32_t read_slot;
  valkka_frame_sink_fn output;
  void *user;
  bool active;
} mgr_stream_t;

/* The new-block callback with its user pointer: set and read as one, under cb_lock. */
typedef struct mgr_block_cb {
  valkka_manager_block_fn fn;
  void *user;
} mgr_block_cb_t;

struct valkka_manager {
  valkka_manager_params_t params; /* defaults filled in; `decoder` points at decoder_name */
  char decoder_name[128];
  filecache_t *fc;
  /*
   * Serialises the calls that change the set of FS and streams (they wait for the cache thread);
   * held while waiting, never taken by the cache thread or a callback.
   */
  pthread_mutex_t change_lock;
  /* Guards the groups and the stream registry (API threads only). */
  pthread_mutex_t groups_lock;
  fsgroup_t **groups;
  size_t n_groups, cap_groups;
  uint32_t next_serial;
  mgr_stream_t *streams;
  size_t n_streams, cap_streams;
  /* The new-block callback (under cb_lock, which nothing else nests in). */
  pthread_mutex_t cb_lock;
  mgr_block_cb_t block_cb;
};

/* manager.c: true on a thread that is inside a callback of the manager. */
bool manager_in_callback(const valkka_manager_t *m);
/* manager.c: marks the calling thread as inside / no longer inside a manager callback. */
void manager_callback_enter(void);
void manager_callback_leave(void);

/* manager_fs.c: the group of `fs`, under m->groups_lock; NULL when not in the manager. */
fsgroup_t *manager_find_group_locked(valkka_manager_t *m, const valkka_fs_t *fs);
/* manager_fs.c: the union of the FS's live time ranges (0 0 when nothing is recorded). */
void manager_time_range(valkka_manager_t *m, int64_t *first_ms, int64_t *last_ms);
/* A seek's or scrub's `mstime` checked and clamped into the recorded range (manager.h); errors
   VALKKA_EINVAL (NULL m, mstime <= 0), VALKKA_ERANGE (nothing recorded), `what` naming the call. */
int manager_playhead_time(valkka_manager_t *m, int64_t mstime, const char *what, int64_t *t);
/* manager_fs.c: stops every group's writer or follower (destroy: before the cache stops). */
void manager_stop_fs_threads(valkka_manager_t *m);
/* manager_fs.c: frees every group, closing the FS the manager opened (destroy: last). */
void manager_drop_groups(valkka_manager_t *m);

#endif
