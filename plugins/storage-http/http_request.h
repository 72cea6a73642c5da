/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One HTTP transfer of storage-http: a handle set up once with the directory's options,
 * then one GET into the caller's buffer, taking a body only when the answer is the one asked for
 * (so a wrong answer never lands in it), and every failure turned into a code and a message that
 * names the URL with its credentials hidden.
 */
#ifndef STORAGE_HTTP_REQUEST_H
#define STORAGE_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "http_dir.h"

/* One transfer: what the caller asks for, then what the answer held. */
typedef struct http_xfer {
  /* The caller's. */
  const char *url;            /* as curl gets it, credentials and all */
  const char *label;          /* the URL redacted, for messages */
  struct curl_slist *headers; /* extra request headers, or NULL */
  bool ranged;                /* a Range request: only a 206 of exactly range_first..range_last */
  uint64_t range_first, range_last;
  char *buf; /* the body lands here, `cap` bytes; with `grow` reallocated up to `max` */
  size_t cap, max;
  bool grow;
  /* The answer's. */
  size_t len;
  long status;
  bool has_range, total_known;
  uint64_t got_first, got_last, got_total;
  char etag[256], last_modified[128];
  /* Why the body was cut off, when it was. */
  bool overflow, stalled, nomem;
  const valkka_host_t *host;
  bool sent;            /* connected and asked: the stall clock runs from then on */
  int64_t last_byte_us; /* when the last byte came (or the request went) */
  curl_off_t last_dlnow;
  int64_t stall_us;
} http_xfer_t;

/* A new handle with every option of `dir` set; NULL when out of memory. */
http_handle_t *http_handle_new(const http_dir_t *dir);
void http_handle_free(http_handle_t *h);

/*
 * Runs `x` on `h`. Returns 0 when the answer is the one asked for: a 206 of the exact range
 * with a body of its length for a ranged transfer, else a 200 (body in x->buf) or a 304. Else a
 * negative code set through the host's error_set with a message naming x->label.
 */
int http_perform(const http_dir_t *dir, http_handle_t *h, http_xfer_t *x);

/* Sets the calling thread's error: "LABEL: MESSAGE", with any credentials in it hidden. */
int http_error(const valkka_host_t *host, int code, const char *label, const char *fmt, ...)
    VALKKA_PRINTF(4, 5);

#endif
