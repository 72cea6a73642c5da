/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Block-table entries in memory: what a record adds to its block's summary. */
#ifndef VALKKA_FS_TABLE_H
#define VALKKA_FS_TABLE_H

#include "fs/format.h"

/* A void entry carrying `seq` (0: a block never written). */
void fs_entry_set_void(fs_entry_t *entry, uint64_t seq);

static inline bool fs_entry_is_void(const fs_entry_t *entry) { return entry->max_ms == 0; }

/* Adds one record (PAD records add nothing) that ends at byte `end` of its block. */
void fs_entry_add(fs_entry_t *entry, const fs_record_t *record, uint32_t end);

/* True when both entries say the same (every field the format stores). */
bool fs_entry_equal(const fs_entry_t *a, const fs_entry_t *b);

#endif
