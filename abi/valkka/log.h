/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h: log levels and the log callback.
 *
 * By default messages at or above the level go to stderr as "valkka LEVEL module: message". The
 * level starts from the environment variable VALKKA_LOG (debug | info | warn | error | none; default
 * warn), read once at the first log call or valkka_log_set_level().
 */
#ifndef VALKKA_LOG_H
#define VALKKA_LOG_H

#include <valkka/defs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, most verbose first. Append only. */
typedef enum valkka_log_level {
  VALKKA_LOG_DEBUG = 0,
  VALKKA_LOG_INFO = 1,
  VALKKA_LOG_WARN = 2,
  VALKKA_LOG_ERROR = 3,
  VALKKA_LOG_NONE = 4 /**< as a threshold: log nothing */
} valkka_log_level_t;

/**
 * Receives one log message. `module` names the part that logged ("fs", "plugin", "source-rtsp");
 * `message` has no trailing newline. Both strings are valid only during the call.
 * Runs on whichever thread logged, possibly several at once: it must be thread-safe, must not block
 * for long and must not call valkka_log_set_callback().
 */
typedef void (*valkka_log_cb)(void *user, valkka_log_level_t level, const char *module,
                              const char *message);

/**
 * Routes messages to `cb` (NULL restores stderr). `user` is passed back unchanged and not owned.
 * Thread safety: any thread; messages logged concurrently may still reach the previous callback.
 * Errors: none (returns 0). Since ABI 1.0.
 */
VALKKA_API int valkka_log_set_callback(valkka_log_cb cb, void *user);

/**
 * Sets the threshold: messages below `level` are dropped. Overrides VALKKA_LOG.
 * Errors: VALKKA_EINVAL for a level outside the enum. Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API int valkka_log_set_level(valkka_log_level_t level);

/** The current threshold. Thread safety: any thread. Since ABI 1.0. */
VALKKA_API valkka_log_level_t valkka_log_get_level(void);

/**
 * Parses "debug", "info", "warn", "error" or "none" (case-insensitive) into `*level`.
 * Errors: VALKKA_EINVAL for anything else or NULL arguments. Since ABI 1.0.
 */
VALKKA_API int valkka_log_level_parse(const char *text, valkka_log_level_t *level);

/**
 * Logs one message (printf format). Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API void valkka_log(valkka_log_level_t level, const char *module, const char *fmt, ...)
    VALKKA_PRINTF(3, 4);

/** valkka_url_redact flags. */
enum {
  /** The text is one URL as configured, not a message quoting URLs: a password holding spaces or
      quotes unescaped is hidden too. */
  VALKKA_URL_REDACT_WHOLE = 1u << 0,
  /** Keep the length (implies WHOLE): every character of the credentials becomes '*', for a text
      that cannot move, such as a program's argv (which `ps` and /proc/PID/cmdline show). `out`
      may be `text` itself. */
  VALKKA_URL_REDACT_KEEP_LENGTH = 1u << 1
};

/**
 * Copies `text` into `out` (always terminated, cut at `out_size`) with the credentials of every
 * URL in it hidden, before it is logged or shown: the userinfo of "scheme://user:password@host"
 * becomes "***" ("rtsp://u:p@h:554/x" shows as "rtsp://" "***@h:554/x"), and the value of a
 * password-like query parameter (password, passwd, pass, pwd, secret, token, access_token, auth,
 * key, apikey, any case, after '?', '&' or ';') becomes "***" up to the next '&' or '#'.
 * The userinfo runs to the last '@' after a ':' (to the last '@' of the authority without one),
 * so a password holding '@', '/', '?' or '#' unescaped is hidden whole; in a message a URL ends
 * at whitespace or a quote. The price: a URL with an '@' in its path after a host:port or a
 * password shows as its scheme, "***@" and what follows that '@'. `flags`: VALKKA_URL_REDACT_*.
 * NULL `text` gives "". Returns `out`. Thread safety: any thread (pure, reentrant). Errors: none.
 * The core redacts its own messages; plugins reach it through their host table. Since ABI 1.1.
 */
VALKKA_API char *valkka_url_redact(const char *text, uint32_t flags, char *out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_LOG_H */
