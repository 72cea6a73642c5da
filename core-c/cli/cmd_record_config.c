/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record --config FILE`: the JSON config (README.md, "The config file") into a
 * plan. Every error names the file and the field ("cameras[1].url: missing"); URLs are never
 * quoted, since they may hold passwords.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli_util.h"
#include "cmd_record.h"
#include "commands.h"

#define DEFAULT_BLOCK_SIZE (1u << 20)

typedef struct config {
  const char *path;
  record_plan_t *plan;
} config_t;

static int bad(const config_t *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(const config_t *c, const char *field, const char *fmt, ...) {
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return cli_fail("record: config %s: %s: %s", c->path, field, what);
}

/* "field.key" into `out`: the name of a nested field, for messages. */
static const char *join(char *out, size_t size, const char *field, const char *key) {
  if (snprintf(out, size, "%s%s%s", field, *field && *key ? "." : "", key) >= (int)size)
    out[size - 1] = 0;
  return out;
}

/* Keys a later version (or the kiosk shell) may add are not errors: they are named and skipped. */
static void warn_unknown(const config_t *c, const char *field, json_t *object,
                         const char *const *known) {
  const char *key;
  json_t *value;
  json_object_foreach(object, key, value) {
    size_t i = 0;
    while (known[i] && strcmp(known[i], key) != 0) i++;
    if (!known[i])
      fprintf(stderr, "valkka: record: config %s: %s%s%s: unknown key, ignored\n", c->path, field,
              *field ? "." : "", key);
  }
}

/* `object.key`, an integer in [min, max], into `*out`; left alone when the key is absent. */
static int get_uint(const config_t *c, json_t *object, const char *field, const char *key,
                    json_int_t min, json_int_t max, uint32_t *out) {
  json_t *v = json_object_get(object, key);
  if (!v) return 0;
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
    char name[256];
    return bad(c, join(name, sizeof name, field, key), "expected an integer from %lld to %lld",
               (long long)min, (long long)max);
  }
  *out = (uint32_t)json_integer_value(v);
  return 0;
}

static int parse_create(const config_t *c, const char *field, json_t *create, record_fs_t *fs) {
  static const char *const known[] = {"kind", "block_size", "blocks", NULL};
  if (!json_is_object(create))
    return bad(c, field, "expected an object {\"kind\", \"block_size\", \"blocks\"}");
  warn_unknown(c, field, create, known);
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
      return bad(c, name, "expected \"multi\" or \"single\"");
  }
  join(name, sizeof name, field, "block_size");
  if ((v = json_object_get(create, "block_size"))) {
    uint64_t bytes = 0;
    if (json_is_integer(v) && json_integer_value(v) > 0)
      bytes = (uint64_t)json_integer_value(v);
    else if (!json_is_string(v) || cli_parse_size(json_string_value(v), &bytes) != 0)
      return bad(c, name, "expected bytes, as a number or a string like \"1M\"");
    if (bytes < 65536 || bytes % 4096 || bytes > (1u << 30))
      return bad(c, name, "must be a multiple of 4096, at least 64K and at most 1G");
    block_size = (uint32_t)bytes;
  }
  if (!json_object_get(create, "blocks"))
    return bad(c, field, "\"blocks\" is missing (the FS holds blocks x block_size bytes)");
  int status = get_uint(c, create, field, "blocks", 2, 1048576, &blocks);
  if (status) return status;
  if (!fs->create) {
    fs->create = true;
    fs->kind = kind;
    fs->block_size = block_size;
    fs->n_blocks = blocks;
  }
  return 0;
}

/* "DIR" or {"dir": DIR, "create": {...}}: adds the FS to the plan, its index to `*index`. */
static int parse_fs(const config_t *c, const char *field, json_t *value, size_t *index) {
  static const char *const known[] = {"dir", "create", NULL};
  json_t *dir = value, *create = NULL;
  if (json_is_object(value)) {
    warn_unknown(c, field, value, known);
    dir = json_object_get(value, "dir");
    create = json_object_get(value, "create");
    if (!dir) return bad(c, field, "\"dir\" is missing");
  } else if (!json_is_string(value)) {
    return bad(c, field, "expected a directory name or an object {\"dir\", \"create\"}");
  }
  char name[256];
  join(name, sizeof name, field, dir == value ? "" : "dir");
  if (!json_is_string(dir) || !*json_string_value(dir))
    return bad(c, name, "expected a directory name");
  int status = record_plan_fs(c->plan, json_string_value(dir), name, index);
  if (!status && create) {
    join(name, sizeof name, field, "create");
    status = parse_create(c, name, create, &c->plan->fs[*index]);
  }
  return status;
}

static int parse_options(const config_t *c, const char *field, json_t *options,
                         record_camera_t *cam) {
  if (!json_is_object(options)) return bad(c, field, "expected an object {\"key\": value}");
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
    if (!v) {
      return bad(c, join(name, sizeof name, field, key), "expected a string, number or boolean");
    }
    int status = record_plan_option(cam, key, v);
    if (status) return status;
  }
  return 0;
}

static int parse_camera(const config_t *c, size_t i, json_t *item, bool have_default_fs) {
  static const char *const known[] = {"name",  "url",      "fs",      "id",
                                      "audio", "audio_id", "options", NULL};
  char field[64], name[96];
  snprintf(field, sizeof field, "cameras[%zu]", i);
  if (!json_is_object(item)) return bad(c, field, "expected an object {\"name\", \"url\", ...}");
  warn_unknown(c, field, item, known);
  json_t *url = json_object_get(item, "url");
  join(name, sizeof name, field, "url");
  if (!url) return bad(c, name, "missing (rtsp://..., synthetic://N or a file path)");
  if (!json_is_string(url) || !*json_string_value(url))
    return bad(c, name, "expected a non-empty string");
  size_t fs = 0;
  json_t *fs_value = json_object_get(item, "fs");
  join(name, sizeof name, field, "fs");
  int status = 0;
  if (fs_value)
    status = parse_fs(c, name, fs_value, &fs);
  else if (!have_default_fs)
    status = bad(c, name, "missing, and there is no top-level \"fs\" either");
  record_camera_t *cam = NULL;
  if (!status) status = record_plan_camera(c->plan, field, json_string_value(url), fs, &cam);
  if (status) return status;
  json_t *v = json_object_get(item, "name");
  if (v) {
    join(name, sizeof name, field, "name");
    if (!json_is_string(v) || !*json_string_value(v))
      return bad(c, name, "expected a non-empty string");
    if (!(cam->name = strdup(json_string_value(v)))) return cli_fail("record: out of memory");
  }
  if ((status = get_uint(c, item, field, "id", 1, UINT32_MAX, &cam->stream_id))) return status;
  if ((status = get_uint(c, item, field, "audio_id", 1, UINT32_MAX, &cam->audio_id))) return status;
  if ((v = json_object_get(item, "audio"))) {
    join(name, sizeof name, field, "audio");
    if (!json_is_boolean(v)) return bad(c, name, "expected true or false");
    cam->no_audio = !json_is_true(v);
  }
  if ((v = json_object_get(item, "options"))) {
    join(name, sizeof name, field, "options");
    status = parse_options(c, name, v, cam);
  }
  return status;
}

static int parse_root(const config_t *c, json_t *root) {
  static const char *const known[] = {"fs", "cameras", NULL};
  if (!json_is_object(root)) return bad(c, "top level", "expected an object {\"fs\", \"cameras\"}");
  warn_unknown(c, "", root, known);
  json_t *fs = json_object_get(root, "fs"), *cameras = json_object_get(root, "cameras");
  size_t index = 0;
  int status = fs ? parse_fs(c, "fs", fs, &index) : 0;
  if (status) return status;
  if (!cameras) return bad(c, "cameras", "missing (an array of cameras to record)");
  if (!json_is_array(cameras) || json_array_size(cameras) == 0)
    return bad(c, "cameras", "expected a non-empty array of cameras");
  if (json_array_size(cameras) > RECORD_MAX_CAMERAS)
    return bad(c, "cameras", "%zu cameras: at most %u", json_array_size(cameras),
               RECORD_MAX_CAMERAS);
  for (size_t i = 0; i < json_array_size(cameras) && !status; i++)
    status = parse_camera(c, i, json_array_get(cameras, i), fs != NULL);
  return status;
}

int record_config_load(const char *path, record_plan_t *plan) {
  FILE *file = fopen(path, "r");
  if (!file) return cli_fail("record: config %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fileno(file), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
    fprintf(stderr,
            "valkka: record: warning: config %s is readable by %s (mode %03o) and may hold "
            "camera passwords: chmod 600 it\n",
            path, st.st_mode & S_IROTH ? "everyone" : "its group", (unsigned)(st.st_mode & 0777));
  json_error_t error;
  json_t *root = json_loadf(file, JSON_REJECT_DUPLICATES, &error);
  fclose(file);
  if (!root) {
    /* jansson quotes the text near the error ("near '\"rtsp://user:password'"): left out, since
       the text may be a camera's password. Line and column say where to look. */
    char *near = strstr(error.text, " near '");
    if (near) *near = '\0';
    return cli_fail("record: config %s: invalid JSON at line %d, column %d: %s", path, error.line,
                    error.column, error.text);
  }
  const config_t c = {path, plan};
  plan->config = path;
  int status = parse_root(&c, root);
  json_decref(root);
  return status;
}
