/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The FS a manager holds: add, open, remove, the input filter, time ranges, new-block events. */
#include <stdlib.h>

#include <valkka/error.h>

#include "manager/manager_internal.h"
#include "util/array.h"
#include "base/log.h"

fsgroup_t *manager_find_group_locked(valkka_manager_t *m, const valkka_fs_t *fs) {
  for (size_t i = 0; i < m->n_groups; i++)
    if (m->groups[i]->fs == fs) return m->groups[i];
  return NULL;
}

/* A writer's block event, on its thread: the cache's table copy is stale, and the manager's
   callback runs, outside every lock. */
static void on_block(void *user, fsgroup_t *g, const valkka_fs_block_event_t *event) {
  valkka_manager_t *m = user;
  filecache_table_changed(m->fc, g->serial);
  pthread_mutex_lock(&m->cb_lock);
  const mgr_block_cb_t cb = m->block_cb;
  pthread_mutex_unlock(&m->cb_lock);
  if (!cb.fn) return;
  manager_callback_enter();
  cb.fn(cb.user, g->fs, event);
  manager_callback_leave();
}

static int add_group(valkka_manager_t *m, valkka_fs_t *fs, bool owned,
                     const valkka_manager_fs_params_t *params) {
  if (params && params->struct_size < sizeof(uint32_t) * 2)
    return valkka_error_set(VALKKA_EINVAL, "manager_add_fs: struct_size %u too small",
                            params->struct_size);
  pthread_mutex_lock(&m->groups_lock);
  bool present = manager_find_group_locked(m, fs) != NULL;
  uint32_t serial = m->next_serial++;
  int err = 0;
  if (!present &&
      array_reserve((void **)&m->groups, &m->cap_groups, m->n_groups + 1, sizeof *m->groups, 4))
    err = valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for an FS");
  pthread_mutex_unlock(&m->groups_lock);
  if (present)
    return valkka_error_set(VALKKA_EEXIST, "manager_add_fs: the FS is in the manager already");
  if (err) return err;

  fsgroup_t *g = NULL;
  if ((err = fsgroup_create(serial, fs, owned, &g)) != 0) return err;
  g->on_block = on_block;
  g->on_block_user = m;
  if ((err = filecache_add_fs(m->fc, fs, serial)) != 0) {
    g->owned = false; /* a failed add leaves the caller's FS open */
    fsgroup_destroy(g);
    return err;
  }
  valkka_fs_info_t info = {.struct_size = sizeof info};
  valkka_fs_get_info(fs, &info);
  const bool no_writer = params && (params->flags & VALKKA_MANAGER_FS_NO_WRITER);
  const bool follow = params && (params->flags & VALKKA_MANAGER_FS_FOLLOW);
  if (follow)
    err = fsgroup_start_follow(g);
  else if (!info.readonly && !no_writer)
    err = fsgroup_start_writer(g, params);
  if (err) {
    if (err == VALKKA_ESTATE)
      valkka_error_set(err, "manager_add_fs: the FS's writer runs already (stop it, or add the FS "
                            "with VALKKA_MANAGER_FS_NO_WRITER)");
    filecache_remove_fs(m->fc, serial);
    g->owned = false;
    fsgroup_destroy(g);
    return err;
  }
  pthread_mutex_lock(&m->groups_lock);
  m->groups[m->n_groups++] = g;
  pthread_mutex_unlock(&m->groups_lock);
  return 0;
}

int valkka_manager_add_fs(valkka_manager_t *m, valkka_fs_t *fs,
                          const valkka_manager_fs_params_t *params) {
  if (!m || !fs) return valkka_error_set(VALKKA_EINVAL, "manager_add_fs: NULL argument");
  if (manager_in_callback(m))
    return valkka_error_set(VALKKA_ESTATE, "manager_add_fs: called from a callback of the manager");
  pthread_mutex_lock(&m->change_lock);
  int err = add_group(m, fs, false, params);
  pthread_mutex_unlock(&m->change_lock);
  return err;
}

int valkka_manager_open_fs(valkka_manager_t *m, const char *dir,
                           const valkka_fs_open_params_t *open,
                           const valkka_manager_fs_params_t *params, valkka_fs_t **fs_out) {
  if (!m || !dir || !fs_out)
    return valkka_error_set(VALKKA_EINVAL, "manager_open_fs: NULL argument");
  if (manager_in_callback(m))
    return valkka_error_set(VALKKA_ESTATE,
                            "manager_open_fs: called from a callback of the manager");
  valkka_fs_t *fs = NULL;
  int err = valkka_fs_open(dir, open, &fs);
  if (err) return err;
  pthread_mutex_lock(&m->change_lock);
  err = add_group(m, fs, true, params);
  pthread_mutex_unlock(&m->change_lock);
  if (err) {
    valkka_fs_close(fs);
    return err;
  }
  *fs_out = fs;
  return 0;
}

