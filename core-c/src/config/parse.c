/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The config's JSON into a valkka_config_t, field by field, each rule as README.md's table "The
 * config file" states it. Errors name the field ("cameras[1].url: missing"); URLs are never quoted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/fs.h>

#include "base/error.h"
#include "config/config_internal.h"
#include "util/array.h"

#define DEFAULT_BLOCK_SIZE (1u << 20)

int config_bad(const valkka_config_t *c, const char *field, const char *fmt, ...) {
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return valkka_error_set(VALKKA_EINVAL, "config %s: %s: %s", c->path, field, what);
}

int config_no_memory(const valkka_config_t *c) {
  return valkka_error_set(VALKKA_ENOMEM, "config %s: out of memory", c->path);
}

/* "field.key" into `out`: the name of a nested field, for messages. */
static const char *join(char *out, size_t size, const char *field, const char *key) {
  if (snprintf(out, size, "%s%s%s", field, *field && *key ? "." : "", key) >= (int)size)
    out[size - 1] = 0;
  return out;
}

/* Keys a later version may add are not errors: each is named in a warning and skipped. */
static int warn_unknown(valkka_config_t *c, const char *field, json_t *object,
                        const char *const *known) {
  const char *key;
  json_t *value;
  json_object_foreach(object, key, value) {
    size_t i = 0;
    while (known[i] && strcmp(known[i], key) != 0) i++;
    if (known[i]) continue;
    char name[512], line[4096];
    join(name, sizeof name, field, key);
    snprintf(line, sizeof line, "config %s: %s: unknown key, ignored", c->path, name);
    char *text = strdup(line);
    if (!text || array_reserve((void **)&c->warnings, &c->cap_warnings, c->n_warnings + 1,
                               sizeof *c->warnings, 8) != 0) {
      free(text);
      return config_no_memory(c);
    }
    c->warnings[c->n_warnings++] = text;
  }
  return 0;
}

/* `object.key`, an integer in [min, max], into `*out`; left alone when the key is absent. */
static int get_uint(const valkka_config_t *c, json_t *object, const char *field, const char *key,
                    json_int_t min, json_int_t max, uint32_t *out) {
  json_t *v = json_object_get(object, key);
  if (!v) return 0;
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
    char name[256];
    return config_bad(c, join(name, sizeof name, field, key),
                      "expected an integer from %lld to %lld", (long long)min, (long long)max);
  }
  *out = (uint32_t)json_integer_value(v);
  return 0;
}

static int parse_create(valkka_config_t *c, const char *field, json_t *create, config_fs_t *fs) {
  static const char *const known[] = {"kind", "block_size", "blocks", NULL};
  if (!json_is_object(create))
    return config_bad(c, field, "expected an object {\"kind\", \"block_size\", \"blocks\"}");
  int status = warn_unknown(c, field, create, known);
  if (status) return status;
  char name[256];
  uint32_t kind = VALKKA_FS_MULTI, block_size = DEFAULT_BLOCK_SIZE, blocks = 0;
  json_t *v = json_object_get(create, "kind");
  if (v) {
    const char *text = json_string_value(v);
    join(name, sizeof name, field, "kind");
    if (text && !strcmp(text, "multi"))
      kind = VALKKA_FS_MULTI;
    else if (text && !strcmp(text, "single"))
      kind = VALKKA_FS_SINGLE;
    else
      return config_bad(c, name, "expected \"multi\" or \"single\"");
  }
  join(name, sizeof name, field, "block_size");
  if ((v = json_object_get(create, "block_size"))) {
    uint64_t bytes = 0;
    if (json_is_integer(v) && json_integer_value(v) > 0)
      bytes = (uint64_t)json_integer_value(v);
    else if (!json_is_string(v) || valkka_size_parse(json_string_value(v), &bytes) != 0)
      return config_bad(c, name, "expected bytes, as a number or a string like \"1M\"");
    if (bytes < 65536 || bytes % 4096 || bytes > (1u << 30))
      return config_bad(c, name, "must be a multiple of 4096, at least 64K and at most 1G");
    block_size = (uint32_t)bytes;
  }
  if (!json_object_get(create, "blocks"))
    return config_bad(c, field, "\"blocks\" is missing (the FS holds blocks x block_size bytes)");
  if ((status = get_uint(c, create, field, "blocks", 2, 1048576, &blocks))) return status;
  if (!fs->create) { /* the first "create" given for a directory is the one kept */
    fs->create = true;
    fs->kind = kind;
    fs->block_size = block_size;
    fs->n_blocks = blocks;
  }
  return 0;
}

