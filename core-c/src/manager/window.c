/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The window of one FS (window.h): the table copy, reqBlocksIf and the lifecycle of its uses. */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "manager/window.h"
#include "base/log.h"
#include "util/clock.h"

/* A table marked changed by a writer's event is re-read at most this often (unless forced). */
#define DIRTY_MIN_US 100000
/* Rule 8: a failed read of a remote FS is asked again this often (a server restarting). */
#define RETRY_US 500000

int window_create(valkka_fs_t *fs, uint32_t group, filecache_t *fc, window_t **out) {
  valkka_fs_info_t info = {.struct_size = sizeof info};
  int err = valkka_fs_get_info(fs, &info);
  if (err) return err;
  window_t *w = calloc(1, sizeof *w);
  if (!w || !(w->table = calloc(info.n_blocks ? info.n_blocks : 1, sizeof *w->table))) {
    free(w);
    return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for an FS of %u blocks",
                            info.n_blocks);
  }
  w->group = group;
  w->fs = fs;
  w->n_blocks = info.n_blocks;
  w->remote = VALKKA_HAS_FIELD(&info, valkka_fs_info_t, remote) && info.remote;
  if (!(w->loader = loader_start(fs, group, fc))) {
    free(w->table);
    free(w);
    return VALKKA_ENOMEM;
  }
  *out = w;
  return 0;
}

void window_destroy(window_t *w) {
  if (!w) return;
  loader_stop(w->loader);
  free(w->table);
  free(w->blocks);
  free(w->pulls);
  free(w->run);
  free(w);
}

void window_set_streams(window_t *w, const uint32_t *ids, size_t n) {
  w->n_streams = n;
  if (loader_set_ids(w->loader, ids, n) != 0)
    LOG_WARN("manager", "loader: %s", valkka_last_error());
}

/* ------------------------------------------------------------------------------------------ */
/* The table copy                                                                             */

static void read_table(window_t *w, int64_t now_us) {
  /* Cleared first: an event during the read marks the copy stale again. */
  w->dirty = false;
  w->table[0].struct_size = sizeof *w->table;
  int n = valkka_fs_read_table(w->fs, w->table, w->n_blocks);
  if (n < 0) {
    LOG_WARN("manager", "block table: %s", valkka_last_error());
    return;
  }
  int64_t first = 0, last = 0;
  for (uint32_t i = 0; i < w->n_blocks; i++) {
    const valkka_fs_block_t *b = &w->table[i];
    if (b->flags & VALKKA_FS_BLOCK_CURRENT) w->cur_block = i;
    if (b->flags & VALKKA_FS_BLOCK_VOID) continue;
    if (!first || b->min_ms < first) first = b->min_ms;
    if (b->max_ms > last) last = b->max_ms;
  }
  w->first_ms = first;
  w->last_ms = last;
  w->have_table = true;
  w->table_us = now_us;
}

void window_refresh(window_t *w, int64_t now_us, int64_t interval_us, bool force) {
  const int64_t age = now_us - w->table_us;
  const bool changed = w->dirty && (force || age >= DIRTY_MIN_US);
  if (w->have_table && !changed && age < interval_us) return;
  read_table(w, now_us);
}

/* ------------------------------------------------------------------------------------------ */
/* The window                                                                                 */

static const window_block_t *find_block(const window_t *w, uint32_t index, uint64_t seq) {
  for (size_t i = 0; i < w->n_window; i++)
    if (w->blocks[i].index == index && w->blocks[i].seq == seq) return &w->blocks[i];
  return NULL;
}

static bool complete(const window_block_t *b) {
  return b->loaded && b->loaded_records >= b->records;
}

/* The run of blocks for `t`, from the live table, into w->run; its length (0 when none). */
static size_t find_run(window_t *w, int64_t t, uint32_t ahead) {
  for (int attempt = 0; attempt < 2; attempt++) {
    int n = valkka_fs_get_ind_neigh(w->fs, t, ahead, w->run, (uint32_t)w->cap_run);
    if (n < 0) {
      LOG_WARN("manager", "index search: %s", valkka_last_error());
      return 0;
    }
    if ((size_t)n <= w->cap_run) return (size_t)n;
    uint32_t *grown = realloc(w->run, (size_t)n * sizeof *grown);
    if (!grown) return w->cap_run;
    w->run = grown;
    w->cap_run = (size_t)n;
  }
  return w->cap_run;
}

