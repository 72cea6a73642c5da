/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A file of a storage-http directory (http_file.h): every pread one Range request, on a handle
 * of the directory's pool, so reads of many threads run at once on kept-alive connections.
 */
#include "http_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "http_dir.h"
#include "http_request.h"

typedef struct http_file {
  http_dir_t *dir;
  char *url;
  char *label;
  struct curl_slist *auth; /* the bearer token's header, or NULL; read by every transfer */
} http_file_t;

/* One Range request of bytes first..last into buf (last - first + 1 bytes). */
static int get_range(http_file_t *f, void *buf, uint64_t first, uint64_t last, http_xfer_t *x) {
  x->url = f->url;
  x->label = f->label;
  x->headers = f->auth;
  x->ranged = true;
  x->range_first = first;
  x->range_last = last;
  x->buf = buf;
  x->cap = (size_t)(last - first + 1);
  http_handle_t *h = http_dir_take(f->dir);
  if (!h) return http_error(f->dir->host, VALKKA_ENOMEM, f->label, "out of memory");
  int err = http_perform(f->dir, h, x);
  http_dir_give(f->dir, h);
  return err;
}

void http_file_close(void *file) {
  http_file_t *f = file;
  if (!f) return;
  curl_slist_free_all(f->auth);
  free(f->url);
  free(f->label);
  free(f);
}

int http_file_open_in(void *dir_handle, const char *name, uint64_t size, uint32_t flags,
                      void **file) {
  http_dir_t *dir = dir_handle;
  *file = NULL;
  http_file_t *f = calloc(1, sizeof *f);
  char label[4096];
  snprintf(label, sizeof label, "%s%s", dir->label, name);
  if (!f || !(f->url = http_dir_url(dir, name)) || !(f->label = strdup(label)) ||
      (dir->auth_header && !(f->auth = curl_slist_append(NULL, dir->auth_header)))) {
    http_file_close(f);
    return http_error(dir->host, VALKKA_ENOMEM, label, "out of memory");
  }
  f->dir = dir;
  if (flags != VALKKA_STORAGE_READONLY) {
    http_file_close(f);
    return http_error(dir->host, VALKKA_EACCES, label, "read-only over HTTP");
  }
  /* One byte tells whether the file is there, what it holds, and that ranges are served. */
  uint8_t first;
  http_xfer_t x = {0};
  int err = get_range(f, &first, 0, 0, &x);
  if (!err && !x.total_known)
    err = http_error(dir->host, VALKKA_EIO, label, "the server does not say the file's length");
  if (!err && x.got_total < size)
    err = http_error(dir->host, VALKKA_EFORMAT, label,
                     "holds %" PRIu64 " bytes, valkkafs.json describes %" PRIu64
                     ": it does not match the FS",
                     x.got_total, size);
  if (err) {
    http_file_close(f);
    return err;
  }
  *file = f;
  return 0;
}

int http_file_pread(void *file, void *buf, size_t n, uint64_t offset) {
  http_file_t *f = file;
  if (n == 0) return 0;
  if (offset > UINT64_MAX - n)
    return http_error(f->dir->host, VALKKA_ERANGE, f->label, "read past 2^64 bytes");
  http_xfer_t x = {0};
  return get_range(f, buf, offset, offset + n - 1, &x);
}

int http_file_pwrite(void *file, const void *buf, size_t n, uint64_t offset) {
  (void)buf, (void)n, (void)offset;
  http_file_t *f = file;
  return http_error(f->dir->host, VALKKA_EACCES, f->label, "read-only over HTTP");
}

int http_file_sync(void *file) {
  http_file_t *f = file;
  return http_error(f->dir->host, VALKKA_EACCES, f->label, "read-only over HTTP");
}
