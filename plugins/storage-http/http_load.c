/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load of storage-http: a small file of the directory whole (status.json, streams.json, asked
 * for again and again by a follower), by conditional GET: the last copy of each file is kept with
 * its validator, and a 304 hands it out again without a transfer of the body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "http_dir.h"
#include "http_request.h"

/* The largest file load takes: these files are a few KB; more is not a file of an FS. */
#define LOAD_MAX ((size_t)16 << 20)

struct http_cached {
  http_cached_t *next;
  char *name;
  char *body; /* NUL-terminated past len */
  size_t len;
  char etag[256], last_modified[128];
};

static http_cached_t *find(http_dir_t *dir, const char *name) {
  for (http_cached_t *c = dir->cached; c; c = c->next)
    if (!strcmp(c->name, name)) return c;
  return NULL;
}

static void drop(http_dir_t *dir, const char *name) {
  for (http_cached_t **p = &dir->cached; *p; p = &(*p)->next) {
    if (strcmp((*p)->name, name) != 0) continue;
    http_cached_t *c = *p;
    *p = c->next;
    free(c->name);
    free(c->body);
    free(c);
    return;
  }
}

void http_load_forget(http_dir_t *dir) {
  while (dir->cached) drop(dir, dir->cached->name);
}

/* A validator header of the last copy: If-None-Match when the server gave an ETag (exact), else
   If-Modified-Since (whole seconds: a file rewritten within the second of its copy would look
   unchanged, so the ETag is preferred). */
static struct curl_slist *conditional(const http_dir_t *dir, const http_cached_t *c) {
  struct curl_slist *list = NULL, *next;
  if (dir->auth_header && !(list = curl_slist_append(NULL, dir->auth_header))) return NULL;
  char line[300];
  if (c && c->etag[0])
    snprintf(line, sizeof line, "If-None-Match: %s", c->etag);
  else if (c && c->last_modified[0])
    snprintf(line, sizeof line, "If-Modified-Since: %s", c->last_modified);
  else
    return list;
  if (!(next = curl_slist_append(list, line))) {
    curl_slist_free_all(list);
    return NULL;
  }
  return next;
}

static char *copy_of(const char *body, size_t len) {
  char *out = malloc(len + 1);
  if (!out) return NULL;
  memcpy(out, body, len);
  out[len] = '\0';
  return out;
}

/* Keeps the new body as the file's last copy, when it carries a validator. */
static void remember(http_dir_t *dir, const char *name, const http_xfer_t *x) {
  drop(dir, name);
  if (!x->etag[0] && !x->last_modified[0]) return;
  http_cached_t *c = calloc(1, sizeof *c);
  if (!c || !(c->name = strdup(name)) || !(c->body = copy_of(x->buf, x->len))) {
    if (c) free(c->name);
    free(c);
    return; /* out of memory: the next load is a whole GET again */
  }
  c->len = x->len;
  memcpy(c->etag, x->etag, sizeof c->etag);
  memcpy(c->last_modified, x->last_modified, sizeof c->last_modified);
  c->next = dir->cached;
  dir->cached = c;
}

/* One GET of `url`, under the load lock. */
static int load_locked(http_dir_t *dir, const char *name, const char *url, const char *label,
                       char **data, size_t *len) {
  const valkka_host_t *host = dir->host;
  http_cached_t *c = find(dir, name);
  http_xfer_t x = {.url = url, .label = label, .grow = true, .max = LOAD_MAX};
  if (!(x.headers = conditional(dir, c)) && (dir->auth_header || c))
    return http_error(host, VALKKA_ENOMEM, label, "out of memory");
  http_handle_t *h = http_dir_take(dir);
  int err = h ? http_perform(dir, h, &x) : http_error(host, VALKKA_ENOMEM, label, "out of memory");
  if (h) http_dir_give(dir, h);
  curl_slist_free_all(x.headers);
  if (!err && x.status == 304 && !c)
    err = http_error(host, VALKKA_EIO, label, "304 Not Modified to a request without a validator");
  if (!err && x.status == 304) {
    if (!(*data = copy_of(c->body, c->len)))
      err = http_error(host, VALKKA_ENOMEM, label, "out of memory");
    *len = c->len;
  } else if (!err) {
    remember(dir, name, &x);
    if (!(*data = copy_of(x.buf ? x.buf : "", x.len)))
      err = http_error(host, VALKKA_ENOMEM, label, "out of memory");
    *len = x.len;
  }
  free(x.buf);
  if (err) {
    *data = NULL;
    *len = 0;
  }
  return err;
}

int http_dir_load(void *dir_handle, const char *name, char **data, size_t *len) {
  http_dir_t *dir = dir_handle;
  *data = NULL;
  *len = 0;
  if (!name[0] || strchr(name, '/'))
    return http_error(dir->host, VALKKA_EINVAL, dir->label, "\"%s\" is not a file name", name);
  char *url = http_dir_url(dir, name);
  char label[4096];
  if (!url) return http_error(dir->host, VALKKA_ENOMEM, dir->label, "out of memory");
  snprintf(label, sizeof label, "%s%s", dir->label, name);
  pthread_mutex_lock(&dir->load_lock);
  int err = load_locked(dir, name, url, label, data, len);
  pthread_mutex_unlock(&dir->load_lock);
  free(url);
  return err;
}
