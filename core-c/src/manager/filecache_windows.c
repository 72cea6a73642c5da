/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file cache's windows, one per FS it plays from, on the cache thread: the wiring of the
 * original design, where the heartbeat re-reads block tables (readBlockTablesIf) and asks every
 * window for the blocks around the playhead (reqBlocksIf). The cache decides here which frames it
 * keeps, against its own windows: nothing of the manager is asked or locked.
 */
#include <stdlib.h>

#include <valkka/error.h>

#include "manager/filecache_internal.h"
#include "base/log.h"
#include "util/array.h"
#include "util/clock.h"

window_t *fc_window_of(const filecache_t *fc, uint32_t group) {
  for (size_t i = 0; i < fc->n_windows; i++)
    if (fc->windows[i]->group == group) return fc->windows[i];
  return NULL;
}

int fc_windows_add(filecache_t *fc, window_t *w) {
  if (array_reserve((void **)&fc->windows, &fc->cap_windows, fc->n_windows + 1, sizeof *fc->windows,
                    4))
    return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for an FS");
  fc->windows[fc->n_windows++] = w;
  return 0;
}

window_t *fc_windows_remove(filecache_t *fc, uint32_t group) {
  for (size_t i = 0; i < fc->n_windows; i++) {
    window_t *w = fc->windows[i];
    if (w->group != group) continue;
    fc->windows[i] = fc->windows[--fc->n_windows];
    return w;
  }
  return NULL;
}

static bool held(void *window, uint32_t block, uint64_t seq) {
  return window_holds(window, block, seq);
}

/* Drops the frames of `w`'s streams whose block use the window no longer holds (rule 1). */
static void evict(filecache_t *fc, window_t *w) {
  for (size_t i = 0; i < fc->n_streams; i++) {
    fc_stream_t *s = fc->streams[i];
    if (s->group != w->group) continue;
    fc_track_evict(&s->track, held, w);
    /* The window is one run of blocks: while the frame the decoder stands on is cached, so is
       everything between it and any frame it may go on to. Otherwise it restarts at a keyframe. */
    if (s->fed) {
      size_t at = fc_track_last_at(&s->track, s->fed_ms);
      if (at == FC_NONE || s->track.frames[at].mstime != s->fed_ms) fc_stream_reset_decoder(s);
    }
  }
}

void fc_windows_streams_changed(filecache_t *fc, uint32_t group, bool added) {
  window_t *w = fc_window_of(fc, group);
  if (!w) return;
  size_t n = 0;
  for (size_t i = 0; i < fc->n_streams; i++)
    if (fc->streams[i]->group == group) fc->ids[n++] = fc->streams[i]->id;
  window_set_streams(w, fc->ids, n);
  if (added) window_invalidate(w);
}

void fc_windows_refresh(filecache_t *fc, bool force) {
  const int64_t now = clock_mono_us();
  const int64_t interval_us = (int64_t)fc->params.table_interval_ms * 1000;
  for (size_t i = 0; i < fc->n_windows; i++)
    if (fc->windows[i]->n_streams) window_refresh(fc->windows[i], now, interval_us, force);
}

void fc_windows_request(filecache_t *fc, int64_t t) {
  fc_windows_request_ahead(fc, t, fc->params.window_blocks);
}

void fc_windows_request_ahead(filecache_t *fc, int64_t t, uint32_t ahead) {
  for (size_t i = 0; i < fc->n_windows; i++)
    if (window_request(fc->windows[i], t, ahead)) evict(fc, fc->windows[i]);
}

void fc_windows_block_done(filecache_t *fc, const fc_item_t *marker) {
  window_t *w = fc_window_of(fc, marker->group);
  if (w && window_block_done(w, &marker->end)) evict(fc, w);
}

bool fc_windows_hold(const filecache_t *fc, uint32_t group, uint32_t block, uint64_t seq) {
  const window_t *w = fc_window_of(fc, group);
  return w && window_holds(w, block, seq);
}

bool fc_windows_ready(const filecache_t *fc, int64_t t) {
  for (size_t i = 0; i < fc->n_windows; i++)
    if (!window_ready(fc->windows[i], t)) return false;
  return true;
}

int64_t fc_windows_horizon(const filecache_t *fc) {
  int64_t h = INT64_MAX;
  for (size_t i = 0; i < fc->n_windows; i++) {
    int64_t w = window_horizon(fc->windows[i]);
    if (w < h) h = w;
  }
  return h;
}

void fc_windows_range(const filecache_t *fc, int64_t *first_ms, int64_t *last_ms) {
  int64_t first = 0, last = 0;
  for (size_t i = 0; i < fc->n_windows; i++) {
    const window_t *w = fc->windows[i];
    if (!w->have_table || !w->first_ms || !w->n_streams) continue;
    if (!first || w->first_ms < first) first = w->first_ms;
    if (w->last_ms > last) last = w->last_ms;
  }
  *first_ms = first;
  *last_ms = last;
}

void fc_windows_forget(filecache_t *fc) {
  for (size_t i = 0; i < fc->n_windows; i++) {
    window_forget(fc->windows[i]);
    evict(fc, fc->windows[i]);
  }
}
