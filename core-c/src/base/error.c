/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Return-code texts and the thread-local detailed error message. */
#include <stdarg.h>
#include <stdio.h>

#include <valkka/error.h>

static _Thread_local char last_error[1024];

const char *valkka_strerror(int code) {
  if (code == 0) return "success";
  switch (code) {
#define VALKKA_ERROR_TEXT_(name, value, text) \
  case value: return text;
    VALKKA_ERROR_TABLE(VALKKA_ERROR_TEXT_)
#undef VALKKA_ERROR_TEXT_
  }
  return "unknown error";
}

const char *valkka_err_name(int code) {
  if (code == 0) return "VALKKA_OK";
  switch (code) {
#define VALKKA_ERROR_NAME_(name, value, text) \
  case value: return "VALKKA_" #name;
    VALKKA_ERROR_TABLE(VALKKA_ERROR_NAME_)
#undef VALKKA_ERROR_NAME_
  }
  return "VALKKA_EUNKNOWN";
}

const char *valkka_last_error(void) { return last_error; }

void valkka_error_clear(void) { last_error[0] = '\0'; }

int error_vset(int code, const char *fmt, va_list ap) {
  /* Format into a scratch buffer first: callers may pass valkka_last_error() as an argument. */
  char scratch[sizeof last_error];
  vsnprintf(scratch, sizeof scratch, fmt, ap);
  snprintf(last_error, sizeof last_error, "%s", scratch);
  return code;
}

int valkka_error_set(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_vset(code, fmt, ap);
  va_end(ap);
  return code;
}
