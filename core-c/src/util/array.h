/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Arrays that grow by doubling: the core's lists of cameras, groups, windows, streams and the like.
 */
#ifndef VALKKA_UTIL_ARRAY_H
#define VALKKA_UTIL_ARRAY_H

#include <stddef.h>

/**
 * Makes room for `need` items of `item_size` bytes in the array `*items` of `*cap` items: when
 * `need` is more than `*cap`, the capacity doubles (from `first_cap` when it is 0) until it is
 * enough, and the array is reallocated. `items` is the address of the caller's array pointer.
 * 0, or VALKKA_ENOMEM with the array and `*cap` unchanged; no message is set, so that each caller
 * says what it was growing.
 */
int array_reserve(void **items, size_t *cap, size_t need, size_t item_size, size_t first_cap);

/**
 * Takes the whole array from its owner, which is left empty (no array, `*n` and `*cap` 0), so
 * that the items can be destroyed after the owner's lock is released. Returns the array, the
 * caller's to free, and its count in `*taken`.
 */
void *array_take(void **items, size_t *n, size_t *cap, size_t *taken);

#endif
