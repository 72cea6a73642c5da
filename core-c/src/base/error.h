/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal companions of error.h. */
#ifndef VALKKA_BASE_ERROR_H
#define VALKKA_BASE_ERROR_H

#include <stdarg.h>

#include <valkka/error.h>

/** va_list form of valkka_error_set. */
int error_vset(int code, const char *fmt, va_list ap);

/** Maps an errno value to the closest VALKKA_E code. */
int error_from_errno(int err);

#endif
