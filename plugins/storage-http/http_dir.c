/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The directory handle of storage-http (http_dir.h): its URL and options, what its transfers
   share, and the handles they reuse. */
#include "http_dir.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <valkka/error.h>

#include "http_request.h"

/* curl_global_init is not thread-safe and must come before any handle; it is never undone, as a
   plugin cannot know when the last user of curl in the process is gone. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* A day: longer is a mistake, and longer would not fit curl_multi_poll's int of ms. */
#define MAX_MS 86400000L

static const char *const KNOWN_OPTIONS[] = {"ca_file",           "bearer_token",
                                            "bearer_token_file", "connect_timeout_ms",
                                            "stall_timeout_ms",  "transfer_timeout_ms"};

static void share_lock(CURL *easy, curl_lock_data data, curl_lock_access access, void *user) {
  (void)easy, (void)access;
  http_dir_t *dir = user;
  pthread_mutex_lock(&dir->share_locks[data]);
}

static void share_unlock(CURL *easy, curl_lock_data data, void *user) {
  (void)easy;
  http_dir_t *dir = user;
  pthread_mutex_unlock(&dir->share_locks[data]);
}

/* A positive number of ms for option `key`, or its default when not given. */
static int option_ms(http_dir_t *dir, const valkka_option_t *options, size_t n, const char *key,
                     long fallback, long *out) {
  const char *v = dir->host->option_get(options, n, key);
  *out = fallback;
  if (!v) return 0;
  char *end = NULL;
  errno = 0;
  long ms = strtol(v, &end, 10);
  if (errno || end == v || *end || ms <= 0 || ms > MAX_MS)
    return http_error(dir->host, VALKKA_EINVAL, dir->label,
                      "option %s: \"%s\" is not a number of milliseconds from 1 to %ld", key, v,
                      MAX_MS);
  *out = ms;
  return 0;
}

/* The first line of the file `path`: a token kept out of the config and the command line. */
static int read_token_file(http_dir_t *dir, const char *path, char *token, size_t size) {
  FILE *f = fopen(path, "re");
  if (!f)
    return http_error(dir->host, VALKKA_EINVAL, dir->label, "bearer_token_file %s: %s", path,
                      strerror(errno));
  bool ok = fgets(token, (int)size, f) != NULL;
  fclose(f);
  if (ok) token[strcspn(token, "\r\n")] = '\0';
  if (!ok || !token[0])
    return http_error(dir->host, VALKKA_EINVAL, dir->label, "bearer_token_file %s: empty", path);
  return 0;
}

static int set_bearer(http_dir_t *dir, const valkka_option_t *options, size_t n) {
  const char *token = dir->host->option_get(options, n, "bearer_token");
  const char *file = dir->host->option_get(options, n, "bearer_token_file");
  char from_file[4096];
  if (token && file)
    return http_error(dir->host, VALKKA_EINVAL, dir->label,
                      "bearer_token and bearer_token_file: give one");
  if (file) {
    int err = read_token_file(dir, file, from_file, sizeof from_file);
    if (err) return err;
    token = from_file;
  }
  if (!token) return 0;
  if (!token[0] || strpbrk(token, "\r\n"))
    return http_error(dir->host, VALKKA_EINVAL, dir->label, "bearer_token: empty or not one line");
  size_t len = strlen("Authorization: Bearer ") + strlen(token) + 1;
  if (!(dir->auth_header = malloc(len)))
    return http_error(dir->host, VALKKA_ENOMEM, dir->label, "out of memory");
  snprintf(dir->auth_header, len, "Authorization: Bearer %s", token);
  return 0;
}

static int check_options(http_dir_t *dir, const valkka_option_t *options, size_t n) {
  for (size_t i = 0; i < n; i++) {
    bool known = false;
    for (size_t k = 0; k < sizeof KNOWN_OPTIONS / sizeof KNOWN_OPTIONS[0]; k++)
      known = known || (options[i].key && !strcmp(options[i].key, KNOWN_OPTIONS[k]));
    if (!known)
      return http_error(dir->host, VALKKA_EINVAL, dir->label,
                        "unknown option \"%s\" (storage-http takes ca_file, bearer_token, "
                        "bearer_token_file, connect_timeout_ms, stall_timeout_ms, "
                        "transfer_timeout_ms)",
                        options[i].key ? options[i].key : "");
  }
  const char *ca = dir->host->option_get(options, n, "ca_file");
  if (ca && access(ca, R_OK) != 0)
    return http_error(dir->host, VALKKA_EINVAL, dir->label, "ca_file %s: %s", ca, strerror(errno));
  if (ca && !(dir->ca_file = strdup(ca)))
    return http_error(dir->host, VALKKA_ENOMEM, dir->label, "out of memory");
  int err = option_ms(dir, options, n, "connect_timeout_ms", 5000, &dir->connect_ms);
  if (!err) err = option_ms(dir, options, n, "stall_timeout_ms", 5000, &dir->stall_ms);
  if (!err) err = option_ms(dir, options, n, "transfer_timeout_ms", 60000, &dir->transfer_ms);
  if (!err) err = set_bearer(dir, options, n);
  return err;
}