/* The FS of directory `dir` (named by `field`), added when new; its index into `*index`. */
static int add_fs(valkka_config_t *c, const char *dir, const char *field, size_t *index) {
  /* A directory that exists is known by its real path; one still to be created, as written. */
  char *key = realpath(dir, NULL);
  if (!key) key = strdup(dir);
  if (!key) return config_no_memory(c);
  for (size_t i = 0; i < c->n_fs; i++) {
    if (!strcmp(c->fs[i].key, key)) {
      free(key);
      *index = i;
      return 0;
    }
  }
  if (array_reserve((void **)&c->fs, &c->cap_fs, c->n_fs + 1, sizeof *c->fs, 4) != 0) {
    free(key);
    return config_no_memory(c);
  }
  config_fs_t *fs = &c->fs[c->n_fs++]; /* counted first, so valkka_config_free releases it */
  memset(fs, 0, sizeof *fs);
  fs->key = key;
  fs->dir = strdup(dir);
  fs->field = strdup(field);
  if (!fs->dir || !fs->field) return config_no_memory(c);
  *index = c->n_fs - 1;
  return 0;
}

/* "DIR" or {"dir": DIR, "create": {...}}: adds the FS, its index to `*index`. */
static int parse_fs(valkka_config_t *c, const char *field, json_t *value, size_t *index) {
  static const char *const known[] = {"dir", "create", NULL};
  json_t *dir = value, *create = NULL;
  if (json_is_object(value)) {
    int status = warn_unknown(c, field, value, known);
    if (status) return status;
    dir = json_object_get(value, "dir");
    create = json_object_get(value, "create");
    if (!dir) return config_bad(c, field, "\"dir\" is missing");
  } else if (!json_is_string(value)) {
    return config_bad(c, field, "expected a directory name or an object {\"dir\", \"create\"}");
  }
  char name[256];
  join(name, sizeof name, field, dir == value ? "" : "dir");
  if (!json_is_string(dir) || !*json_string_value(dir))
    return config_bad(c, name, "expected a directory name");
  int status = add_fs(c, json_string_value(dir), name, index);
  if (!status && create) {
    join(name, sizeof name, field, "create");
    if (valkka_fs_is_remote(json_string_value(dir)))
      return config_bad(c, name, "an FS over HTTP is read-only: its recorder creates it");
    status = parse_create(c, name, create, &c->fs[*index]);
  }
  return status;
}

static int add_option(valkka_config_t *c, config_camera_t *cam, const char *key,
                      const char *value) {
  if (array_reserve((void **)&cam->options, &cam->cap_options, cam->n_options + 1,
                    sizeof *cam->options, 4) != 0)
    return config_no_memory(c);
  valkka_option_t *o = &cam->options[cam->n_options++];
  o->key = strdup(key);
  o->value = strdup(value);
  return o->key && o->value ? 0 : config_no_memory(c);
}

static int parse_options(valkka_config_t *c, const char *field, json_t *options,
                         config_camera_t *cam) {
  if (!json_is_object(options)) return config_bad(c, field, "expected an object {\"key\": value}");
  const char *key;
  json_t *value;
  json_object_foreach(options, key, value) {
    char text[64], name[320];
    const char *v = text;
    if (json_is_string(value))
      v = json_string_value(value);
    else if (json_is_integer(value))
      snprintf(text, sizeof text, "%lld", (long long)json_integer_value(value));
    else if (json_is_real(value))
      snprintf(text, sizeof text, "%g", json_real_value(value));
    else if (json_is_boolean(value))
      snprintf(text, sizeof text, "%d", json_is_true(value) ? 1 : 0);
    else
      v = NULL;
    if (!v)
      return config_bad(c, join(name, sizeof name, field, key),
                        "expected a string, number or boolean");
    int status = add_option(c, cam, key, v);
    if (status) return status;
  }
  return 0;
}

static int add_camera(valkka_config_t *c, const char *field, const char *url, int32_t fs,
                      config_camera_t **camera) {
  if (array_reserve((void **)&c->cameras, &c->cap_cameras, c->n_cameras + 1, sizeof *c->cameras,
                    4) != 0)
    return config_no_memory(c);
  config_camera_t *cam = &c->cameras[c->n_cameras++];
  memset(cam, 0, sizeof *cam);
  cam->fs = fs;
  cam->audio = true;
  cam->field = strdup(field);
  cam->url = strdup(url);
  if (!cam->field || !cam->url) return config_no_memory(c);
  *camera = cam;
  return 0;
}