int valkka_manager_remove_fs(valkka_manager_t *m, valkka_fs_t *fs) {
  if (!m || !fs) return valkka_error_set(VALKKA_EINVAL, "manager_remove_fs: NULL argument");
  if (manager_in_callback(m))
    return valkka_error_set(VALKKA_ESTATE,
                            "manager_remove_fs: called from a callback of the manager");
  pthread_mutex_lock(&m->change_lock);
  pthread_mutex_lock(&m->groups_lock);
  fsgroup_t *g = manager_find_group_locked(m, fs);
  if (g) {
    /* Out of the list first: no API call finds it any more. */
    size_t out = 0;
    for (size_t i = 0; i < m->n_groups; i++)
      if (m->groups[i] != g) m->groups[out++] = m->groups[i];
    m->n_groups = out;
    out = 0;
    for (size_t i = 0; i < m->n_streams; i++)
      if (m->streams[i].group != g->serial) m->streams[out++] = m->streams[i];
    m->n_streams = out;
  }
  pthread_mutex_unlock(&m->groups_lock);
  if (g) {
    fsgroup_stop_threads(g); /* no table event for the cache after this */
    filecache_remove_fs(m->fc, g->serial);
    fsgroup_destroy(g);
  }
  pthread_mutex_unlock(&m->change_lock);
  return g ? 0 : valkka_error_set(VALKKA_ENOENT, "manager_remove_fs: the FS is not in the manager");
}

void manager_stop_fs_threads(valkka_manager_t *m) {
  /* Without groups_lock: a block callback being waited for may ask for the time range. Nothing
     changes the groups while the manager is destroyed. */
  for (size_t i = 0; i < m->n_groups; i++) fsgroup_stop_threads(m->groups[i]);
}

void manager_drop_groups(valkka_manager_t *m) {
  pthread_mutex_lock(&m->groups_lock);
  size_t n = 0;
  fsgroup_t **groups = array_take((void **)&m->groups, &m->n_groups, &m->cap_groups, &n);
  pthread_mutex_unlock(&m->groups_lock);
  for (size_t i = 0; i < n; i++) fsgroup_destroy(groups[i]);
  free(groups);
}

int valkka_manager_get_input_filter(valkka_manager_t *m, valkka_fs_t *fs,
                                    valkka_frame_sink_fn *sink, void **user) {
  if (!m || !fs || !sink || !user)
    return valkka_error_set(VALKKA_EINVAL, "manager_get_input_filter: NULL argument");
  pthread_mutex_lock(&m->groups_lock);
  fsgroup_t *g = manager_find_group_locked(m, fs);
  bool writer = g && g->writer_started;
  pthread_mutex_unlock(&m->groups_lock);
  if (!g)
    return valkka_error_set(VALKKA_ENOENT,
                            "manager_get_input_filter: the FS is not in the manager");
  if (!writer)
    return valkka_error_set(VALKKA_ESTATE,
                            "manager_get_input_filter: the FS has no writer "
                            "(read-only, or added with VALKKA_MANAGER_FS_NO_WRITER)");
  *sink = valkka_fs_sink;
  *user = fs;
  return 0;
}

void manager_time_range(valkka_manager_t *m, int64_t *first_ms, int64_t *last_ms) {
  int64_t first = 0, last = 0;
  pthread_mutex_lock(&m->groups_lock);
  for (size_t i = 0; i < m->n_groups; i++) {
    int64_t f = 0, l = 0;
    if (valkka_fs_time_range(m->groups[i]->fs, &f, &l) != 0 || !f) continue;
    /* The union: the earliest start and the latest end. */
    if (!first || f < first) first = f;
    if (l > last) last = l;
  }
  pthread_mutex_unlock(&m->groups_lock);
  *first_ms = first;
  *last_ms = last;
}

int valkka_manager_get_time_range(valkka_manager_t *m, int64_t *first_ms, int64_t *last_ms) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_get_time_range: NULL manager");
  int64_t first, last;
  manager_time_range(m, &first, &last);
  if (first_ms) *first_ms = first;
  if (last_ms) *last_ms = last;
  return 0;
}

int valkka_manager_get_time_range_by_fs(valkka_manager_t *m, valkka_fs_t *fs, int64_t *first_ms,
                                        int64_t *last_ms) {
  if (!m || !fs)
    return valkka_error_set(VALKKA_EINVAL, "manager_get_time_range_by_fs: NULL argument");
  pthread_mutex_lock(&m->groups_lock);
  bool present = manager_find_group_locked(m, fs) != NULL;
  pthread_mutex_unlock(&m->groups_lock);
  if (!present)
    return valkka_error_set(VALKKA_ENOENT,
                            "manager_get_time_range_by_fs: the FS is not in the manager");
  return valkka_fs_time_range(fs, first_ms, last_ms);
}
