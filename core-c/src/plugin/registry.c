/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The process-wide plugin registry: dlopen, check, keep; lookup by kind and name. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <valkka/registry.h>

#include "plugin/check.h"
#include "plugin/find.h"
#include "util/array.h"
#include "base/log.h"

#ifndef VALKKA_PLUGIN_INSTALL_DIR
#error "VALKKA_PLUGIN_INSTALL_DIR must be defined by the build"
#endif

/* The core's own zero-filled copy of a plugin's vtable, so methods an older plugin lacks read NULL. */
typedef union vtable_copy {
  uint32_t struct_size;
  valkka_source_vtable_t source;
  valkka_decoder_vtable_t decoder;
  valkka_storage_vtable_t storage;
} vtable_copy_t;

typedef struct entry {
  valkka_plugin_t desc; /* the core's copy; desc.vtable points at vt */
  vtable_copy_t vt;
  char *path;
  void *handle;
} entry_t;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static entry_t **entries;
static int n_entries;
static size_t cap_entries;

static size_t vtable_size(uint32_t kind) {
  switch (kind) {
    case VALKKA_PLUGIN_SOURCE: return sizeof(valkka_source_vtable_t);
    case VALKKA_PLUGIN_DECODER: return sizeof(valkka_decoder_vtable_t);
    default: return sizeof(valkka_storage_vtable_t);
  }
}

static void fill_info(const entry_t *e, valkka_plugin_info_t *info) {
  if (!info) return;
  valkka_plugin_info_t full = {
      .struct_size = info->struct_size,
      .kind = e->desc.kind,
      .abi_major = e->desc.abi_major,
      .abi_minor = e->desc.abi_minor,
      .name = e->desc.name,
      .version = e->desc.version,
      .description = e->desc.description ? e->desc.description : "",
      .path = e->path,
  };
  size_t n = info->struct_size < sizeof full ? info->struct_size : sizeof full;
  memcpy(info, &full, n);
}

static entry_t *find_locked(uint32_t kind, const char *name) {
  for (int i = 0; i < n_entries; i++)
    if (entries[i]->desc.kind == kind && strcmp(entries[i]->desc.name, name) == 0)
      return entries[i];
  return NULL;
}

static entry_t *find_path_locked(const char *path) {
  for (int i = 0; i < n_entries; i++)
    if (strcmp(entries[i]->path, path) == 0) return entries[i];
  return NULL;
}

/* Copies the plugin's descriptor and vtable into a new entry (strings stay the plugin's: it stays loaded). */
static entry_t *make_entry(const valkka_plugin_t *desc, const char *path, void *handle) {
  entry_t *e = calloc(1, sizeof *e);
  if (!e || !(e->path = strdup(path))) {
    free(e);
    return NULL;
  }
  memcpy(&e->desc, desc, desc->struct_size < sizeof e->desc ? desc->struct_size : sizeof e->desc);
  e->desc.struct_size = sizeof e->desc;
  uint32_t vt_size = *(const uint32_t *)desc->vtable;
  size_t own = vtable_size(desc->kind);
  memcpy(&e->vt, desc->vtable, vt_size < own ? vt_size : own);
  e->vt.struct_size = (uint32_t)own;
  e->desc.vtable = &e->vt;
  e->handle = handle;
  return e;
}

static int add_locked(entry_t *e) {
  if (array_reserve((void **)&entries, &cap_entries, (size_t)n_entries + 1, sizeof *entries, 16))
    return valkka_error_set(VALKKA_ENOMEM, "plugin registry: out of memory");
  entries[n_entries++] = e;
  return 0;
}

