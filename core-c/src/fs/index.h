/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Index search over a block table held in memory (FORMAT.md, "Index search"). Pure functions of
 * the entries and the write position, so tests run them on thousands of random tables.
 */
#ifndef VALKKA_FS_INDEX_H
#define VALKKA_FS_INDEX_H

#include <stdint.h>

#include "fs/format.h"

/*
 * getInd(t0, t1): writes up to `max` block indices (oldest first) to `out` and returns how many
 * the answer has (which may exceed `max`), or VALKKA_ENOMEM. `head` is the block being written.
 */
int fs_index_search(const fs_entry_t *table, uint32_t n, uint32_t head, int64_t t0, int64_t t1,
                    uint32_t *out, uint32_t max);

/* getIndNeigh(t, k): getInd(t, t) plus up to k following non-void blocks. Same results. */
int fs_index_neigh(const fs_entry_t *table, uint32_t n, uint32_t head, int64_t t, uint32_t k,
                   uint32_t *out, uint32_t max);

/* Min of min times and max of max times of the non-void blocks; both 0 when all are void. */
void fs_index_time_range(const fs_entry_t *table, uint32_t n, int64_t *first, int64_t *last);

#endif
