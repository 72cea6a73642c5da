/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One HTTP transfer of storage-http (http_request.h): the easy handle's options, the answer's
 * status line and headers, the body, and what a failure is called.
 */
#include "http_request.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <valkka/error.h>

int http_error(const valkka_host_t *host, int code, const char *label, const char *fmt, ...) {
  char what[768], text[1024], shown[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(text, sizeof text, "%s: %s", label, what);
  /* curl's own words may quote a URL; a credential in any of them stays hidden. */
  host->url_redact(text, 0, shown, sizeof shown);
  return host->error_set(code, "%s", shown);
}

/* The standard words of a status: HTTP/2 answers carry none, and a server's own may be anything. */
static const char *status_text(long status) {
  switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

/* A header's value when `line` is that header (case-insensitive name), trimmed; else NULL. */
static char *header_value(char *line, const char *name) {
  size_t n = strlen(name);
  if (strncasecmp(line, name, n) != 0 || line[n] != ':') return NULL;
  char *v = line + n + 1;
  while (*v == ' ' || *v == '\t') v++;
  return v;
}

/* "bytes FIRST-LAST/TOTAL" (TOTAL may be '*'). */
static void parse_content_range(http_xfer_t *x, const char *v) {
  unsigned long long first, last;
  char total[32];
  if (sscanf(v, "bytes %llu-%llu/%31s", &first, &last, total) != 3 || last < first) return;
  x->has_range = true;
  x->got_first = first;
  x->got_last = last;
  char *end = NULL;
  unsigned long long t = strtoull(total, &end, 10);
  x->total_known = total[0] >= '0' && total[0] <= '9' && end && !*end;
  x->got_total = x->total_known ? t : 0;
}

static void copy_value(char *out, size_t size, const char *v) {
  snprintf(out, size, "%s", strlen(v) < size ? v : "");
}

/* Each header line of the answer (and of any interim one: a status line starts afresh). */
static size_t on_header(char *data, size_t size, size_t n, void *user) {
  http_xfer_t *x = user;
  size_t bytes = size * n;
  x->last_byte_us = x->host->clock_mono_us();
  char line[512];
  if (bytes >= sizeof line) return bytes; /* no header we read is that long */
  memcpy(line, data, bytes);
  line[bytes] = '\0';
  line[strcspn(line, "\r\n")] = '\0';
  char *v;
  if (!strncmp(line, "HTTP/", 5)) {
    const char *sp = strchr(line, ' ');
    x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
    x->has_range = x->total_known = false;
    x->etag[0] = x->last_modified[0] = '\0';
  } else if ((v = header_value(line, "Content-Range"))) {
    parse_content_range(x, v);
  } else if ((v = header_value(line, "ETag"))) {
    copy_value(x->etag, sizeof x->etag, v);
  } else if ((v = header_value(line, "Last-Modified"))) {
    copy_value(x->last_modified, sizeof x->last_modified, v);
  }
  return bytes;
}

/* The answer asked for: a body of it may land in the caller's buffer. */
static bool answer_wanted(const http_xfer_t *x) {
  if (!x->ranged) return x->status == 200 || x->status == 304;
  return x->status == 206 && x->has_range && x->got_first == x->range_first &&
         x->got_last == x->range_last;
}

static size_t on_body(char *data, size_t size, size_t n, void *user) {
  http_xfer_t *x = user;
  size_t bytes = size * n;
  x->last_byte_us = x->host->clock_mono_us();
  if (!answer_wanted(x)) return 0; /* aborts: http_perform says what came instead */
  if (bytes > x->cap - x->len) {
    size_t need = x->len + bytes;
    if (!x->grow || need > x->max) {
      x->overflow = true;
      return 0;
    }
    size_t cap = x->cap ? x->cap : 4096;
    while (cap < need) cap *= 2;
    if (cap > x->max) cap = x->max;
    char *grown = realloc(x->buf, cap);
    if (!grown) {
      x->nomem = true;
      return 0;
    }
    x->buf = grown;
    x->cap = cap;
  }
  memcpy(x->buf + x->len, data, bytes);
  x->len += bytes;
  return bytes;
}

/* Called by curl while the transfer runs: when the last byte came, for the stall timeout. */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow) {
  (void)dltotal, (void)ultotal, (void)ulnow;
  http_xfer_t *x = user;
  if (dlnow != x->last_dlnow) {
    x->last_dlnow = dlnow;
    x->last_byte_us = x->host->clock_mono_us();
  }
  return 0;
}

void http_handle_free(http_handle_t *h) {
  if (!h) return;
  if (h->multi) curl_multi_cleanup(h->multi);
  if (h->easy) curl_easy_cleanup(h->easy);
  free(h);
}

/* An easy handle with every option of `dir` set. */
static CURL *easy_new(const http_dir_t *dir) {
  CURL *e = curl_easy_init();
  if (!e) return NULL;
  bool ok = curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_SHARE, dir->share) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, dir->connect_ms) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, dir->transfer_ms) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L) == CURLE_OK;
  /* HTTP/2 only where the server offers it; a curl built without it keeps HTTP/1.1. */
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  if (ok && dir->ca_file) ok = curl_easy_setopt(e, CURLOPT_CAINFO, dir->ca_file) == CURLE_OK;
  if (!ok) {
    curl_easy_cleanup(e);
    return NULL;
  }
  return e;
}

