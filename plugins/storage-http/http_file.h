/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A file of a storage-http directory ("blocktable", "blocks"): read by Range requests. */
#ifndef STORAGE_HTTP_FILE_H
#define STORAGE_HTTP_FILE_H

#include <stddef.h>
#include <stdint.h>

int http_file_open_in(void *dir_handle, const char *name, uint64_t size, uint32_t flags,
                      void **file);
int http_file_pread(void *file, void *buf, size_t n, uint64_t offset);
/* Refused: VALKKA_EACCES. */
int http_file_pwrite(void *file, const void *buf, size_t n, uint64_t offset);
int http_file_sync(void *file);
void http_file_close(void *file);

#endif
