/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The file cache's side of gaps in playback: finding where the recording goes on after one. */
#include "manager/filecache_gaps.h"

#include "fs/ranges.h"
#include "manager/filecache_internal.h"

void filecache_set_gaps_real_time(filecache_t *fc, bool real_time) {
  pthread_mutex_lock(&fc->inbox_lock);
  fc->gaps_real_time = real_time;
  pthread_mutex_unlock(&fc->inbox_lock);
}

int64_t fc_gap_resume(filecache_t *fc, int64_t t, int64_t next_loaded) {
  if (next_loaded != INT64_MAX && next_loaded - t <= FS_RANGE_MIN_GAP_MS) return 0;
  pthread_mutex_lock(&fc->inbox_lock);
  const bool real_time = fc->gaps_real_time;
  pthread_mutex_unlock(&fc->inbox_lock);
  if (real_time) return 0;
  int64_t next = INT64_MAX;
  for (size_t i = 0; i < fc->n_streams; i++) {
    const window_t *w = fc_window_of(fc, fc->streams[i]->group);
    if (!w) continue;
    /* The ranges meeting [t, end of time], oldest first: the first one holds t if any does. */
    valkka_fs_range_t r = {.struct_size = sizeof r};
    if (valkka_fs_get_ranges(w->fs, fc->streams[i]->id, t, INT64_MAX, &r, 1) < 1) continue;
    if (r.first_ms <= t) return 0;
    if (r.first_ms < next) next = r.first_ms;
  }
  return next == INT64_MAX ? 0 : next;
}
