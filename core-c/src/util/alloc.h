/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Allocating an object whose constructor returns NULL when memory runs out. */
#ifndef VALKKA_UTIL_ALLOC_H
#define VALKKA_UTIL_ALLOC_H

#include <stddef.h>

/**
 * `size` zeroed bytes (calloc), or NULL with VALKKA_ENOMEM and `message` as the calling thread's
 * last error, so that the constructor only has to return NULL.
 */
void *alloc_zeroed(size_t size, const char *message);

#endif