static int grow_window(window_t *w, size_t n) {
  if (n <= w->cap_window) return 0;
  window_block_t *blocks = realloc(w->blocks, n * sizeof *blocks);
  loader_pull_t *pulls = blocks ? realloc(w->pulls, n * sizeof *pulls) : NULL;
  if (blocks) w->blocks = blocks;
  if (pulls) w->pulls = pulls;
  if (!blocks || !pulls)
    return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for a window");
  w->cap_window = n;
  return 0;
}

/* Asks the loader for every block of the window not loaded as it stands in the table. */
/* Rule 8: a use whose read failed, not to be asked again yet. */
static bool waiting_retry(const window_block_t *b, int64_t now_us) {
  return !b->requested && b->retry_us > now_us;
}

static void pull_missing(window_t *w) {
  size_t n = 0;
  bool same = true;
  const int64_t now_us = clock_mono_us();
  for (size_t i = 0; i < w->n_window; i++) {
    window_block_t *b = &w->blocks[i];
    if (complete(b) || waiting_retry(b, now_us)) continue;
    if (!(b->requested && b->requested_records == b->records)) same = false;
    w->pulls[n++] = (loader_pull_t){b->index, b->seq, b->records, b->loaded_end};
  }
  /* Returns at once when the same blocks are requested already. */
  if (same) return;
  uint64_t generation = 0;
  if (loader_request(w->loader, w->pulls, n, &generation) != 0) {
    LOG_WARN("manager", "loader: %s", valkka_last_error());
    return;
  }
  for (size_t i = 0; i < w->n_window; i++) {
    window_block_t *b = &w->blocks[i];
    if (waiting_retry(b, now_us)) continue;
    b->requested = !complete(b);
    b->requested_records = b->records;
    if (!b->since_gen) b->since_gen = generation;
  }
}

bool window_request(window_t *w, int64_t t, uint32_t ahead) {
  if (w->n_streams && !w->have_table) read_table(w, clock_mono_us());
  if (!w->n_streams || !w->first_ms) {
    if (!w->n_window) return false;
    window_forget(w);
    return true;
  }
  /* Streams of an FS whose recording starts later or ended earlier show its edge frames. */
  const int64_t at = t < w->first_ms ? w->first_ms : t > w->last_ms ? w->last_ms : t;
  const size_t n = find_run(w, at, ahead);
  if (!n || grow_window(w, n + w->n_window) != 0) return false;

  /* The new window, after the old one in the same array; carried-over state kept. */
  window_block_t *next = &w->blocks[w->n_window];
  size_t m = 0;
  bool same = true;
  for (size_t i = 0; i < n; i++) {
    const valkka_fs_block_t *e = &w->table[w->run[i]];
    if (e->flags & VALKKA_FS_BLOCK_VOID) {
      /* The live table has it, our copy not yet: read the copy again next time. */
      w->dirty = true;
      continue;
    }
    window_block_t b = {.index = e->index,
                        .seq = e->seq,
                        .records = e->records,
                        .min_ms = e->min_ms,
                        .max_ms = e->max_ms};
    const window_block_t *old = find_block(w, b.index, b.seq);
    if (old) {
      b.since_gen = old->since_gen;
      b.requested = old->requested;
      b.requested_records = old->requested_records;
      b.loaded = old->loaded;
      b.loaded_records = old->loaded_records;
      b.loaded_max_ms = old->loaded_max_ms;
      b.retry_us = old->retry_us;
      b.loaded_end = old->loaded_end;
    }
    if (!old || old->records != b.records || m >= w->n_window || w->blocks[m].index != b.index)
      same = false;
    next[m++] = b;
  }
  if (same && m == w->n_window) {
    pull_missing(w);
    return false;
  }
  memmove(w->blocks, next, m * sizeof *next);
  w->n_window = m;
  pull_missing(w);
  return true;
}

