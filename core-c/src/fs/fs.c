/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An FS's life: create, open (with recovery), close. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <valkka/error.h>
#include <valkka/fs.h>
#include <valkka/log.h>

#include "fs/fs_internal.h"
#include "fs/table.h"
#include "util/clock.h"
#include "base/error.h"
#include "base/log.h"

#define DEFAULT_SYNC_INTERVAL_MS 1000u
#define VOID_CHUNK 1024u

static int random_uuid(uint8_t uuid[16]) {
  if (getrandom(uuid, 16, 0) == 16) return 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  ssize_t got = fd >= 0 ? read(fd, uuid, 16) : -1;
  if (fd >= 0) close(fd);
  if (got != 16) return valkka_error_set(VALKKA_EIO, "fs: no random source for a uuid");
  return 0;
}

static int check_geometry(uint32_t kind, uint32_t block_size, uint32_t n_blocks) {
  if (kind != VALKKA_FS_MULTI && kind != VALKKA_FS_SINGLE)
    return valkka_error_set(VALKKA_EINVAL, "fs create: kind %u (expected multi or single)", kind);
  if (block_size < FS_MIN_BLOCK_SIZE || block_size > FS_MAX_BLOCK_SIZE || block_size % 4096)
    return valkka_error_set(VALKKA_EINVAL,
                            "fs create: block size %u: must be a multiple of 4096 between 64 KiB "
                            "and 1 GiB",
                            block_size);
  if (n_blocks < FS_MIN_BLOCKS || n_blocks > FS_MAX_BLOCKS)
    return valkka_error_set(VALKKA_EINVAL, "fs create: %u blocks: must be %u..%u", n_blocks,
                            FS_MIN_BLOCKS, FS_MAX_BLOCKS);
  return 0;
}

/* The backend named `name`, checked against the FS kind's stream rule. */
static int backend_for(const char *name, uint32_t kind, const char *what, const char *dir,
                       const valkka_storage_vtable_t **out) {
  const valkka_storage_vtable_t *vt = fs_backend_find(name);
  if (!vt) return valkka_error_set(VALKKA_ENOENT, "%s %s: %s", what, dir, valkka_last_error());
  if (kind == VALKKA_FS_MULTI && vt->max_streams == 1)
    return valkka_error_set(VALKKA_EINVAL,
                            "%s %s: storage backend %s holds one stream per FS: "
                            "it cannot serve a multi FS",
                            what, dir, name);
  *out = vt;
  return 0;
}

static int write_void_table(const fs_files_t *files, uint32_t n_blocks) {
  uint8_t *raw = malloc((size_t)VOID_CHUNK * FS_ENTRY_SIZE);
  if (!raw) return valkka_error_set(VALKKA_ENOMEM, "fs create: out of memory");
  fs_entry_t empty;
  fs_entry_set_void(&empty, 0);
  for (uint32_t i = 0; i < VOID_CHUNK; i++)
    fs_entry_encode(&empty, raw + (size_t)i * FS_ENTRY_SIZE);
  int err = 0;
  for (uint32_t first = 0; first < n_blocks && !err; first += VOID_CHUNK) {
    uint32_t count = n_blocks - first < VOID_CHUNK ? n_blocks - first : VOID_CHUNK;
    err = files->vt->pwrite(files->table, raw, (size_t)count * FS_ENTRY_SIZE,
                            (uint64_t)first * FS_ENTRY_SIZE);
  }
  free(raw);
  if (!err) err = files->vt->sync(files->table);
  if (!err) err = files->vt->sync(files->blocks);
  return err;
}

