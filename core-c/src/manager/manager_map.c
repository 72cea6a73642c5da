/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map / unmap: stream ids of an FS to write slots (recording) and to outputs (playback). */
#include <stdlib.h>

#include <valkka/error.h>

#include "manager/manager_internal.h"
#include "util/array.h"

/* Checks and records the stream in the registry, active; m->groups_lock held. */
static int register_locked(valkka_manager_t *m, uint32_t group, const mgr_stream_t *new_stream) {
  const uint32_t id = new_stream->id, read_slot = new_stream->read_slot;
  for (size_t i = 0; i < m->n_streams; i++) {
    if (m->streams[i].group == group && m->streams[i].id == id)
      return valkka_error_set(VALKKA_EEXIST, "manager_map: stream %u of this FS is mapped already",
                              id);
    if (m->streams[i].read_slot == read_slot)
      return valkka_error_set(VALKKA_EEXIST, "manager_map: read slot %u is in use", read_slot);
  }
  if (array_reserve((void **)&m->streams, &m->cap_streams, m->n_streams + 1, sizeof *m->streams,
                    16))
    return valkka_error_set(VALKKA_ENOMEM, "manager_map: out of memory");
  m->streams[m->n_streams++] = *new_stream;
  return 0;
}

static void unregister_locked(valkka_manager_t *m, uint32_t group, uint32_t id) {
  for (size_t i = 0; i < m->n_streams; i++) {
    if (m->streams[i].group == group && m->streams[i].id == id) {
      m->streams[i] = m->streams[--m->n_streams];
      return;
    }
  }
}

/* Every step of map under m->groups_lock; undone in reverse on failure. */
static int map_locked(valkka_manager_t *m, fsgroup_t *g, uint32_t write_slot, uint32_t read_slot,
                      uint32_t id, valkka_frame_sink_fn output, void *user) {
  const mgr_stream_t entry = {g->serial, id, read_slot, output, user, true};
  int err = register_locked(m, g->serial, &entry);
  if (err) return err;
  if (write_slot != VALKKA_MANAGER_NO_SLOT && (err = valkka_fs_map(g->fs, write_slot, id)) != 0) {
    unregister_locked(m, g->serial, id);
    return err;
  }
  if ((err = fsgroup_map_add(g, id, write_slot)) != 0) {
    if (write_slot != VALKKA_MANAGER_NO_SLOT) valkka_fs_unmap(g->fs, write_slot);
    unregister_locked(m, g->serial, id);
  }
  return err;
}

int valkka_manager_map(valkka_manager_t *m, valkka_fs_t *fs, uint32_t write_slot,
                       uint32_t read_slot, uint32_t stream_id, valkka_frame_sink_fn output,
                       void *user) {
  if (!m || !fs || !output)
    return valkka_error_set(VALKKA_EINVAL, "manager_map: NULL manager, FS or output");
  if (read_slot == VALKKA_MANAGER_NO_SLOT)
    return valkka_error_set(VALKKA_EINVAL, "manager_map: a read slot is required");
  if (manager_in_callback(m))
    return valkka_error_set(VALKKA_ESTATE, "manager_map: called from a callback of the manager");
  pthread_mutex_lock(&m->change_lock);
  pthread_mutex_lock(&m->groups_lock);
  fsgroup_t *g = manager_find_group_locked(m, fs);
  int err = g ? map_locked(m, g, write_slot, read_slot, stream_id, output, user)
              : valkka_error_set(VALKKA_ENOENT, "manager_map: the FS is not in the manager");
  pthread_mutex_unlock(&m->groups_lock);
  if (!err) {
    fc_stream_t *s = fc_stream_create(g->serial, stream_id, read_slot, output, user);
    err = s ? filecache_add_stream(m->fc, s) : VALKKA_ENOMEM;
    if (err) {
      /* Nothing of the map may stay: no output ever runs after an error. */
      fc_stream_destroy(s);
      uint32_t ws = VALKKA_MANAGER_NO_SLOT;
      pthread_mutex_lock(&m->groups_lock);
      if (fsgroup_map_remove(g, stream_id, &ws) == 0 && ws != VALKKA_MANAGER_NO_SLOT)
        valkka_fs_unmap(g->fs, ws);
      unregister_locked(m, g->serial, stream_id);
      pthread_mutex_unlock(&m->groups_lock);
    }
  }
  pthread_mutex_unlock(&m->change_lock);
  return err;
}

