/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valkkafs.json: read, check every field, write atomically (FORMAT.md, "valkkafs.json"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "base/error.h"

const char *fs_kind_name(uint32_t kind) {
  return kind == VALKKA_FS_SINGLE ? "single" : kind == VALKKA_FS_MULTI ? "multi" : "unknown";
}

const char *fs_kind_backend(uint32_t kind) {
  return kind == VALKKA_FS_SINGLE ? "storage-singlefs" : "storage-multifs";
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static int parse_uuid(const char *text, fs_config_t *cfg) {
  if (strlen(text) != 32) return -1;
  for (int i = 0; i < 16; i++) {
    int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    cfg->uuid[i] = (uint8_t)(hi << 4 | lo);
  }
  memcpy(cfg->uuid_hex, text, 33);
  return 0;
}

/* The string member `key`, or NULL after setting the error. */
static const char *get_string(json_t *root, const char *key, const char *path) {
  json_t *v = json_object_get(root, key);
  if (!json_is_string(v)) {
    valkka_error_set(VALKKA_EFORMAT, "%s: \"%s\" missing or not a string", path, key);
    return NULL;
  }
  return json_string_value(v);
}

static int get_uint(json_t *root, const char *key, const char *path, uint64_t lo, uint64_t hi,
                    uint32_t *out) {
  json_t *v = json_object_get(root, key);
  if (!json_is_integer(v))
    return valkka_error_set(VALKKA_EFORMAT, "%s: \"%s\" missing or not an integer", path, key);
  json_int_t n = json_integer_value(v);
  if (n < 0 || (uint64_t)n < lo || (uint64_t)n > hi)
    return valkka_error_set(VALKKA_EFORMAT, "%s: \"%s\" is %lld, expected %llu..%llu", path, key,
                            (long long)n, (unsigned long long)lo, (unsigned long long)hi);
  *out = (uint32_t)n;
  return 0;
}

static int decode(json_t *root, const char *path, fs_config_t *cfg) {
  if (!json_is_object(root)) return valkka_error_set(VALKKA_EFORMAT, "%s: not a JSON object", path);
  const char *format = get_string(root, "format", path);
  if (!format) return VALKKA_EFORMAT;
  if (strcmp(format, "valkkafs") != 0)
    return valkka_error_set(VALKKA_EFORMAT, "%s: format \"%s\", expected \"valkkafs\"", path,
                            format);
  json_t *version = json_object_get(root, "version");
  if (!json_is_integer(version))
    return valkka_error_set(VALKKA_EFORMAT, "%s: \"version\" missing or not an integer", path);
  json_int_t v = json_integer_value(version);
  if (v < FS_FORMAT_OLDEST || v > FS_FORMAT_VERSION)
    return valkka_error_set(VALKKA_EFORMAT, "%s: format version %lld, this library reads %d..%d",
                            path, (long long)v, FS_FORMAT_OLDEST, FS_FORMAT_VERSION);
  cfg->version = (uint32_t)v;
  const char *uuid = get_string(root, "uuid", path);
  if (!uuid) return VALKKA_EFORMAT;
  if (parse_uuid(uuid, cfg) != 0)
    return valkka_error_set(VALKKA_EFORMAT, "%s: uuid \"%s\" is not 32 lowercase hex digits", path,
                            uuid);
  const char *kind = get_string(root, "kind", path);
  if (!kind) return VALKKA_EFORMAT;
  if (!strcmp(kind, "multi"))
    cfg->kind = VALKKA_FS_MULTI;
  else if (!strcmp(kind, "single"))
    cfg->kind = VALKKA_FS_SINGLE;
  else
    return valkka_error_set(VALKKA_EFORMAT, "%s: kind \"%s\", expected multi or single", path,
                            kind);
  int err =
      get_uint(root, "block_size", path, FS_MIN_BLOCK_SIZE, FS_MAX_BLOCK_SIZE, &cfg->block_size);
  if (err) return err;
  if (cfg->block_size % 4096)
    return valkka_error_set(VALKKA_EFORMAT, "%s: block_size %u is not a multiple of 4096", path,
                            cfg->block_size);
  if ((err = get_uint(root, "n_blocks", path, FS_MIN_BLOCKS, FS_MAX_BLOCKS, &cfg->n_blocks)))
    return err;
  const char *data = get_string(root, "data", path);
  if (!data) return VALKKA_EFORMAT;
  if (strcmp(data, FS_BLOCKS_NAME) != 0 && data[0] != '/')
    return valkka_error_set(VALKKA_EFORMAT,
                            "%s: data \"%s\": expected \"blocks\" or an absolute path", path, data);
  snprintf(cfg->data, sizeof cfg->data, "%s", data);
  const char *backend = get_string(root, "backend", path);
  const char *created = get_string(root, "created", path);
  if (!backend || !created) return VALKKA_EFORMAT;
  if (!backend[0] || strlen(backend) >= sizeof cfg->backend)
    return valkka_error_set(VALKKA_EFORMAT, "%s: bad backend name", path);
  snprintf(cfg->backend, sizeof cfg->backend, "%s", backend);
  snprintf(cfg->created, sizeof cfg->created, "%s", created);
  return 0;
}

int fs_config_load(const char *dir, fs_config_t *cfg) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, FS_JSON_NAME);
  memset(cfg, 0, sizeof *cfg);
  if (access(path, F_OK) != 0) {
    int code = error_from_errno(errno);
    if (code == VALKKA_ENOENT)
      return valkka_error_set(code, "%s: no %s: not a ValkkaFS directory", dir, FS_JSON_NAME);
    return valkka_error_set(code, "%s: %s", path, strerror(errno));
  }
  json_error_t jerr;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    if (access(path, R_OK) != 0)
      return valkka_error_set(error_from_errno(errno), "%s: %s", path, strerror(errno));
    return valkka_error_set(VALKKA_EFORMAT, "%s: not valid JSON: %s (line %d)", path, jerr.text,
                            jerr.line);
  }
  int err = decode(root, path, cfg);
  json_decref(root);
  return err;
}