int valkka_fs_create(const char *dir, const valkka_fs_create_params_t *params) {
  if (!dir || !params || !VALKKA_HAS_FIELD(params, valkka_fs_create_params_t, n_blocks))
    return valkka_error_set(VALKKA_EINVAL, "fs create: NULL argument or struct_size too small");
  const char *device = VALKKA_HAS_FIELD(params, valkka_fs_create_params_t, device) ? params->device
                                                                                   : NULL;
  const char *backend =
      VALKKA_HAS_FIELD(params, valkka_fs_create_params_t, backend) ? params->backend : NULL;
  if (valkka_fs_is_remote(dir))
    return valkka_error_set(VALKKA_EINVAL,
                            "fs create: a URL: an FS is created on the recorder's own disk, "
                            "then served");
  int err = check_geometry(params->kind, params->block_size, params->n_blocks);
  if (err) return err;
  if (device && device[0] != '/')
    return valkka_error_set(VALKKA_EINVAL, "fs create: device %s: an absolute path is needed",
                            device);
  fs_config_t cfg = {0};
  cfg.kind = params->kind;
  cfg.block_size = params->block_size;
  cfg.n_blocks = params->n_blocks;
  snprintf(cfg.backend, sizeof cfg.backend, "%s", backend ? backend : fs_kind_backend(cfg.kind));
  snprintf(cfg.data, sizeof cfg.data, "%s", device ? device : FS_BLOCKS_NAME);
  const valkka_storage_vtable_t *vt = NULL;
  if ((err = backend_for(cfg.backend, cfg.kind, "fs create", dir, &vt))) return err;
  if ((err = random_uuid(cfg.uuid))) return err;
  for (int i = 0; i < 16; i++) snprintf(cfg.uuid_hex + 2 * i, 3, "%02x", cfg.uuid[i]);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(cfg.created, sizeof cfg.created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  cfg.version = FS_FORMAT_VERSION;

  bool made_dir = false;
  if (mkdir(dir, 0755) == 0) {
    made_dir = true;
  } else if (errno != EEXIST) {
    return valkka_error_set(error_from_errno(errno), "fs create: mkdir %s: %s", dir,
                            strerror(errno));
  }
  char json_path[PATH_MAX];
  snprintf(json_path, sizeof json_path, "%s/%s", dir, FS_JSON_NAME);
  if (access(json_path, F_OK) == 0)
    return valkka_error_set(VALKKA_EEXIST, "fs create: %s already holds a ValkkaFS", dir);

  fs_files_t files = {0}; /* no directory handle: files by path */
  err = fs_files_open(&files, vt, dir, &cfg, VALKKA_STORAGE_CREATE);
  if (!err) {
    err = write_void_table(&files, cfg.n_blocks);
    if (err) valkka_error_set(err, "fs create %s: %s", dir, valkka_last_error());
    fs_files_close(&files);
    if (!err) err = fs_config_save(dir, &cfg);
    if (err) {
      /* Keep the message of the failure, not of the clean-up. */
      char path[PATH_MAX];
      snprintf(path, sizeof path, "%s/%s", dir, FS_TABLE_NAME);
      unlink(path);
      snprintf(path, sizeof path, "%s/%s", dir, FS_RANGES_NAME);
      unlink(path);
      if (!device) {
        snprintf(path, sizeof path, "%s/%s", dir, FS_BLOCKS_NAME);
        unlink(path);
      }
    }
  }
  if (err && made_dir) rmdir(dir);
  return err;
}

static void single_id_from_table(valkka_fs_t *fs) {
  if (fs->max_streams != 1) return;
  for (uint32_t b = 0; b < fs->layout.n_blocks; b++) {
    const fs_entry_t *e = &fs->table[b];
    if (!fs_entry_is_void(e) && e->n_streams) {
      fs->has_single_id = true;
      fs->single_id = e->streams[0].id;
      if (e->seq == fs->seq) return; /* the newest block's stream wins */
    }
  }
}

static void fs_free(valkka_fs_t *fs) {
  fs_files_close(&fs->files);
  if (fs->lock_fd >= 0) close(fs->lock_fd);
  fs_streams_free(fs);
  pthread_mutex_destroy(&fs->write_lock);
  pthread_mutex_destroy(&fs->table_lock);
  pthread_mutex_destroy(&fs->streams_lock);
  pthread_mutex_destroy(&fs->writer_lock);
  free(fs->table);
  free(fs->ranges);
  fs_ranges_cache_free(fs->ranges_cache);
  free(fs->names);
  free(fs->wbuf);
  free(fs->look_buf);
  free(fs->dir);
  free(fs);
}

/*
 * A writer may append what only a newer format has (presentation offsets, audio): the FS says so
 * before the first such record. Everything of the older format is valid in the newer one.
 */
static int upgrade(valkka_fs_t *fs) {
  if (fs->cfg.version >= FS_FORMAT_VERSION) return 0;
  uint32_t was = fs->cfg.version;
  fs->cfg.version = FS_FORMAT_VERSION;
  int err = fs_config_save(fs->dir, &fs->cfg);
  if (err)
    return valkka_error_set(err, "fs open %s: upgrade to format %d: %s", fs->dir, FS_FORMAT_VERSION,
                            valkka_last_error());
  LOG_INFO("fs", "%s: format %u upgraded to %d (the records written so far stay as they are)",
           fs->dir, was, FS_FORMAT_VERSION);
  return 0;
}

int valkka_fs_open(const char *dir, const valkka_fs_open_params_t *params, valkka_fs_t **out) {
  if (!dir || !out) return valkka_error_set(VALKKA_EINVAL, "fs open: NULL argument");
  *out = NULL;
  uint32_t flags = 0, sync_ms = 0;
  const char *backend = NULL;
  const valkka_option_t *options = NULL;
  size_t n_options = 0;
  if (params) {
    if (VALKKA_HAS_FIELD(params, valkka_fs_open_params_t, flags)) flags = params->flags;
    if (VALKKA_HAS_FIELD(params, valkka_fs_open_params_t, backend)) backend = params->backend;
    if (VALKKA_HAS_FIELD(params, valkka_fs_open_params_t, sync_interval_ms))
      sync_ms = params->sync_interval_ms;
    if (VALKKA_HAS_FIELD(params, valkka_fs_open_params_t, n_options)) {
      options = params->options;
      n_options = options ? params->n_options : 0;
    }
  }
  const bool remote = valkka_fs_is_remote(dir);
  if (remote) flags |= VALKKA_FS_READONLY;
  /* A URL's credentials stay out of every message: the FS is named by the redacted URL. */
  char label[PATH_MAX];
  valkka_url_redact(dir, VALKKA_URL_REDACT_WHOLE, label, sizeof label);
  valkka_fs_t *fs = calloc(1, sizeof *fs);
  if (!fs || !(fs->dir = strdup(remote ? label : dir))) {
    free(fs);
    return valkka_error_set(VALKKA_ENOMEM, "fs open: out of memory");
  }
  fs->lock_fd = -1;
  pthread_mutex_init(&fs->write_lock, NULL);
  pthread_mutex_init(&fs->table_lock, NULL);
  pthread_mutex_init(&fs->streams_lock, NULL);
  pthread_mutex_init(&fs->writer_lock, NULL);
  fs->readonly = (flags & VALKKA_FS_READONLY) != 0;
  fs->sync_interval_ms = sync_ms ? sync_ms : DEFAULT_SYNC_INTERVAL_MS;
  const valkka_storage_vtable_t *vt = NULL;
  int err;
  if (remote) {
    /* valkkafs.json's backend is how the recorder stores; the reader's is the HTTP one. */
    if ((err = backend_for(backend ? backend : "storage-http", VALKKA_FS_SINGLE, "fs open", label,
                           &vt)) ||
        (err = fs_remote_open(&fs->files, vt, dir, label, options, n_options, &fs->cfg)))
      goto fail;
    fs_layout_init(&fs->layout, fs->cfg.uuid, fs->cfg.block_size, fs->cfg.n_blocks);
  } else {
    if ((err = fs_config_load(dir, &fs->cfg))) goto fail;
    fs_layout_init(&fs->layout, fs->cfg.uuid, fs->cfg.block_size, fs->cfg.n_blocks);
    if ((err = backend_for(backend ? backend : fs->cfg.backend, fs->cfg.kind, "fs open", dir, &vt)))
      goto fail;
  }
  fs->max_streams = fs->cfg.kind == VALKKA_FS_SINGLE ? 1 : vt->max_streams;
  if (!fs->readonly && (fs->lock_fd = fs_lock_dir(dir)) < 0) {
    err = fs->lock_fd;
    goto fail;
  }
  err =
      fs_files_open(&fs->files, vt, fs->dir, &fs->cfg, fs->readonly ? VALKKA_STORAGE_READONLY : 0);
  if (err) {
    valkka_error_set(err, "fs open %s: %s", fs->dir, valkka_last_error());
    goto fail;
  }
  if (!(fs->table = calloc(fs->cfg.n_blocks, sizeof *fs->table)) ||
      !(fs->ranges = calloc(fs->cfg.n_blocks, sizeof *fs->ranges))) {
    err = valkka_error_set(VALKKA_ENOMEM, "fs open %s: out of memory for %u entries", fs->dir,
                           fs->cfg.n_blocks);
    goto fail;
  }
  if ((err = fs_recover(fs))) {
    valkka_error_set(err, "fs open %s: recovery: %s", fs->dir, valkka_last_error());
    goto fail;
  }
  if (!fs->readonly && (err = upgrade(fs))) goto fail;
  /* Blocks never span a time the writer was away: its ranges, drawn from the table, stay true. */
  fs->restarted = !fs->readonly && fs->seq && fs->pos > FS_BLOCK_HEADER_SIZE;
  fs_names_load(fs);
  single_id_from_table(fs);
  fs->entry_stored_us = clock_mono_us();
  *out = fs;
  return 0;
fail:
  if (fs->lock_fd < 0) fs->lock_fd = -1;
  fs_free(fs);
  return err;
}

void valkka_fs_close(valkka_fs_t *fs) {
  if (!fs) return;
  fs_writer_stop(fs);
  fs_follower_stop(fs);
  pthread_mutex_lock(&fs->write_lock);
  if (!fs->readonly && fs_sync_locked(fs) != 0)
    valkka_log(VALKKA_LOG_ERROR, "fs", "close %s: %s", fs->dir, valkka_last_error());
  pthread_mutex_unlock(&fs->write_lock);
  fs_free(fs);
}
