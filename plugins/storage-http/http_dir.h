/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The directory handle of storage-http: an FS directory's base URL, the options of its open, what
 * its transfers share (DNS, TLS sessions), the idle handles they reuse (each with its kept-alive
 * connection), and what load has seen.
 */
#ifndef STORAGE_HTTP_DIR_H
#define STORAGE_HTTP_DIR_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>
#include <valkka/plugin.h>

/* Idle handles kept for reuse: as many as preads usually run at once (the manager's loaders, a
   follower, a recovery); more run with handles of their own, freed after. */
#define HTTP_POOL_SIZE 8

/* What one transfer at a time runs on: an easy handle in a multi handle of its own, whose loop
   (http_request.c) wakes for the stall timeout to the millisecond and keeps the connection. */
typedef struct http_handle {
  CURL *easy;
  CURLM *multi;
} http_handle_t;

typedef struct http_cached http_cached_t;

typedef struct http_dir {
  const valkka_host_t *host;
  char *base;        /* the directory's URL, ending with '/', credentials and all (for curl) */
  char *label;       /* base redacted: what messages show */
  char *ca_file;     /* or NULL: the system's CAs */
  char *auth_header; /* "Authorization: Bearer ...", or NULL */
  long connect_ms;   /* connect_timeout_ms */
  long stall_ms;     /* stall_timeout_ms: no byte for this long fails a transfer */
  long transfer_ms;  /* transfer_timeout_ms: a whole transfer */
  CURLSH *share;
  pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
  pthread_mutex_t pool_lock;
  http_handle_t *idle[HTTP_POOL_SIZE];
  int n_idle;
  pthread_mutex_t load_lock; /* load's cache, and one load at a time */
  http_cached_t *cached;
} http_dir_t;

int http_dir_open(const valkka_host_t *host, const char *url, const valkka_option_t *options,
                  size_t n_options, void **dir_handle);
void http_dir_close(void *dir_handle);

/* base + name, malloc'd (NULL when out of memory). */
char *http_dir_url(const http_dir_t *dir, const char *name);

/* A handle set up for this directory, idle or new (NULL when out of memory), and back. */
http_handle_t *http_dir_take(http_dir_t *dir);
void http_dir_give(http_dir_t *dir, http_handle_t *handle);

/* http_load.c: the directory's small file `name`, whole, by conditional GET. */
int http_dir_load(void *dir_handle, const char *name, char **data, size_t *len);
/* Frees what load has cached (close_dir). */
void http_load_forget(http_dir_t *dir);

#endif
