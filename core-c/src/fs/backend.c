/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The FS's files, opened and accessed through its storage plugin; the FS directory lock. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <valkka/error.h>
#include <valkka/registry.h>

#include "fs/fs_internal.h"
#include "plugin/find.h"
#include "base/error.h"
#include "base/log.h"

const valkka_storage_vtable_t *fs_backend_find(const char *name) {
  const valkka_plugin_t *plugin = plugin_find_or_load(VALKKA_PLUGIN_STORAGE, name);
  if (!plugin) return NULL; /* valkka_plugin_find said why */
  return plugin->vtable;
}

/* A regular file of another size than the FS says is a mismatch, not something to read around. */
static int check_size(const char *path, uint64_t want, bool exact) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  uint64_t have = (uint64_t)st.st_size;
  if (have == want || (!exact && have > want)) return 0;
  return valkka_error_set(VALKKA_EFORMAT,
                          "%s holds %llu bytes, valkkafs.json describes %llu: it does not "
                          "match the FS (block_size or n_blocks changed?)",
                          path, (unsigned long long)have, (unsigned long long)want);
}

/* The files of a remote FS, through its directory handle (already in `files`). Its blocks are
   the directory's file: a device cannot be served (README.md, "Serving an FS over HTTP"). */
static int open_remote_files(fs_files_t *files, const char *dir, const fs_config_t *cfg,
                             uint32_t flags) {
  if (strcmp(cfg->data, FS_BLOCKS_NAME) != 0)
    return valkka_error_set(VALKKA_EFORMAT,
                            "%s: its blocks are on the recorder's device %s, which an HTTP "
                            "server does not serve: this FS is readable on its own machine only",
                            dir, cfg->data);
  const valkka_storage_vtable_t *vt = files->vt;
  int err = vt->open_in(files->dir, FS_TABLE_NAME, (uint64_t)cfg->n_blocks * FS_ENTRY_SIZE, flags,
                        &files->table);
  if (!err)
    err = vt->open_in(files->dir, FS_BLOCKS_NAME, (uint64_t)cfg->n_blocks * cfg->block_size, flags,
                      &files->blocks);
  if (err) {
    if (files->table) vt->close(files->table);
    files->table = NULL;
  }
  /* An FS served without its ranges index (an older recorder's) reads on from the table. */
  if (!err && vt->open_in(files->dir, FS_RANGES_NAME,
                          (uint64_t)cfg->n_blocks * FS_RANGES_ENTRY_SIZE, flags, &files->ranges))
    files->ranges = NULL;
  return err;
}

/*
 * The ranges index beside the table: made with the FS, and by the first writable open of an FS
 * made before it (zero-filled: no entry holds until the writer stores one, so the blocks written
 * before read from the table's slots). Without it an FS still reads and records; only its
 * ranges are those of the slots.
 */
static int open_ranges(fs_files_t *files, const char *dir, const fs_config_t *cfg, uint32_t flags) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, FS_RANGES_NAME);
  const uint64_t size = (uint64_t)cfg->n_blocks * FS_RANGES_ENTRY_SIZE;
  const valkka_host_t *host = valkka_host();
  int err = files->vt->open(host, path, size, flags, &files->ranges);
  if (!err || (flags & VALKKA_STORAGE_CREATE)) return err;
  files->ranges = NULL;
  if (flags & VALKKA_STORAGE_READONLY) return 0;
  if (files->vt->open(host, path, size, VALKKA_STORAGE_CREATE, &files->ranges) == 0) {
    LOG_INFO("fs", "%s: ranges index made (the blocks written before read from the table)", dir);
    return 0;
  }
  files->ranges = NULL;
  LOG_WARN("fs", "%s: no ranges index (%s): recorded ranges are the table's", dir,
           valkka_last_error());
  return 0;
}

int fs_files_open(fs_files_t *files, const valkka_storage_vtable_t *vt, const char *dir,
                  const fs_config_t *cfg, uint32_t flags) {
  if (files->dir) return open_remote_files(files, dir, cfg, flags);
  char table_path[PATH_MAX], blocks_path[PATH_MAX];
  const bool device = strcmp(cfg->data, FS_BLOCKS_NAME) != 0;
  const uint64_t table_size = (uint64_t)cfg->n_blocks * FS_ENTRY_SIZE;
  const uint64_t blocks_size = (uint64_t)cfg->n_blocks * cfg->block_size;
  const valkka_host_t *host = valkka_host();
  snprintf(table_path, sizeof table_path, "%s/%s", dir, FS_TABLE_NAME);
  if (device)
    snprintf(blocks_path, sizeof blocks_path, "%s", cfg->data);
  else
    snprintf(blocks_path, sizeof blocks_path, "%s/%s", dir, FS_BLOCKS_NAME);
  memset(files, 0, sizeof *files);
  files->vt = vt;
  int err = vt->open(host, table_path, table_size, flags, &files->table);
  if (err) return err;
  if (!(flags & VALKKA_STORAGE_CREATE) && (err = check_size(table_path, table_size, true))) {
    fs_files_close(files);
    return err;
  }
  uint32_t block_flags = device ? (flags & ~VALKKA_STORAGE_CREATE) | VALKKA_STORAGE_DEVICE : flags;
  err = vt->open(host, blocks_path, blocks_size, block_flags, &files->blocks);
  if (!err && !(block_flags & VALKKA_STORAGE_CREATE))
    err = check_size(blocks_path, blocks_size, !device);
  if (!err) err = open_ranges(files, dir, cfg, flags);
  if (err) {
    fs_files_close(files);
    if (flags & VALKKA_STORAGE_CREATE) unlink(table_path);
    return err;
  }
  return 0;
}

