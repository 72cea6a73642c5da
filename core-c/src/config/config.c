/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.h: loading a config file or text, reading it back, freeing it. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/config_internal.h"
#include "util/alloc.h"

void valkka_config_free(valkka_config_t *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n_warnings; i++) free(c->warnings[i]);
  for (size_t i = 0; i < c->n_fs; i++) {
    free(c->fs[i].dir);
    free(c->fs[i].key);
    free(c->fs[i].field);
  }
  for (size_t i = 0; i < c->n_cameras; i++) {
    config_camera_t *cam = &c->cameras[i];
    free(cam->field);
    free(cam->name);
    free(cam->url);
    free(cam->substream);
    for (size_t k = 0; k < cam->n_options; k++) {
      free((char *)cam->options[k].key);
      free((char *)cam->options[k].value);
    }
    free(cam->options);
  }
  free(c->warnings);
  free(c->fs);
  free(c->cameras);
  free(c->path);
  free(c);
}

/* A config named `name`, parsed from `text` or (text NULL) from `file`. */
static int load(const char *name, const char *text, FILE *file, valkka_config_t **out) {
  valkka_config_t *c = alloc_zeroed(sizeof *c, "config: out of memory");
  if (!c) return VALKKA_ENOMEM;
  if (!(c->path = strdup(name))) {
    free(c);
    return valkka_error_set(VALKKA_ENOMEM, "config: out of memory");
  }
  json_error_t error;
  json_t *root = text ? json_loads(text, JSON_REJECT_DUPLICATES, &error)
                      : json_loadf(file, JSON_REJECT_DUPLICATES, &error);
  int status = 0;
  if (!root) {
    /* jansson quotes the text near the error ("near '\"rtsp://user:password'"): left out, since
       the text may be a camera's password. Line and column say where to look. */
    char *near = strstr(error.text, " near '");
    if (near) *near = '\0';
    status = valkka_error_set(VALKKA_EINVAL, "config %s: invalid JSON at line %d, column %d: %s",
                              name, error.line, error.column, error.text);
  } else {
    status = config_substitute(c, root);
    if (!status) status = config_parse(c, root);
    json_decref(root);
  }
  if (status) {
    valkka_config_free(c);
    return status;
  }
  *out = c;
  return 0;
}

int valkka_config_load(const char *path, valkka_config_t **config) {
  if (config) *config = NULL;
  if (!path || !config) return valkka_error_set(VALKKA_EINVAL, "config: NULL argument");
  FILE *file = fopen(path, "r");
  if (!file) {
    const int err = errno;
    return valkka_error_set(error_from_errno(err), "config %s: %s", path, strerror(err));
  }
  int status = load(path, NULL, file, config);
  fclose(file);
  return status;
}

int valkka_config_load_string(const char *text, const char *name, valkka_config_t **config) {
  if (config) *config = NULL;
  if (!text || !name || !config) return valkka_error_set(VALKKA_EINVAL, "config: NULL argument");
  return load(name, text, NULL, config);
}

size_t valkka_config_warning_count(const valkka_config_t *c) { return c ? c->n_warnings : 0; }

const char *valkka_config_warning(const valkka_config_t *c, size_t i) {
  return c && i < c->n_warnings ? c->warnings[i] : NULL;
}

size_t valkka_config_fs_count(const valkka_config_t *c) { return c ? c->n_fs : 0; }

size_t valkka_config_camera_count(const valkka_config_t *c) { return c ? c->n_cameras : 0; }

/* The checks every accessor makes: a config, an index in range, a struct big enough. */
static int check_get(const valkka_config_t *c, size_t i, size_t n, const void *out,
                     uint32_t struct_size, size_t need, const char *what) {
  if (!c || !out || struct_size < need)
    return valkka_error_set(VALKKA_EINVAL, "valkka_config_%s: NULL or struct_size too small", what);
  if (i >= n)
    return valkka_error_set(VALKKA_ERANGE, "valkka_config_%s: index %zu of %zu", what, i, n);
  return 0;
}

int valkka_config_fs(const valkka_config_t *c, size_t i, valkka_config_fs_t *out) {
  int status = check_get(c, i, valkka_config_fs_count(c), out, out ? out->struct_size : 0,
                         sizeof *out, "fs");
  if (status) return status;
  const config_fs_t *fs = &c->fs[i];
  *out = (valkka_config_fs_t){.struct_size = sizeof *out,
                              .create = fs->create,
                              .dir = fs->dir,
                              .field = fs->field,
                              .kind = fs->kind,
                              .block_size = fs->block_size,
                              .n_blocks = fs->n_blocks};
  return 0;
}

int valkka_config_camera(const valkka_config_t *c, size_t i, valkka_config_camera_t *out) {
  /* A caller built before ABI 1.4 passes the struct without the substream's fields. */
  const uint32_t size = out ? out->struct_size : 0;
  int status = check_get(c, i, valkka_config_camera_count(c), out, size,
                         offsetof(valkka_config_camera_t, substream), "camera");
  if (status) return status;
  const config_camera_t *cam = &c->cameras[i];
  const valkka_config_camera_t full = {.struct_size = size < sizeof *out ? size : sizeof *out,
                                       .fs = cam->fs,
                                       .field = cam->field,
                                       .name = cam->name,
                                       .url = cam->url,
                                       .stream_id = cam->stream_id,
                                       .audio = cam->audio,
                                       .audio_id = cam->audio_id,
                                       .options = cam->options,
                                       .n_options = cam->n_options,
                                       .substream = cam->substream,
                                       .sub_id = cam->sub_id,
                                       .record = cam->record};
  memcpy(out, &full, full.struct_size);
  return 0;
}
