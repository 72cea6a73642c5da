/* Internal companions of error.h. */
#ifndef VALKKA_UTIL_ERROR_INTERNAL_H
#define VALKKA_UTIL_ERROR_INTERNAL_H

#include <stdarg.h>

#include <valkka/error.h>

/** va_list form of valkka_error_set. */
int valkka_error_vset(int code, const char *fmt, va_list ap);

/** Maps an errno value to the closest VALKKA_E code. */
int valkka_error_from_errno(int err);

#endif
