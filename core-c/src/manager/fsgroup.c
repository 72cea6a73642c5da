/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* FSGroup: an FS of the manager, its writer and its stream maps (fsgroup.h). */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "manager/fsgroup.h"
#include "util/array.h"
#include "base/log.h"

#define DEFAULT_PROGRESS_MS 500

static void writer_hook(void *user, const valkka_fs_block_event_t *event) {
  fsgroup_t *g = user;
  if (g->on_block) g->on_block(g->on_block_user, g, event);
}

int fsgroup_create(uint32_t serial, valkka_fs_t *fs, bool owned, fsgroup_t **out) {
  fsgroup_t *g = calloc(1, sizeof *g);
  if (!g) return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for an FS");
  g->serial = serial;
  g->fs = fs;
  g->owned = owned;
  pthread_mutex_init(&g->maps_lock, NULL);
  *out = g;
  return 0;
}

int fsgroup_start_writer(fsgroup_t *g, const valkka_manager_fs_params_t *params) {
  valkka_fs_writer_params_t wp = {.struct_size = sizeof wp, .on_block = writer_hook, .user = g};
  wp.progress_ms = DEFAULT_PROGRESS_MS;
  if (params) {
    if (VALKKA_HAS_FIELD(params, valkka_manager_fs_params_t, queue_length))
      wp.queue_length = params->queue_length;
    if (VALKKA_HAS_FIELD(params, valkka_manager_fs_params_t, frame_capacity))
      wp.frame_capacity = params->frame_capacity;
    if (VALKKA_HAS_FIELD(params, valkka_manager_fs_params_t, progress_ms) && params->progress_ms)
      wp.progress_ms = params->progress_ms;
  }
  int err = valkka_fs_writer_start(g->fs, &wp);
  if (!err) g->writer_started = true;
  return err;
}

int fsgroup_start_follow(fsgroup_t *g) {
  valkka_fs_follow_params_t fp = {.struct_size = sizeof fp, .on_block = writer_hook, .user = g};
  int err = valkka_fs_follow_start(g->fs, &fp);
  if (!err) g->follow_started = true;
  return err;
}

void fsgroup_stop_threads(fsgroup_t *g) {
  if (g->writer_started) valkka_fs_writer_stop(g->fs);
  if (g->follow_started) valkka_fs_follow_stop(g->fs);
  g->writer_started = false;
  g->follow_started = false;
}

void fsgroup_destroy(fsgroup_t *g) {
  if (!g) return;
  fsgroup_stop_threads(g);
  for (size_t i = 0; i < g->n_maps; i++)
    if (g->maps[i].write_slot != VALKKA_MANAGER_NO_SLOT)
      valkka_fs_unmap(g->fs, g->maps[i].write_slot);
  if (g->owned) valkka_fs_close(g->fs);
  pthread_mutex_destroy(&g->maps_lock);
  free(g->maps);
  free(g);
}

int fsgroup_map_add(fsgroup_t *g, uint32_t id, uint32_t write_slot) {
  int err = 0;
  pthread_mutex_lock(&g->maps_lock);
  for (size_t i = 0; i < g->n_maps && !err; i++)
    if (g->maps[i].id == id)
      err = valkka_error_set(VALKKA_EEXIST, "manager: stream %u is mapped already", id);
  if (!err && array_reserve((void **)&g->maps, &g->cap_maps, g->n_maps + 1, sizeof *g->maps, 8))
    err = valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for a map");
  if (!err) g->maps[g->n_maps++] = (fsg_map_t){id, write_slot};
  pthread_mutex_unlock(&g->maps_lock);
  return err;
}

int fsgroup_map_remove(fsgroup_t *g, uint32_t id, uint32_t *write_slot) {
  int err = VALKKA_ENOENT;
  pthread_mutex_lock(&g->maps_lock);
  for (size_t i = 0; i < g->n_maps; i++) {
    if (g->maps[i].id != id) continue;
    *write_slot = g->maps[i].write_slot;
    g->maps[i] = g->maps[--g->n_maps];
    err = 0;
    break;
  }
  pthread_mutex_unlock(&g->maps_lock);
  return err ? valkka_error_set(err, "manager: stream %u is not mapped", id) : 0;
}