http_handle_t *http_handle_new(const http_dir_t *dir) {
  http_handle_t *h = calloc(1, sizeof *h);
  if (!h || !(h->easy = easy_new(dir)) || !(h->multi = curl_multi_init())) {
    http_handle_free(h);
    return NULL;
  }
  return h;
}

static double seconds(long ms) { return (double)ms / 1000.0; }

/* An answer other than the one asked for. */
static int wrong_answer(const http_dir_t *dir, const http_xfer_t *x) {
  const valkka_host_t *host = dir->host;
  const char *l = x->label;
  long s = x->status;
  if (x->ranged && s == 200)
    return http_error(host, VALKKA_EIO, l, "the server ignores Range requests (200 to a range)");
  if (x->ranged && s == 206 && !x->has_range)
    return http_error(host, VALKKA_EIO, l, "206 without a Content-Range");
  if (x->ranged && s == 206)
    return http_error(host, VALKKA_EIO, l,
                      "answered bytes %" PRIu64 "-%" PRIu64 " for a range of %" PRIu64 "-%" PRIu64,
                      x->got_first, x->got_last, x->range_first, x->range_last);
  if (s == 401 || s == 403) return http_error(host, VALKKA_EACCES, l, "%ld %s", s, status_text(s));
  if (s == 404) return http_error(host, VALKKA_ENOENT, l, "404 Not Found");
  if (s == 416)
    return http_error(host, VALKKA_ERANGE, l,
                      "416 Range Not Satisfiable: the file is shorter than the FS says");
  return http_error(host, VALKKA_EIO, l, "%ld %s", s, status_text(s));
}

/* A transfer curl gave up on. */
static int transport_failure(const http_dir_t *dir, CURL *easy, const http_xfer_t *x, CURLcode rc,
                             const char *errbuf) {
  const valkka_host_t *host = dir->host;
  const char *l = x->label;
  const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_CONNECT: {
      long os_errno = 0;
      curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
      if (os_errno == ECONNREFUSED) return http_error(host, VALKKA_EIO, l, "connection refused");
      return http_error(host, VALKKA_EIO, l, "cannot connect (%s)", why);
    }
    case CURLE_COULDNT_RESOLVE_HOST:
      return http_error(host, VALKKA_EIO, l, "unknown host (%s)", why);
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t pretransfer = 0;
      curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
      if (pretransfer == 0)
        return http_error(host, VALKKA_EIO, l, "connect timed out after %g s",
                          seconds(dir->connect_ms));
      return http_error(host, VALKKA_EIO, l, "transfer timed out after %g s",
                        seconds(dir->transfer_ms));
    }
    case CURLE_PEER_FAILED_VERIFICATION:
      if (strstr(why, "subject name") || strstr(why, "does not match"))
        return http_error(host, VALKKA_EIO, l, "TLS: the certificate is for another host (%s)",
                          why);
      return http_error(host, VALKKA_EIO, l,
                        "TLS: certificate not trusted (give its CA with ca_file)");
    case CURLE_SSL_CACERT_BADFILE:
      return http_error(host, VALKKA_EIO, l, "TLS: ca_file %s cannot be read (%s)",
                        dir->ca_file ? dir->ca_file : "(system)", why);
    case CURLE_SSL_CONNECT_ERROR:
      return http_error(host, VALKKA_EIO, l, "TLS: handshake failed (%s)", why);
    case CURLE_PARTIAL_FILE:
      if (x->ranged)
        return http_error(host, VALKKA_EIO, l,
                          "answered %zu bytes for a range of %" PRIu64 " (truncated)", x->len,
                          x->range_last - x->range_first + 1);
      return http_error(host, VALKKA_EIO, l, "the body ended after %zu bytes (truncated)", x->len);
    case CURLE_GOT_NOTHING:
      return http_error(host, VALKKA_EIO, l, "the server closed the connection without an answer");
    default: return http_error(host, VALKKA_EIO, l, "%s", why);
  }
}

