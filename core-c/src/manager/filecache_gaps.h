/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gaps in playback (valkka_manager_set_gaps): where no mapped stream recorded anything at the
 * playhead, playing jumps to the next recorded time of any of them instead of running the clock
 * through the empty time. The ranges come from the FSes' ranges index (valkka_fs_get_ranges).
 */
#ifndef VALKKA_MANAGER_FILECACHE_GAPS_H
#define VALKKA_MANAGER_FILECACHE_GAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "manager/filecache.h"

/* Whether playing runs on through gaps (true) or jumps them (false, the default). Any thread. */
void filecache_set_gaps_real_time(filecache_t *fc, bool real_time);

/* On the cache thread, while playing: the first recorded time of a mapped stream after `t` when
   no mapped stream has a range holding `t` and gaps are jumped; otherwise 0 (recorded at `t`,
   nothing recorded later, or real time). `next_loaded` is the time of the first loaded frame
   after `t` of any stream (INT64_MAX: none): within a second of `t`, the ranges are not looked
   up (every tick while playing) and 0 is returned, because a range only ends at a gap longer
   than a second, so `t` is recorded or that frame ends the gap within the second anyway. */
int64_t fc_gap_resume(filecache_t *fc, int64_t t, int64_t next_loaded);

#endif