static int load_locked(const char *path, valkka_plugin_info_t *info) {
  char real[PATH_MAX];
  if (!path) return valkka_error_set(VALKKA_EINVAL, "plugin: NULL path");
  if (!realpath(path, real))
    return valkka_error_set(VALKKA_ENOENT, "plugin %s: %s", path, strerror(errno));
  struct stat st;
  if (stat(real, &st) != 0 || !S_ISREG(st.st_mode))
    return valkka_error_set(VALKKA_ENOTPLUGIN, "plugin %s: not a regular file", path);
  entry_t *known = find_path_locked(real);
  if (known) {
    fill_info(known, info);
    return 0;
  }
  /* RTLD_LOCAL: plugins see the core's symbols only through the host table, never each other's. */
  void *handle = dlopen(real, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return valkka_error_set(VALKKA_ENOTPLUGIN, "plugin %s: not a loadable shared object: %s", path,
                            dlerror());
  valkka_plugin_entry_fn entry_fn;
  *(void **)&entry_fn = dlsym(handle, VALKKA_PLUGIN_ENTRY_SYMBOL);
  if (!entry_fn) {
    dlclose(handle);
    return valkka_error_set(VALKKA_ENOTPLUGIN, "plugin %s: no %s symbol: not a valkka plugin", path,
                            VALKKA_PLUGIN_ENTRY_SYMBOL);
  }
  const valkka_plugin_t *desc = entry_fn();
  int err = plugin_check(desc, path);
  if (!err && find_locked(desc->kind, desc->name)) {
    err = valkka_error_set(VALKKA_EEXIST,
                           "plugin %s: a %s plugin named '%s' is already loaded from %s", path,
                           valkka_plugin_kind_name(desc->kind), desc->name,
                           find_locked(desc->kind, desc->name)->path);
  }
  entry_t *e = NULL;
  if (!err && !(e = make_entry(desc, real, handle)))
    err = valkka_error_set(VALKKA_ENOMEM, "plugin %s: out of memory", path);
  if (!err) err = add_locked(e);
  if (err) {
    if (e) free(e->path);
    free(e);
    dlclose(handle);
    return err;
  }
  fill_info(e, info);
  LOG_DEBUG("plugin", "loaded %s plugin %s %s from %s", valkka_plugin_kind_name(e->desc.kind),
            e->desc.name, e->desc.version, e->path);
  return 0;
}

int valkka_plugin_load_file(const char *path, valkka_plugin_info_t *info) {
  pthread_mutex_lock(&registry_lock);
  int err = load_locked(path, info);
  pthread_mutex_unlock(&registry_lock);
  return err;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every *.so of `dir` in name order, so that which duplicate wins never depends on readdir. */
static void scan_dir_locked(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t len = strlen(de->d_name);
    if (len < 4 || strcmp(de->d_name + len - 3, ".so") != 0) continue;
    if (array_reserve((void **)&names, &cap, n + 1, sizeof *names, 16)) break;
    if (!(names[n] = strdup(de->d_name))) break;
    n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, compare_names);
  for (size_t i = 0; i < n; i++) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (load_locked(path, NULL) != 0) LOG_WARN("plugin", "%s", valkka_last_error());
    free(names[i]);
  }
  free(names);
}

int valkka_plugins_load(void) {
  pthread_mutex_lock(&registry_lock);
  const char *env = getenv("VALKKA_PLUGIN_PATH");
  if (env && *env) {
    char *copy = strdup(env);
    char *save = NULL;
    for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir;
         dir = strtok_r(NULL, ":", &save))
      scan_dir_locked(dir);
    free(copy);
  }
  scan_dir_locked(VALKKA_PLUGIN_INSTALL_DIR);
  int n = n_entries;
  pthread_mutex_unlock(&registry_lock);
  return n;
}

int valkka_plugin_count(void) {
  pthread_mutex_lock(&registry_lock);
  int n = n_entries;
  pthread_mutex_unlock(&registry_lock);
  return n;
}

int valkka_plugin_get(int index, valkka_plugin_info_t *info) {
  if (!info || info->struct_size < offsetof(valkka_plugin_info_t, path) + sizeof(char *))
    return valkka_error_set(VALKKA_EINVAL, "plugin_get: NULL info or struct_size too small");
  pthread_mutex_lock(&registry_lock);
  int err = 0;
  if (index < 0 || index >= n_entries)
    err = valkka_error_set(VALKKA_ERANGE, "plugin_get: index %d of %d", index, n_entries);
  else
    fill_info(entries[index], info);
  pthread_mutex_unlock(&registry_lock);
  return err;
}

const valkka_plugin_t *valkka_plugin_find(valkka_plugin_kind_t kind, const char *name) {
  if (!name) {
    valkka_error_set(VALKKA_EINVAL, "plugin_find: NULL name");
    return NULL;
  }
  pthread_mutex_lock(&registry_lock);
  entry_t *e = find_locked(kind, name);
  pthread_mutex_unlock(&registry_lock);
  if (!e) {
    valkka_error_set(VALKKA_ENOENT, "no %s plugin named '%s' (searched $VALKKA_PLUGIN_PATH and %s)",
                     valkka_plugin_kind_name(kind), name, VALKKA_PLUGIN_INSTALL_DIR);
    return NULL;
  }
  return &e->desc;
}

const valkka_plugin_t *plugin_find_or_load(valkka_plugin_kind_t kind, const char *name) {
  const valkka_plugin_t *plugin = valkka_plugin_find(kind, name);
  if (!plugin) {
    valkka_plugins_load();
    plugin = valkka_plugin_find(kind, name);
  }
  return plugin;
}

const char *valkka_plugin_dir(void) { return VALKKA_PLUGIN_INSTALL_DIR; }

const char *valkka_plugin_kind_name(uint32_t kind) {
  switch (kind) {
    case VALKKA_PLUGIN_SOURCE: return "source";
    case VALKKA_PLUGIN_DECODER: return "decoder";
    case VALKKA_PLUGIN_STORAGE: return "storage";
    default: return "unknown";
  }
}
