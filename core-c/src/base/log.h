/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal logging shorthands for core code. */
#ifndef VALKKA_BASE_LOG_H
#define VALKKA_BASE_LOG_H

#include <stdarg.h>

#include <valkka/log.h>

void log_v(valkka_log_level_t level, const char *module, const char *fmt, va_list ap);

#define LOG_DEBUG(module, ...) valkka_log(VALKKA_LOG_DEBUG, module, __VA_ARGS__)
#define LOG_INFO(module, ...) valkka_log(VALKKA_LOG_INFO, module, __VA_ARGS__)
#define LOG_WARN(module, ...) valkka_log(VALKKA_LOG_WARN, module, __VA_ARGS__)
#define LOG_ERROR(module, ...) valkka_log(VALKKA_LOG_ERROR, module, __VA_ARGS__)

#endif