/* Window use `at` turned out overwritten (rule 5): it goes with every older use of the window,
   and the table copy that named them is read again. */
static void drop_overwritten(window_t *w, size_t at) {
  memmove(w->blocks, w->blocks + at + 1, (w->n_window - at - 1) * sizeof *w->blocks);
  w->n_window -= at + 1;
  read_table(w, clock_mono_us());
}

bool window_block_done(window_t *w, const loader_marker_t *marker) {
  const uint32_t records = marker->pull.records;
  window_block_t *b = (window_block_t *)find_block(w, marker->pull.index, marker->pull.seq);
  if (marker->result == VALKKA_ENOENT) { /* reused before or during the read: whatever generation */
    if (b) {
      drop_overwritten(w, (size_t)(b - w->blocks));
      return true;
    }
    w->dirty = true;
    return false;
  }
  /* Rule 3: a read begun before the use (re)entered the window counts for nothing. */
  if (!b || !b->since_gen || marker->generation < b->since_gen) return false;
  if (marker->result < 0 && w->remote) {
    /* What the read delivered is in; the rest comes when the server answers again. */
    if (marker->max_ms > b->loaded_max_ms) b->loaded_max_ms = marker->max_ms;
    b->requested = false;
    b->retry_us = clock_mono_us() + RETRY_US;
    return false;
  }
  b->loaded = true;
  /* Rule 4: the next load of this use reads on from here (a load from an earlier point that
     ends before it leaves it). */
  if (marker->pull.from == b->loaded_end && marker->end > b->loaded_end)
    b->loaded_end = marker->end;
  if (records > b->loaded_records) b->loaded_records = records;
  if (marker->max_ms > b->loaded_max_ms) b->loaded_max_ms = marker->max_ms;
  if (b->requested && b->requested_records <= records) b->requested = false;
  return false;
}

bool window_holds(const window_t *w, uint32_t block, uint64_t seq) {
  return find_block(w, block, seq) != NULL;
}

bool window_ready(const window_t *w, int64_t t) {
  for (size_t i = 0; i < w->n_window; i++)
    if (w->blocks[i].min_ms <= t && !complete(&w->blocks[i])) return false;
  return true;
}

/* The first non-void block after `index` in write order, or -1 when `index` is the newest. */
static int64_t next_block(const window_t *w, uint32_t index) {
  uint32_t i = index;
  for (uint32_t k = 0; k < w->n_blocks && i != w->cur_block; k++) {
    i = (i + 1) % w->n_blocks;
    if (!(w->table[i].flags & VALKKA_FS_BLOCK_VOID)) return i;
  }
  return -1;
}

int64_t window_horizon(const window_t *w) {
  if (!w->n_window) return INT64_MAX;
  for (size_t i = 0; i < w->n_window; i++) {
    const window_block_t *b = &w->blocks[i];
    if (complete(b)) continue;
    /* Frames up to the newest one an earlier read delivered are in; the rest may still come. */
    if (b->loaded) return b->loaded_max_ms;
    if (b->retry_us && b->loaded_max_ms >= b->min_ms) return b->loaded_max_ms; /* rule 8 */
    return b->min_ms - 1;
  }
  int64_t next = next_block(w, w->blocks[w->n_window - 1].index);
  return next < 0 ? INT64_MAX : w->table[next].min_ms - 1;
}

void window_invalidate(window_t *w) {
  for (size_t i = 0; i < w->n_window; i++) {
    w->blocks[i].loaded = false;
    w->blocks[i].loaded_records = 0;
    w->blocks[i].loaded_end = 0;    /* the new stream's frames are in the bytes read already */
    w->blocks[i].requested = false; /* a read under way may have skipped the new stream */
    w->blocks[i].since_gen = 0;
  }
}

void window_forget(window_t *w) {
  w->n_window = 0;
  loader_request(w->loader, NULL, 0, NULL);
}
