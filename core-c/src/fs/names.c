/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The stream table (FORMAT.md, "streams.json"): what each stream id of the FS is, by name and by
 * the camera it belongs to. Metadata only: a missing or unreadable table loses names, never
 * frames, so its failures at open are logged and the FS opens without them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <valkka/error.h>
#include <valkka/fs.h>

#include "fs/fs_internal.h"
#include "base/log.h"
#include "util/array.h"

static bool name_ok(const char *name) {
  size_t n = strlen(name);
  if (!n || n >= VALKKA_FS_STREAM_NAME_MAX) return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) return false;
  return true;
}

static fs_name_t *find_locked(valkka_fs_t *fs, uint32_t id) {
  for (uint32_t i = 0; i < fs->n_names; i++)
    if (fs->names[i].id == id) return &fs->names[i];
  return NULL;
}

static int put_locked(valkka_fs_t *fs, uint32_t id, const char *name, uint32_t camera_id) {
  fs_name_t *n = find_locked(fs, id);
  if (!n) {
    if (array_reserve((void **)&fs->names, &fs->cap_names, (size_t)fs->n_names + 1,
                      sizeof *fs->names, 8))
      return valkka_error_set(VALKKA_ENOMEM, "fs %s: out of memory for stream names", fs->dir);
    n = &fs->names[fs->n_names++];
  }
  n->id = id;
  snprintf(n->name, sizeof n->name, "%s", name);
  n->camera_id = camera_id;
  return 0;
}

void fs_names_load(valkka_fs_t *fs) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", fs->dir, FS_NAMES_NAME);
  char *text = NULL;
  size_t len = 0;
  int err = fs_files_load(&fs->files, fs->dir, FS_NAMES_NAME, &text, &len);
  if (err == VALKKA_ENOENT) return; /* none named yet, or an FS of format 1 */
  if (err) {
    LOG_WARN("fs", "%s", valkka_last_error());
    return;
  }
  json_error_t jerr;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  free(text);
  json_t *list = root ? json_object_get(root, "streams") : NULL;
  if (!json_is_array(list)) {
    LOG_WARN("fs", "%s: unreadable (%s): streams are shown by id", path,
             root ? "no \"streams\" list" : jerr.text);
    json_decref(root);
    return;
  }
  size_t i;
  json_t *item;
  pthread_mutex_lock(&fs->streams_lock);
  json_array_foreach(list, i, item) {
    json_int_t id = json_integer_value(json_object_get(item, "id"));
    json_int_t camera = json_integer_value(json_object_get(item, "camera"));
    const char *name = json_string_value(json_object_get(item, "name"));
    if (id <= 0 || id > UINT32_MAX || camera < 0 || camera > UINT32_MAX || !name ||
        !name_ok(name)) {
      LOG_WARN("fs", "%s: entry %zu is not {\"id\", \"name\"[, \"camera\"]}: skipped", path, i);
      continue;
    }
    if (put_locked(fs, (uint32_t)id, name, (uint32_t)camera)) break;
  }
  pthread_mutex_unlock(&fs->streams_lock);
  json_decref(root);
}

static json_t *to_json_locked(const valkka_fs_t *fs) {
  json_t *root = json_object(), *list = json_array();
  if (!root || !list) {
    json_decref(root);
    json_decref(list);
    return NULL;
  }
  json_object_set_new(root, "streams", list);
  for (uint32_t i = 0; i < fs->n_names; i++) {
    const fs_name_t *n = &fs->names[i];
    json_t *item = json_object();
    if (!item || json_array_append_new(list, item)) {
      json_decref(root);
      return NULL;
    }
    json_object_set_new(item, "id", json_integer(n->id));
    json_object_set_new(item, "name", json_string(n->name));
    if (n->camera_id) json_object_set_new(item, "camera", json_integer(n->camera_id));
  }
  return root;
}

int valkka_fs_name_stream(valkka_fs_t *fs, uint32_t stream_id, const char *name,
                          uint32_t camera_id) {
  if (!fs || !stream_id || !name)
    return valkka_error_set(VALKKA_EINVAL, "fs_name_stream: NULL argument or stream id 0");
  if (!name_ok(name))
    return valkka_error_set(VALKKA_EINVAL,
                            "fs_name_stream: name \"%.80s\": 1..%d bytes without control "
                            "characters",
                            name, VALKKA_FS_STREAM_NAME_MAX - 1);
  if (fs->readonly) return valkka_error_set(VALKKA_EACCES, "fs %s: opened read-only", fs->dir);
  pthread_mutex_lock(&fs->streams_lock);
  const fs_name_t *had = find_locked(fs, stream_id);
  if (had && !strcmp(had->name, name) && had->camera_id == camera_id) {
    pthread_mutex_unlock(&fs->streams_lock);
    return 0;
  }
  int err = put_locked(fs, stream_id, name, camera_id);
  json_t *root = err ? NULL : to_json_locked(fs);
  if (!err && !root) err = valkka_error_set(VALKKA_ENOMEM, "fs %s: out of memory", fs->dir);
  if (root) err = fs_json_save(fs->dir, FS_NAMES_NAME, root);
  pthread_mutex_unlock(&fs->streams_lock);
  json_decref(root);
  return err;
}

void fs_names_fill(valkka_fs_t *fs, valkka_fs_stream_info_t *info) {
  pthread_mutex_lock(&fs->streams_lock);
  const fs_name_t *n = find_locked(fs, info->stream_id);
  if (n) {
    snprintf(info->name, sizeof info->name, "%s", n->name);
    info->camera_id = n->camera_id;
  }
  pthread_mutex_unlock(&fs->streams_lock);
}