/* The URL as the base of its files' URLs: ending with exactly one '/'. */
static int set_base(http_dir_t *dir, const char *url) {
  char label[PATH_MAX];
  dir->host->url_redact(url, VALKKA_URL_REDACT_WHOLE, label, sizeof label);
  if (!(dir->label = strdup(label))) return VALKKA_ENOMEM;
  const char *authority = strstr(url, "://");
  if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
    return http_error(dir->host, VALKKA_EINVAL, label, "not an http:// or https:// URL");
  if (strpbrk(url, "?#") || !authority[3] || authority[3] == '/')
    return http_error(dir->host, VALKKA_EINVAL, label,
                      "not the URL of a directory (no host, or a query or fragment)");
  size_t len = strlen(url);
  while (len > 0 && url[len - 1] == '/') len--;
  if (!(dir->base = malloc(len + 2))) return VALKKA_ENOMEM;
  memcpy(dir->base, url, len);
  memcpy(dir->base + len, "/", 2);
  /* Its files' messages name base + file. */
  dir->host->url_redact(dir->base, VALKKA_URL_REDACT_WHOLE, label, sizeof label);
  free(dir->label);
  return (dir->label = strdup(label)) ? 0 : VALKKA_ENOMEM;
}

int http_dir_open(const valkka_host_t *host, const char *url, const valkka_option_t *options,
                  size_t n_options, void **dir_handle) {
  *dir_handle = NULL;
  pthread_once(&curl_once, curl_init);
  if (curl_init_rc != CURLE_OK)
    return host->error_set(VALKKA_EIO, "storage-http: curl_global_init: %s",
                           curl_easy_strerror(curl_init_rc));
  http_dir_t *dir = calloc(1, sizeof *dir);
  if (!dir) return host->error_set(VALKKA_ENOMEM, "storage-http: out of memory");
  dir->host = host;
  pthread_mutex_init(&dir->pool_lock, NULL);
  pthread_mutex_init(&dir->load_lock, NULL);
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&dir->share_locks[i], NULL);
  int err = set_base(dir, url);
  if (!err) err = check_options(dir, options, n_options);
  if (!err && !(dir->share = curl_share_init())) err = VALKKA_ENOMEM;
  if (!err) {
    curl_share_setopt(dir->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(dir->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(dir->share, CURLSHOPT_USERDATA, dir);
    curl_share_setopt(dir->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(dir->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    /* Not CURL_LOCK_DATA_CONNECT: libcurl does not support a connection cache shared by
       concurrent threads (KNOWN_BUGS, curl issue 4915); each pooled handle keeps its own. */
  }
  if (err == VALKKA_ENOMEM) host->error_set(err, "storage-http: out of memory");
  if (err) {
    http_dir_close(dir);
    return err;
  }
  *dir_handle = dir;
  return 0;
}

void http_dir_close(void *dir_handle) {
  http_dir_t *dir = dir_handle;
  if (!dir) return;
  for (int i = 0; i < dir->n_idle; i++) http_handle_free(dir->idle[i]);
  if (dir->share) curl_share_cleanup(dir->share);
  http_load_forget(dir);
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&dir->share_locks[i]);
  pthread_mutex_destroy(&dir->pool_lock);
  pthread_mutex_destroy(&dir->load_lock);
  if (dir->auth_header) memset(dir->auth_header, 0, strlen(dir->auth_header));
  free(dir->auth_header);
  free(dir->ca_file);
  free(dir->base);
  free(dir->label);
  free(dir);
}

char *http_dir_url(const http_dir_t *dir, const char *name) {
  size_t len = strlen(dir->base) + strlen(name) + 1;
  char *url = malloc(len);
  if (url) snprintf(url, len, "%s%s", dir->base, name);
  return url;
}

http_handle_t *http_dir_take(http_dir_t *dir) {
  http_handle_t *h = NULL;
  pthread_mutex_lock(&dir->pool_lock);
  if (dir->n_idle > 0) h = dir->idle[--dir->n_idle];
  pthread_mutex_unlock(&dir->pool_lock);
  return h ? h : http_handle_new(dir);
}

void http_dir_give(http_dir_t *dir, http_handle_t *h) {
  pthread_mutex_lock(&dir->pool_lock);
  if (dir->n_idle < HTTP_POOL_SIZE) {
    dir->idle[dir->n_idle++] = h;
    h = NULL;
  }
  pthread_mutex_unlock(&dir->pool_lock);
  if (h) http_handle_free(h);
}
