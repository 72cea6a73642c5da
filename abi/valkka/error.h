/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * error.h: return codes, their names and texts, and the thread-local detailed error message.
 *
 * Every function of the ABI returns an int (0 = success, a negative VALKKA_E... code = failure) or a
 * pointer (NULL = failure). After a failure, valkka_last_error() on the same thread tells what
 * exactly went wrong ("blocktable: entry 17 crc mismatch").
 */
#ifndef VALKKA_ERROR_H
#define VALKKA_ERROR_H

#include <valkka/defs.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One table yields the enum, the names and the texts, so they cannot drift apart.
 * Append only: a value, once published, keeps its number; a retired one is renamed *_OBSOLETE.
 */
#define VALKKA_ERROR_TABLE(X)                                      \
  X(EINVAL, -1, "invalid argument")                                \
  X(ENOMEM, -2, "out of memory")                                   \
  X(EIO, -3, "input/output error")                                 \
  X(ENOENT, -4, "no such file, stream or entry")                   \
  X(EEXIST, -5, "already exists")                                  \
  X(EABI, -6, "ABI version mismatch")                              \
  X(ENOTPLUGIN, -7, "not a valkka plugin")                         \
  X(EPLUGIN, -8, "plugin refused: malformed descriptor")           \
  X(ENOSYS, -9, "operation not supported")                         \
  X(ENODEV, -10, "no such device")                                 \
  X(EAGAIN, -11, "resource temporarily unavailable")               \
  X(ETIMEDOUT, -12, "timed out")                                   \
  X(EOS, -13, "end of stream")                                     \
  X(ECORRUPT, -14, "data corrupt: checksum or structure mismatch") \
  X(ENOSPC, -15, "no space left")                                  \
  X(EBUSY, -16, "resource busy")                                   \
  X(ETOOBIG, -17, "too large")                                     \
  X(EFORMAT, -18, "unknown or foreign format")                     \
  X(ECONN, -19, "connection failed")                               \
  X(EINTR, -20, "interrupted")                                     \
  X(ESTATE, -21, "operation not valid in the current state")       \
  X(ERANGE, -22, "out of range")                                   \
  X(ECODEC, -23, "unsupported codec")                              \
  X(EDECODE, -24, "decoding failed")                               \
  X(EFULL, -25, "queue full: item dropped")                        \
  X(EACCES, -26, "permission denied")

/** Return codes. 0 is success; every error is negative. */
typedef enum valkka_error {
  VALKKA_OK = 0,
#define VALKKA_ERROR_ENUM_(name, value, text) VALKKA_##name = (value),
  VALKKA_ERROR_TABLE(VALKKA_ERROR_ENUM_)
#undef VALKKA_ERROR_ENUM_
} valkka_error_t;

/**
 * Human-readable text of a return code ("invalid argument"); "unknown error" for a value not in
 * the table, "success" for 0. Ownership: static string. Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API const char *valkka_strerror(int code);

/**
 * Symbolic name of a return code ("VALKKA_EINVAL"); "VALKKA_EUNKNOWN" for a value not in the
 * table. Ownership: static string. Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API const char *valkka_err_name(int code);

/**
 * The detailed message of the most recent failure on the calling thread, e.g.
 * "plugin /x/y.so: ABI major 2, core has 1". Never NULL: "" when no failure was recorded.
 * Ownership: thread-local buffer owned by the library, valid until the next valkka call on this
 * thread; copy it to keep it. Thread safety: per thread. Since ABI 1.0.
 */
VALKKA_API const char *valkka_last_error(void);

/**
 * Records a failure for valkka_last_error() on the calling thread and returns `code`, so that
 * `return valkka_error_set(VALKKA_EIO, "read %s: %s", path, strerror(errno));` reads naturally.
 * Used by the library itself and by shells that wrap it. Thread safety: per thread. Since ABI 1.0.
 */
VALKKA_API int valkka_error_set(int code, const char *fmt, ...) VALKKA_PRINTF(2, 3);

/** Clears the calling thread's last error. Since ABI 1.0. */
VALKKA_API void valkka_error_clear(void);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_ERROR_H */
