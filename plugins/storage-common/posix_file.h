/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * POSIX implementation of the storage vtable's file methods (valkka_storage_vtable_t): a
 * preallocated regular file, or a raw block device. The storage plugins share it and differ in
 * the stream layout they accept.
 */
#ifndef VALKKA_STORAGE_POSIX_FILE_H
#define VALKKA_STORAGE_POSIX_FILE_H

#include <valkka/plugin.h>

int valkka_posix_file_open(const valkka_host_t *host, const char *path, uint64_t size,
                           uint32_t flags, void **file);
int valkka_posix_file_pread(void *file, void *buf, size_t n, uint64_t offset);
int valkka_posix_file_pwrite(void *file, const void *buf, size_t n, uint64_t offset);
int valkka_posix_file_sync(void *file);
void valkka_posix_file_close(void *file);

#endif
