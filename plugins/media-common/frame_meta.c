/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "frame_meta.h"

void frame_meta_reset(frame_meta_t *meta) {
  uint32_t slot = meta->last_slot, stream_id = meta->last_stream_id;
  memset(meta, 0, sizeof *meta);
  meta->last_slot = slot;
  meta->last_stream_id = stream_id;
  /* A flush comes before a seek, which may go back in time. */
  meta->last_mstime = INT64_MIN;
}

static void drop_oldest_times(frame_meta_t *meta, uint32_t n) {
  if (n > meta->n_times) n = meta->n_times;
  memmove(meta->times, meta->times + n, (meta->n_times - n) * sizeof meta->times[0]);
  meta->n_times -= n;
}

void frame_meta_push(frame_meta_t *meta, int64_t seq, const valkka_frame_t *src) {
  /* Pictures come out in presentation order: they are timed by the presentation times. */
  const int64_t shown_at = src->mstime + src->pts_offset;
  frame_meta_entry_t *e = &meta->entries[(uint64_t)seq % FRAME_META_SLOTS];
  *e = (frame_meta_entry_t){seq, shown_at, src->flags, src->slot, src->stream_id, true};
  meta->last_slot = src->slot;
  meta->last_stream_id = src->stream_id;
  /* A full list means times of frames the decoder dropped: the oldest is the stale one. */
  if (meta->n_times == FRAME_META_SLOTS) drop_oldest_times(meta, 1);
  uint32_t i = meta->n_times;
  while (i > 0 && meta->times[i - 1] > shown_at) {
    meta->times[i] = meta->times[i - 1];
    i--;
  }
  meta->times[i] = shown_at;
  meta->n_times++;
}

void frame_meta_take(frame_meta_t *meta, int64_t seq, valkka_frame_t *picture) {
  frame_meta_entry_t *e = &meta->entries[(uint64_t)seq % FRAME_META_SLOTS];
  bool found = e->used && e->seq == seq;
  picture->slot = found ? e->slot : meta->last_slot;
  picture->stream_id = found ? e->stream_id : meta->last_stream_id;
  picture->flags = found ? e->flags : 0;
  if (found && (e->flags & VALKKA_FRAME_KEYFRAME)) {
    /* Everything before a keyframe has been shown by now: older times belong to lost frames. */
    uint32_t stale = 0;
    while (stale < meta->n_times && meta->times[stale] < e->mstime) stale++;
    drop_oldest_times(meta, stale);
  }
  int64_t mstime = found ? e->mstime : meta->last_mstime == INT64_MIN ? 0 : meta->last_mstime;
  if (meta->n_times) {
    mstime = meta->times[0];
    drop_oldest_times(meta, 1);
  }
  if (found) e->used = false;
  if (mstime < meta->last_mstime) mstime = meta->last_mstime;
  meta->last_mstime = mstime;
  picture->mstime = mstime;
}
