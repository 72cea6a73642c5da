/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Levelled logging to a callback or stderr; the threshold starts from $VALKKA_LOG. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <valkka/error.h>
#include <valkka/log.h>

#include "base/log.h"

static atomic_int threshold = VALKKA_LOG_WARN;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static valkka_log_cb sink_cb;
static void *sink_user;

static const char *level_names[] = {"debug", "info", "warn", "error", "none"};

int valkka_log_level_parse(const char *text, valkka_log_level_t *level) {
  if (!text || !level) return valkka_error_set(VALKKA_EINVAL, "log level: NULL argument");
  for (int i = 0; i <= VALKKA_LOG_NONE; i++) {
    if (strcasecmp(text, level_names[i]) == 0) {
      *level = (valkka_log_level_t)i;
      return 0;
    }
  }
  return valkka_error_set(VALKKA_EINVAL,
                          "log level '%s': expected debug, info, warn, error or none", text);
}

static void read_env(void) {
  const char *env = getenv("VALKKA_LOG");
  valkka_log_level_t level;
  if (env && *env && valkka_log_level_parse(env, &level) == 0) atomic_store(&threshold, level);
}

int valkka_log_set_level(valkka_log_level_t level) {
  pthread_once(&env_once, read_env);
  if ((int)level < VALKKA_LOG_DEBUG || level > VALKKA_LOG_NONE)
    return valkka_error_set(VALKKA_EINVAL, "log level %d out of range", (int)level);
  atomic_store(&threshold, level);
  return 0;
}

valkka_log_level_t valkka_log_get_level(void) {
  pthread_once(&env_once, read_env);
  return (valkka_log_level_t)atomic_load(&threshold);
}

int valkka_log_set_callback(valkka_log_cb cb, void *user) {
  pthread_mutex_lock(&sink_lock);
  sink_cb = cb;
  sink_user = user;
  pthread_mutex_unlock(&sink_lock);
  return 0;
}

void log_v(valkka_log_level_t level, const char *module, const char *fmt, va_list ap) {
  if (level < valkka_log_get_level() || level >= VALKKA_LOG_NONE) return;
  char message[2048];
  vsnprintf(message, sizeof message, fmt, ap);
  if (!module) module = "valkka";
  /* The sink is copied out so the callback runs without our lock held. */
  pthread_mutex_lock(&sink_lock);
  valkka_log_cb cb = sink_cb;
  void *user = sink_user;
  pthread_mutex_unlock(&sink_lock);
  if (cb) {
    cb(user, level, module, message);
  } else {
    fprintf(stderr, "valkka %s %s: %s\n", level_names[level], module, message);
  }
}

void valkka_log(valkka_log_level_t level, const char *module, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_v(level, module, fmt, ap);
  va_end(ap);
}
