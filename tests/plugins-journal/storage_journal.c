/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-journal: the POSIX storage backend that keeps, for every file it opens for writing, the
 * bytes each pwrite replaced since that file's last sync, so that a test can put the file back to
 * its last fdatasync after killing the writer: what a power cut at that moment would leave. The
 * rollback itself is the test's (tests/reliability/campaign/journal.cpp).
 *
 * The journal of PATH is PATH.journal: records back to back, each a 16-byte header (u32 magic
 * "VKJ1", u32 length, u64 offset; little-endian) and `length` bytes, what the file held at
 * `offset` before the write. A record is complete in the journal before its write is made, so a
 * torn last record belongs to a write that never happened. Restoring the records newest first
 * gives the file as it was after its last sync.
 *
 * Sync: fdatasync the file, then truncate its journal (a kill in between leaves the journal: the
 * rollback then goes to the sync before, which only loses more). A writable open truncates the
 * journal: the file as found counts as durable. Read-only opens keep no journal.
 *
 * $VALKKA_JOURNAL_NOTIFY_FD: when set, after each completed sync of a file whose name ends in
 * "blocktable" (the core syncs the blocks, then the table, under one lock: the end of an FS sync)
 * a 16-byte message goes to that descriptor: u32 magic "VKJS", u32 CLOCK_MONOTONIC milliseconds
 * (the low 32 bits) when the sync completed, u64 number of the sync.
 * A test reading the same pipe as the recorder's own reports sees where each sync fell among
 * them. One write of 16 bytes to a pipe is atomic (less than PIPE_BUF).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <valkka/plugin.h>

#include "posix_file.h"

#define JOURNAL_MAGIC 0x314A4B56u /* "VKJ1" as a little-endian u32 */
#define NOTIFY_MAGIC 0x534A4B56u  /* "VKJS" */
#define HEADER_SIZE 16u

typedef struct journal_file {
  const valkka_host_t *host;
  void *inner;
  int journal_fd; /* -1 for a read-only file */
  uint64_t journal_end;
  int notify_fd; /* -1: nobody to tell */
  uint64_t syncs;
  uint8_t *buf; /* header + pre-image of the write being journaled */
  size_t cap;
  char *path;
} journal_file_t;

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static int errno_fail(const journal_file_t *f, const char *what) {
  return f->host->error_set(VALKKA_EIO, "storage-journal: %s %s.journal: %s", what, f->path,
                            strerror(errno));
}

static int write_all(int fd, const uint8_t *p, size_t n, uint64_t offset) {
  while (n) {
    ssize_t put = pwrite(fd, p, n, (off_t)offset);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return -1;
    p += put;
    n -= (size_t)put;
    offset += (uint64_t)put;
  }
  return 0;
}

static int notify_fd_from_env(void) {
  const char *env = getenv("VALKKA_JOURNAL_NOTIFY_FD");
  if (!env || !*env) return -1;
  char *end = NULL;
  long fd = strtol(env, &end, 10);
  return end && !*end && fd >= 0 && fd < 65536 ? (int)fd : -1;
}

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && !strcmp(s + n - m, tail);
}

static void journal_free(journal_file_t *f) {
  if (f->journal_fd >= 0) close(f->journal_fd);
  free(f->buf);
  free(f->path);
  free(f);
}

static int journal_open(const valkka_host_t *host, const char *path, uint64_t size, uint32_t flags,
                        void **out) {
  journal_file_t *f = calloc(1, sizeof *f);
  if (!f || !(f->path = strdup(path))) {
    free(f);
    return host->error_set(VALKKA_ENOMEM, "storage-journal: out of memory");
  }
  f->host = host;
  f->journal_fd = -1;
  f->notify_fd = ends_with(path, "blocktable") ? notify_fd_from_env() : -1;
  int err = valkka_posix_file_open(host, path, size, flags, &f->inner);
  if (err) {
    journal_free(f);
    return err;
  }
  if (!(flags & VALKKA_STORAGE_READONLY)) {
    char jpath[4096];
    snprintf(jpath, sizeof jpath, "%s.journal", path);
    f->journal_fd = open(jpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (f->journal_fd < 0) {
      err = errno_fail(f, "open");
      valkka_posix_file_close(f->inner);
      journal_free(f);
      return err;
    }
  }
  *out = f;
  return 0;
}

static int journal_pread(void *file, void *buf, size_t n, uint64_t offset) {
  journal_file_t *f = file;
  return valkka_posix_file_pread(f->inner, buf, n, offset);
}

static int journal_pwrite(void *file, const void *buf, size_t n, uint64_t offset) {
  journal_file_t *f = file;
  if (f->journal_fd < 0 || n > UINT32_MAX)
    return valkka_posix_file_pwrite(f->inner, buf, n, offset);
  if (HEADER_SIZE + n > f->cap) {
    uint8_t *grown = realloc(f->buf, HEADER_SIZE + n);
    if (!grown) return f->host->error_set(VALKKA_ENOMEM, "storage-journal: out of memory");
    f->buf = grown;
    f->cap = HEADER_SIZE + n;
  }
  /* The pre-image first: the write it guards happens only once the record is whole. */
  int err = valkka_posix_file_pread(f->inner, f->buf + HEADER_SIZE, n, offset);
  if (err) return err;
  put32(f->buf, JOURNAL_MAGIC);
  put32(f->buf + 4, (uint32_t)n);
  put64(f->buf + 8, offset);
  if (write_all(f->journal_fd, f->buf, HEADER_SIZE + n, f->journal_end) != 0)
    return errno_fail(f, "write");
  f->journal_end += HEADER_SIZE + n;
  return valkka_posix_file_pwrite(f->inner, buf, n, offset);
}

static int journal_sync(void *file) {
  journal_file_t *f = file;
  int err = valkka_posix_file_sync(f->inner);
  if (err || f->journal_fd < 0) return err;
  if (ftruncate(f->journal_fd, 0) != 0) return errno_fail(f, "truncate");
  f->journal_end = 0;
  if (f->notify_fd >= 0) {
    uint8_t msg[16] = {0};
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    put32(msg, NOTIFY_MAGIC);
    put32(msg + 4, (uint32_t)((uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000));
    put64(msg + 8, ++f->syncs);
    /* Best effort: a reader that went away does not make the sync fail. */
    if (write(f->notify_fd, msg, sizeof msg) != (ssize_t)sizeof msg) f->notify_fd = -1;
  }
  return 0;
}

static void journal_close(void *file) {
  journal_file_t *f = file;
  if (!f) return;
  valkka_posix_file_close(f->inner);
  journal_free(f);
}

static const valkka_storage_vtable_t vtable = {
    .struct_size = sizeof(valkka_storage_vtable_t),
    .max_streams = 0,
    .open = journal_open,
    .pread = journal_pread,
    .pwrite = journal_pwrite,
    .sync = journal_sync,
    .close = journal_close,
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_STORAGE,
    .name = "storage-journal",
    .version = "1.0.0",
    .description = "test backend: POSIX files with a journal of what each write replaced since "
                   "the last sync, for power-cut simulation",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
