/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ranges index's entries, built record by record as the table's (their bytes: format.c). */
#include <string.h>

#include <valkka/frame.h>

#include "fs/ranges.h"

void fs_ranges_set_void(fs_ranges_t *ranges, uint64_t seq) {
  memset(ranges, 0, sizeof *ranges);
  ranges->seq = seq;
}

void fs_ranges_add(fs_ranges_t *g, const fs_record_t *record, uint32_t end) {
  if (record->kind == FS_KIND_PAD) return;
  g->end = end;
  if (record->kind != FS_KIND_ENCODED) return;
  const int64_t t = record->mstime;
  fs_range_t *last = NULL;
  for (uint32_t i = g->n; i-- > 0;)
    if (g->r[i].id == record->stream_id) {
      last = &g->r[i];
      break;
    }
  if (last) {
    const int64_t step = t - last->last_ms;
    if (step <= fs_range_gap_ms(last->interval_ms)) {
      if (step > 0) last->interval_ms = (uint32_t)step;
      if (t > last->last_ms) last->last_ms = t;
      return;
    }
  }
  if (g->n == FS_RANGES_PER_BLOCK) {
    g->flags |= FS_RANGES_OVERFLOW;
    return;
  }
  g->r[g->n++] = (fs_range_t){record->stream_id, last ? last->interval_ms : 0, t, t};
}

bool fs_ranges_match(const fs_ranges_t *ranges, const fs_entry_t *entry) {
  return ranges->seq && ranges->seq == entry->seq && ranges->end == entry->end &&
         !(ranges->flags & FS_RANGES_OVERFLOW);
}
