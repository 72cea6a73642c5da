/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A remote FS: an FS directory an HTTP server serves, opened by URL through a storage backend
 * with a directory handle (storage-http). The format is the wire format: the core reads the same
 * files by the same byte ranges as on a local disk, and the files of the directory the recorder
 * rewrites (status.json, streams.json) whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <valkka/error.h>
#include <valkka/fs.h>
#include <valkka/registry.h>

#include "fs/fs_internal.h"
#include "base/error.h"

int valkka_fs_is_remote(const char *dir) {
  if (!dir) return 0;
  return !strncasecmp(dir, "http://", 7) || !strncasecmp(dir, "https://", 8);
}

int fs_remote_open(fs_files_t *files, const valkka_storage_vtable_t *vt, const char *url,
                   const char *label, const valkka_option_t *options, size_t n_options,
                   fs_config_t *cfg) {
  memset(files, 0, sizeof *files);
  files->vt = vt;
  if (!VALKKA_HAS_FIELD(vt, valkka_storage_vtable_t, close_dir) || !vt->open_dir)
    return valkka_error_set(VALKKA_EINVAL,
                            "%s: its storage backend opens local files only, not a URL", label);
  int err = vt->open_dir(valkka_host(), url, options, n_options, &files->dir);
  if (err) return err; /* its message names the URL, without credentials */
  char *text = NULL;
  size_t len = 0;
  err = fs_files_load(files, label, FS_JSON_NAME, &text, &len);
  if (err == VALKKA_ENOENT)
    err = valkka_error_set(err, "%s: no %s: not a ValkkaFS directory (%s)", label, FS_JSON_NAME,
                           valkka_last_error());
  if (!err) {
    char what[PATH_MAX + 32];
    snprintf(what, sizeof what, "%s/%s", label, FS_JSON_NAME);
    err = fs_config_parse(text, len, what, cfg);
  }
  free(text);
  if (err) fs_files_close(files);
  return err;
}

int valkka_fs_load_file(valkka_fs_t *fs, const char *name, char **data, size_t *len) {
  if (data) *data = NULL;
  if (len) *len = 0;
  if (!fs || !name || !data || !len)
    return valkka_error_set(VALKKA_EINVAL, "fs_load_file: NULL argument");
  if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
    return valkka_error_set(VALKKA_EINVAL, "fs_load_file: \"%s\" is not a file name of the FS",
                            name);
  return fs_files_load(&fs->files, fs->dir, name, data, len);
}

void valkka_fs_free_file(char *data) { free(data); }