/*
 * curl_easy_perform's loop, but waking when the stall timeout is due: curl's own wakes for its
 * progress callback come once a second while no byte arrives. The stall clock starts once the
 * request is sent (connecting has its own timeout). A transfer cut short here (a stall) is
 * removed unfinished: its connection is closed, never reused mid-answer.
 */
static CURLcode run(http_handle_t *h, http_xfer_t *x) {
  if (curl_multi_add_handle(h->multi, h->easy) != CURLM_OK) return CURLE_OUT_OF_MEMORY;
  CURLcode rc = CURLE_RECV_ERROR;
  for (bool done = false; !done;) {
    int running = 0, left = 0;
    if (curl_multi_perform(h->multi, &running) != CURLM_OK) break;
    for (CURLMsg *m; (m = curl_multi_info_read(h->multi, &left));)
      if (m->msg == CURLMSG_DONE) {
        rc = m->data.result;
        done = true;
      }
    if (done || !running) break;
    const int64_t now = x->host->clock_mono_us();
    long request_bytes = 0;
    if (!x->sent && curl_easy_getinfo(h->easy, CURLINFO_REQUEST_SIZE, &request_bytes) == CURLE_OK &&
        request_bytes > 0) {
      x->sent = true;
      x->last_byte_us = now;
    }
    const int64_t idle = x->sent ? now - x->last_byte_us : 0;
    if (idle >= x->stall_us) {
      x->stalled = true;
      break;
    }
    curl_multi_poll(h->multi, NULL, 0, (int)((x->stall_us - idle + 999) / 1000), NULL);
  }
  curl_multi_remove_handle(h->multi, h->easy);
  return rc;
}

int http_perform(const http_dir_t *dir, http_handle_t *h, http_xfer_t *x) {
  CURL *easy = h->easy;
  char errbuf[CURL_ERROR_SIZE] = "";
  char range[64];
  struct curl_slist *headers = x->headers, *extra = NULL;
  if (x->ranged) {
    snprintf(range, sizeof range, "Range: bytes=%" PRIu64 "-%" PRIu64, x->range_first,
             x->range_last);
    if (!(extra = curl_slist_append(NULL, range)))
      return http_error(dir->host, VALKKA_ENOMEM, x->label, "out of memory");
    extra->next = headers;
    headers = extra;
  }
  x->host = dir->host;
  x->stall_us = (int64_t)dir->stall_ms * 1000;
  x->last_byte_us = dir->host->clock_mono_us();
  x->sent = false;
  x->last_dlnow = 0;
  x->len = 0;
  x->status = 0;
  curl_easy_setopt(easy, CURLOPT_URL, x->url);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, x);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = run(h, x);
  /* The handle outlives this frame and the list: it must point at neither. */
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
  if (extra) {
    extra->next = NULL;
    curl_slist_free_all(extra);
  }
  const valkka_host_t *host = dir->host;
  if (x->stalled)
    return http_error(host, VALKKA_EIO, x->label, "stalled %g s (no data)", seconds(dir->stall_ms));
  if (x->nomem) return http_error(host, VALKKA_ENOMEM, x->label, "out of memory");
  if (x->overflow && x->ranged)
    return http_error(host, VALKKA_EIO, x->label,
                      "answered more than %zu bytes for a range of %zu (too long)", x->cap, x->cap);
  if (x->overflow) return http_error(host, VALKKA_EIO, x->label, "larger than %zu bytes", x->max);
  if (x->status && !answer_wanted(x)) return wrong_answer(dir, x);
  if (rc != CURLE_OK) return transport_failure(dir, easy, x, rc, errbuf);
  if (x->ranged && x->len != x->range_last - x->range_first + 1)
    return http_error(host, VALKKA_EIO, x->label,
                      "answered %zu bytes for a range of %" PRIu64 " (truncated)", x->len,
                      x->range_last - x->range_first + 1);
  return 0;
}