int fs_config_parse(const char *text, size_t len, const char *label, fs_config_t *cfg) {
  memset(cfg, 0, sizeof *cfg);
  json_error_t jerr;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root)
    return valkka_error_set(VALKKA_EFORMAT, "%s: not valid JSON: %s (line %d)", label, jerr.text,
                            jerr.line);
  int err = decode(root, label, cfg);
  json_decref(root);
  return err;
}

int fs_json_save(const char *dir, const char *name, json_t *root) {
  char path[PATH_MAX], tmp[PATH_MAX + 8];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (!text) return valkka_error_set(VALKKA_ENOMEM, "%s: out of memory", name);
  int err = 0;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    err = valkka_error_set(error_from_errno(errno), "%s: %s", tmp, strerror(errno));
  } else {
    size_t len = strlen(text);
    ssize_t put = write(fd, text, len);
    int saved = errno;
    if (put == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0) {
      close(fd);
      if (rename(tmp, path) != 0)
        err = valkka_error_set(error_from_errno(errno), "%s: %s", path, strerror(errno));
    } else {
      if (put >= 0) saved = errno ? errno : ENOSPC;
      close(fd);
      err = valkka_error_set(error_from_errno(saved), "%s: %s", tmp, strerror(saved));
    }
    if (err) unlink(tmp);
  }
  free(text);
  return err;
}

int fs_config_save(const char *dir, const fs_config_t *cfg) {
  json_t *root = json_object();
  if (!root) return valkka_error_set(VALKKA_ENOMEM, "valkkafs.json: out of memory");
  json_object_set_new(root, "format", json_string("valkkafs"));
  json_object_set_new(root, "version", json_integer(cfg->version));
  json_object_set_new(root, "uuid", json_string(cfg->uuid_hex));
  json_object_set_new(root, "kind", json_string(fs_kind_name(cfg->kind)));
  json_object_set_new(root, "backend", json_string(cfg->backend));
  json_object_set_new(root, "block_size", json_integer(cfg->block_size));
  json_object_set_new(root, "n_blocks", json_integer(cfg->n_blocks));
  json_object_set_new(root, "data", json_string(cfg->data));
  json_object_set_new(root, "created", json_string(cfg->created));
  int err = fs_json_save(dir, FS_JSON_NAME, root);
  json_decref(root);
  return err;
}