static int parse_camera(valkka_config_t *c, size_t i, json_t *item, int32_t default_fs) {
  static const char *const known[] = {"name",   "url",      "fs",      "id",
                                      "audio",  "audio_id", "options", "substream",
                                      "record", "sub_id",   NULL};
  char field[64], name[96];
  snprintf(field, sizeof field, "cameras[%zu]", i);
  if (!json_is_object(item))
    return config_bad(c, field, "expected an object {\"name\", \"url\", ...}");
  int status = warn_unknown(c, field, item, known);
  if (status) return status;
  json_t *url = json_object_get(item, "url");
  join(name, sizeof name, field, "url");
  if (!url) return config_bad(c, name, "missing (rtsp://..., synthetic://N or a file path)");
  if (!json_is_string(url) || !*json_string_value(url))
    return config_bad(c, name, "expected a non-empty string");
  int32_t fs = default_fs;
  json_t *fs_value = json_object_get(item, "fs");
  if (fs_value) {
    size_t index = 0;
    if ((status = parse_fs(c, join(name, sizeof name, field, "fs"), fs_value, &index)))
      return status;
    fs = (int32_t)index;
  }
  config_camera_t *cam = NULL;
  if ((status = add_camera(c, field, json_string_value(url), fs, &cam))) return status;
  json_t *v = json_object_get(item, "name");
  if (v) {
    join(name, sizeof name, field, "name");
    if (!json_is_string(v) || !*json_string_value(v))
      return config_bad(c, name, "expected a non-empty string");
    if (!(cam->name = strdup(json_string_value(v)))) return config_no_memory(c);
  }
  cam->has_id = json_object_get(item, "id") != NULL;
  cam->has_audio_id = json_object_get(item, "audio_id") != NULL;
  if ((status = get_uint(c, item, field, "id", 1, UINT32_MAX, &cam->stream_id))) return status;
  if ((status = get_uint(c, item, field, "audio_id", 1, UINT32_MAX, &cam->audio_id))) return status;
  if ((v = json_object_get(item, "audio"))) {
    join(name, sizeof name, field, "audio");
    if (!json_is_boolean(v)) return config_bad(c, name, "expected true or false");
    cam->audio = json_is_true(v);
  }
  if ((status = config_parse_substream(c, field, item, cam))) return status;
  if ((v = json_object_get(item, "options")))
    status = parse_options(c, join(name, sizeof name, field, "options"), v, cam);
  return status;
}

/* "recorders": [DIR|URL, ...], whole FS a viewer shows; each an FS of field "recorders[i]". */
static int parse_recorders(valkka_config_t *c, json_t *recorders) {
  if (!json_is_array(recorders))
    return config_bad(c, "recorders", "expected an array of FS directories or URLs");
  for (size_t i = 0; i < json_array_size(recorders); i++) {
    char name[64];
    snprintf(name, sizeof name, "recorders[%zu]", i);
    const char *dir = json_string_value(json_array_get(recorders, i));
    if (!dir || !*dir) return config_bad(c, name, "expected an FS directory or URL");
    size_t index = 0;
    int status = add_fs(c, dir, name, &index);
    if (status) return status;
  }
  return 0;
}

int config_parse(valkka_config_t *c, json_t *root) {
  static const char *const known[] = {"fs", "cameras", "recorders", NULL};
  if (!json_is_object(root))
    return config_bad(c, "top level", "expected an object {\"fs\", \"cameras\"}");
  int status = warn_unknown(c, "", root, known);
  if (status) return status;
  json_t *fs = json_object_get(root, "fs"), *cameras = json_object_get(root, "cameras");
  json_t *recorders = json_object_get(root, "recorders");
  size_t index = 0;
  if (fs && (status = parse_fs(c, "fs", fs, &index))) return status;
  if (recorders && (status = parse_recorders(c, recorders))) return status;
  /* A viewer's config may list whole recorders only. */
  if (!cameras && recorders && json_array_size(recorders)) return 0;
  if (!cameras) return config_bad(c, "cameras", "missing (an array of cameras to record)");
  if (!json_is_array(cameras) || json_array_size(cameras) == 0)
    return config_bad(c, "cameras", "expected a non-empty array of cameras");
  if (json_array_size(cameras) > VALKKA_CONFIG_MAX_CAMERAS)
    return config_bad(c, "cameras", "%zu cameras: at most %u", json_array_size(cameras),
                      VALKKA_CONFIG_MAX_CAMERAS);
  const int32_t default_fs = fs ? (int32_t)index : VALKKA_CONFIG_NO_FS;
  for (size_t i = 0; i < json_array_size(cameras) && !status; i++)
    status = parse_camera(c, i, json_array_get(cameras, i), default_fs);
  return status ? status : config_check_ids(c);
}