void fs_files_close(fs_files_t *files) {
  if (files->blocks) files->vt->close(files->blocks);
  if (files->table) files->vt->close(files->table);
  if (files->ranges) files->vt->close(files->ranges);
  if (files->dir) files->vt->close_dir(files->dir);
  files->blocks = files->table = files->ranges = files->dir = NULL;
}

/* A local file whole; its size is read once, so a file that grows meanwhile is cut there. */
static int load_local(const char *dir, const char *name, char **data, size_t *len) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return valkka_error_set(error_from_errno(errno), "%s: %s", path, strerror(errno));
  struct stat st;
  char *buf = NULL;
  size_t have = 0;
  int err = 0;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    err = valkka_error_set(VALKKA_EIO, "%s: not a regular file", path);
  } else if (!(buf = malloc((size_t)st.st_size + 1))) {
    err = valkka_error_set(VALKKA_ENOMEM, "%s: out of memory", path);
  } else {
    while (have < (size_t)st.st_size) {
      ssize_t got = read(fd, buf + have, (size_t)st.st_size - have);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) err = valkka_error_set(error_from_errno(errno), "%s: %s", path, strerror(errno));
      if (got <= 0) break;
      have += (size_t)got;
    }
  }
  close(fd);
  if (err) {
    free(buf);
    return err;
  }
  buf[have] = '\0';
  *data = buf;
  *len = have;
  return 0;
}

int fs_files_load(const fs_files_t *files, const char *dir, const char *name, char **data,
                  size_t *len) {
  *data = NULL;
  *len = 0;
  if (!files->dir) return load_local(dir, name, data, len);
  (void)dir; /* the backend's message names the file's URL already */
  return files->vt->load(files->dir, name, data, len);
}

int fs_entry_store(const fs_files_t *files, uint32_t index, const fs_entry_t *entry) {
  uint8_t raw[FS_ENTRY_SIZE];
  fs_entry_encode(entry, raw);
  int err = files->vt->pwrite(files->table, raw, sizeof raw, (uint64_t)index * FS_ENTRY_SIZE);
  if (err)
    return valkka_error_set(err, "blocktable: write of entry %u: %s", index, valkka_last_error());
  return 0;
}

int fs_ranges_store(const fs_files_t *files, uint32_t index, const fs_ranges_t *ranges) {
  if (!files->ranges) return 0;
  uint8_t raw[FS_RANGES_ENTRY_SIZE];
  fs_ranges_encode(ranges, raw);
  int err =
      files->vt->pwrite(files->ranges, raw, sizeof raw, (uint64_t)index * FS_RANGES_ENTRY_SIZE);
  if (err)
    return valkka_error_set(err, "ranges: write of entry %u: %s", index, valkka_last_error());
  return 0;
}

int fs_ranges_read_raw(const fs_files_t *files, uint32_t first, uint32_t count, uint8_t *out) {
  int err = files->vt->pread(files->ranges, out, (size_t)count * FS_RANGES_ENTRY_SIZE,
                             (uint64_t)first * FS_RANGES_ENTRY_SIZE);
  if (err) return valkka_error_set(err, "ranges: read: %s", valkka_last_error());
  return 0;
}

int fs_table_read_raw(const fs_files_t *files, uint32_t first, uint32_t count, uint8_t *out) {
  int err = files->vt->pread(files->table, out, (size_t)count * FS_ENTRY_SIZE,
                             (uint64_t)first * FS_ENTRY_SIZE);
  if (err) return valkka_error_set(err, "blocktable: read: %s", valkka_last_error());
  return 0;
}

int fs_block_pread(const fs_files_t *files, const fs_layout_t *layout, uint32_t index,
                   uint32_t offset, void *buf, uint32_t n) {
  int err = files->vt->pread(files->blocks, buf, n, (uint64_t)index * layout->block_size + offset);
  if (err) return valkka_error_set(err, "block %u: read: %s", index, valkka_last_error());
  return 0;
}

int fs_block_pwrite(const fs_files_t *files, const fs_layout_t *layout, uint32_t index,
                    uint32_t offset, const void *buf, uint32_t n) {
  int err = files->vt->pwrite(files->blocks, buf, n, (uint64_t)index * layout->block_size + offset);
  if (err) return valkka_error_set(err, "block %u: write: %s", index, valkka_last_error());
  return 0;
}

int fs_lock_dir(const char *dir) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, FS_JSON_NAME);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return valkka_error_set(error_from_errno(errno), "%s: %s", path, strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int saved = errno;
    close(fd);
    if (saved == EWOULDBLOCK)
      return valkka_error_set(VALKKA_EBUSY, "%s: the FS is open for writing elsewhere", dir);
    return valkka_error_set(error_from_errno(saved), "%s: lock: %s", dir, strerror(saved));
  }
  return fd;
}
