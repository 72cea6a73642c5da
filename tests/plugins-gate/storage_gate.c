/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-gate: the POSIX storage backend whose reads of chosen blocks wait at a gate the test
 * controls, so a test can hold a reader in the middle of reading a block while it writes (and so
 * make a race between a reader and the writer happen in the order it wants).
 *
 * $VALKKA_GATE_DIR: a directory; $VALKKA_GATE_BLOCK_SIZE: the FS's block size. A pread of the
 * blocks file (a path ending in "/blocks") that starts in block B, while the file
 * $VALKKA_GATE_DIR/hold-B exists, first creates $VALKKA_GATE_DIR/held-B (the test sees the reader
 * waiting), then waits until hold-B is gone (checked every millisecond, for at most 30 s), then
 * reads. Everything else goes straight to the POSIX backend. Both variables are read at open.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <valkka/plugin.h>

#include "posix_file.h"

#define MAX_WAIT_MS 30000

typedef struct gate_file {
  void *inner;
  char dir[2048]; /* empty: no gate on this file */
  uint64_t block_size;
} gate_file_t;

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && !strcmp(s + n - m, tail);
}

static int gate_open(const valkka_host_t *host, const char *path, uint64_t size, uint32_t flags,
                     void **out) {
  gate_file_t *f = calloc(1, sizeof *f);
  if (!f) return host->error_set(VALKKA_ENOMEM, "storage-gate: out of memory");
  const char *dir = getenv("VALKKA_GATE_DIR");
  const char *bs = getenv("VALKKA_GATE_BLOCK_SIZE");
  if (dir && *dir && bs && ends_with(path, "/blocks")) {
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    f->block_size = strtoull(bs, NULL, 10);
    if (!f->block_size) f->dir[0] = '\0';
  }
  int err = valkka_posix_file_open(host, path, size, flags, &f->inner);
  if (err) {
    free(f);
    return err;
  }
  *out = f;
  return 0;
}

static void wait_at_gate(const gate_file_t *f, uint64_t block) {
  char hold[2200], held[2200];
  snprintf(hold, sizeof hold, "%s/hold-%llu", f->dir, (unsigned long long)block);
  if (access(hold, F_OK) != 0) return;
  snprintf(held, sizeof held, "%s/held-%llu", f->dir, (unsigned long long)block);
  FILE *mark = fopen(held, "w");
  if (mark) fclose(mark);
  const struct timespec ms = {0, 1000000};
  for (int waited = 0; waited < MAX_WAIT_MS && access(hold, F_OK) == 0; waited++)
    nanosleep(&ms, NULL);
}

static int gate_pread(void *file, void *buf, size_t n, uint64_t offset) {
  gate_file_t *f = file;
  if (f->dir[0]) wait_at_gate(f, offset / f->block_size);
  return valkka_posix_file_pread(f->inner, buf, n, offset);
}

static int gate_pwrite(void *file, const void *buf, size_t n, uint64_t offset) {
  return valkka_posix_file_pwrite(((gate_file_t *)file)->inner, buf, n, offset);
}

static int gate_sync(void *file) { return valkka_posix_file_sync(((gate_file_t *)file)->inner); }

static void gate_close(void *file) {
  gate_file_t *f = file;
  if (!f) return;
  valkka_posix_file_close(f->inner);
  free(f);
}

static const valkka_storage_vtable_t vtable = {
    .struct_size = sizeof(valkka_storage_vtable_t),
    .max_streams = 0,
    .open = gate_open,
    .pread = gate_pread,
    .pwrite = gate_pwrite,
    .sync = gate_sync,
    .close = gate_close,
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_STORAGE,
    .name = "storage-gate",
    .version = "1.0.0",
    .description = "test backend: POSIX files whose block reads wait at gates the test controls",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
