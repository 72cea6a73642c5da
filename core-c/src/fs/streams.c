/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Streams seen since open (config memory and counters), the slot maps, and the single-FS rule. */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/table.h"
#include "util/array.h"

fs_stream_t *fs_stream_find(valkka_fs_t *fs, uint32_t id) {
  for (uint32_t i = 0; i < fs->n_streams; i++)
    if (fs->streams[i]->id == id) return fs->streams[i];
  return NULL;
}

fs_stream_t *fs_stream_get(valkka_fs_t *fs, uint32_t id) {
  fs_stream_t *s = fs_stream_find(fs, id);
  if (s) return s;
  if (array_reserve((void **)&fs->streams, &fs->cap_streams, (size_t)fs->n_streams + 1,
                    sizeof *fs->streams, 8))
    goto oom;
  if (!(s = calloc(1, sizeof *s))) goto oom;
  s->id = id;
  s->stats.struct_size = sizeof s->stats;
  s->stats.stream_id = id;
  fs->streams[fs->n_streams++] = s;
  return s;
oom:
  valkka_error_set(VALKKA_ENOMEM, "fs: out of memory for stream %u", id);
  return NULL;
}

void fs_streams_free(valkka_fs_t *fs) {
  for (uint32_t i = 0; i < fs->n_streams; i++) {
    free(fs->streams[i]->config);
    free(fs->streams[i]);
  }
  free(fs->streams);
  free(fs->write_map);
}

int fs_single_check_locked(valkka_fs_t *fs, uint32_t id) {
  if (fs->max_streams != 1) return 0;
  if (fs->has_single_id && fs->single_id != id)
    return valkka_error_set(VALKKA_EINVAL,
                            "single FS %s holds stream %u only: stream %u refused (use a multi FS, "
                            "or one single FS per camera)",
                            fs->dir, fs->single_id, id);
  fs->has_single_id = true;
  fs->single_id = id;
  return 0;
}

int fs_map_set(fs_slot_map_t **map, uint32_t *n, size_t *cap, uint32_t slot, uint32_t id,
               fs_stream_t *stream) {
  /* The write map is keyed by slot, the read map by id: `stream` tells which. */
  for (uint32_t i = 0; i < *n; i++) {
    if (stream ? (*map)[i].slot == slot : (*map)[i].id == id) {
      (*map)[i] = (fs_slot_map_t){slot, id, stream};
      return 0;
    }
  }
  if (array_reserve((void **)map, cap, (size_t)*n + 1, sizeof **map, 8))
    return valkka_error_set(VALKKA_ENOMEM, "fs: out of memory for a mapping");
  (*map)[(*n)++] = (fs_slot_map_t){slot, id, stream};
  return 0;
}

int fs_map_remove(fs_slot_map_t *map, uint32_t *n, uint32_t key, bool by_id) {
  for (uint32_t i = 0; i < *n; i++) {
    if ((by_id ? map[i].id : map[i].slot) == key) {
      map[i] = map[--*n];
      return 0;
    }
  }
  return by_id ? valkka_error_set(VALKKA_ENOENT, "fs: stream %u is not mapped for reading", key)
               : valkka_error_set(VALKKA_ENOENT, "fs: slot %u is not mapped", key);
}
