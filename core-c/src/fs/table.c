/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The summary a block-table entry keeps of its block's records (FORMAT.md, "Block-table entry"). */
#include <string.h>

#include <valkka/frame.h>

#include "fs/table.h"

void fs_entry_set_void(fs_entry_t *entry, uint64_t seq) {
  memset(entry, 0, sizeof *entry);
  entry->seq = seq;
}

static fs_stream_slot_t *slot_for(fs_entry_t *e, uint32_t id) {
  for (uint32_t i = 0; i < e->n_streams; i++)
    if (e->streams[i].id == id) return &e->streams[i];
  if (e->n_streams == FS_ENTRY_STREAMS) {
    e->flags |= FS_ENTRY_OVERFLOW;
    return NULL;
  }
  fs_stream_slot_t *slot = &e->streams[e->n_streams++];
  memset(slot, 0, sizeof *slot);
  slot->id = id;
  return slot;
}

static void widen(int64_t *min, int64_t *max, int64_t t) {
  if (!*min || t < *min) *min = t;
  if (!*max || t > *max) *max = t;
}

void fs_entry_add(fs_entry_t *e, const fs_record_t *r, uint32_t end) {
  if (r->kind == 0) return;
  const int encoded = r->kind == VALKKA_FRAME_ENCODED;
  const int keyframe = encoded && (r->flags & VALKKA_FRAME_KEYFRAME);
  widen(&e->min_ms, &e->max_ms, r->mstime);
  if (keyframe) widen(&e->min_kf_ms, &e->max_kf_ms, r->mstime);
  e->records++;
  if (encoded) e->frames++;
  e->end = end;
  fs_stream_slot_t *slot = slot_for(e, r->stream_id);
  if (!slot) return;
  if (r->codec) slot->codec = r->codec;
  if (encoded) slot->frames++;
  widen(&slot->min_ms, &slot->max_ms, r->mstime);
  if (keyframe && (!slot->min_kf_ms || r->mstime < slot->min_kf_ms)) slot->min_kf_ms = r->mstime;
}

bool fs_entry_equal(const fs_entry_t *a, const fs_entry_t *b) {
  if (a->max_kf_ms != b->max_kf_ms || a->max_ms != b->max_ms || a->min_ms != b->min_ms ||
      a->min_kf_ms != b->min_kf_ms || a->seq != b->seq || a->frames != b->frames ||
      a->records != b->records || a->end != b->end || a->n_streams != b->n_streams ||
      a->flags != b->flags)
    return false;
  for (uint32_t i = 0; i < a->n_streams && i < FS_ENTRY_STREAMS; i++) {
    const fs_stream_slot_t *x = &a->streams[i], *y = &b->streams[i];
    if (x->id != y->id || x->codec != y->codec || x->frames != y->frames ||
        x->min_ms != y->min_ms || x->max_ms != y->max_ms || x->min_kf_ms != y->min_kf_ms)
      return false;
  }
  return true;
}