int valkka_manager_unmap(valkka_manager_t *m, valkka_fs_t *fs, uint32_t stream_id) {
  if (!m || !fs) return valkka_error_set(VALKKA_EINVAL, "manager_unmap: NULL argument");
  if (manager_in_callback(m))
    return valkka_error_set(VALKKA_ESTATE, "manager_unmap: called from a callback of the manager");
  pthread_mutex_lock(&m->change_lock);
  pthread_mutex_lock(&m->groups_lock);
  fsgroup_t *g = manager_find_group_locked(m, fs);
  uint32_t serial = g ? g->serial : 0, write_slot = VALKKA_MANAGER_NO_SLOT;
  int err = g ? fsgroup_map_remove(g, stream_id, &write_slot)
              : valkka_error_set(VALKKA_ENOENT, "manager_unmap: the FS is not in the manager");
  if (!err) {
    unregister_locked(m, serial, stream_id);
    if (write_slot != VALKKA_MANAGER_NO_SLOT) valkka_fs_unmap(fs, write_slot);
  }
  pthread_mutex_unlock(&m->groups_lock);
  if (!err) filecache_remove_stream(m->fc, serial, stream_id);
  pthread_mutex_unlock(&m->change_lock);
  return err;
}

/* The registry's entry of (group, id), or NULL; m->groups_lock held. */
static mgr_stream_t *find_locked(valkka_manager_t *m, uint32_t group, uint32_t id) {
  for (size_t i = 0; i < m->n_streams; i++)
    if (m->streams[i].group == group && m->streams[i].id == id) return &m->streams[i];
  return NULL;
}

/* An inactive stream is one the file cache does not have: out, it is neither loaded nor decoded
   nor counted; back in, it is brought to the playhead as a stream mapped while playing is. */
int valkka_manager_set_stream_active(valkka_manager_t *m, valkka_fs_t *fs, uint32_t stream_id,
                                     int active) {
  if (!m || !fs) return valkka_error_set(VALKKA_EINVAL, "manager_set_stream_active: NULL argument");
  if (manager_in_callback(m))
    return valkka_error_set(VALKKA_ESTATE,
                            "manager_set_stream_active: called from a callback of the manager");
  pthread_mutex_lock(&m->change_lock);
  pthread_mutex_lock(&m->groups_lock);
  fsgroup_t *g = manager_find_group_locked(m, fs);
  mgr_stream_t *e = g ? find_locked(m, g->serial, stream_id) : NULL;
  const mgr_stream_t entry = e ? *e : (mgr_stream_t){0};
  int err = 0;
  if (!g)
    err =
        valkka_error_set(VALKKA_ENOENT, "manager_set_stream_active: the FS is not in the manager");
  else if (!e)
    err = valkka_error_set(VALKKA_ENOENT, "manager_set_stream_active: stream %u is not mapped",
                           stream_id);
  pthread_mutex_unlock(&m->groups_lock);
  /* Only this call changes `active`, under change_lock: the copy stays true while it runs. */
  if (!err && entry.active != (active != 0)) {
    if (active) {
      fc_stream_t *s =
          fc_stream_create(entry.group, entry.id, entry.read_slot, entry.output, entry.user);
      err = s ? filecache_add_stream(m->fc, s)
              : valkka_error_set(VALKKA_ENOMEM, "manager_set_stream_active: out of memory");
    } else {
      err = filecache_remove_stream(m->fc, entry.group, entry.id);
    }
    if (!err) {
      pthread_mutex_lock(&m->groups_lock);
      if ((e = find_locked(m, entry.group, entry.id)) != NULL) e->active = active != 0;
      pthread_mutex_unlock(&m->groups_lock);
    }
  }
  pthread_mutex_unlock(&m->change_lock);
  return err;
}
