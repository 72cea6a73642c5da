/*
 * FSGroup: the maps, readBlockTableIf, reqBlocksIf and the window around the playhead.
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "manager/fsgroup.h"
#include "util/clock.h"
#include "util/log_internal.h"

/* A table marked changed by a new-block event is re-read at most this often (unless forced). */
#define DIRTY_MIN_US 100000
#define DEFAULT_PROGRESS_MS 500

static void writer_hook(void *user, const valkka_fs_block_event_t *event) {
  fsgroup_t *g = user;
  atomic_store(&g->dirty, true);
  if (g->on_block) g->on_block(g->on_block_user, g, event);
}

int fsgroup_create(uint32_t serial, valkka_fs_t *fs, bool owned, filecache_t *fc, fsgroup_t **out) {
  valkka_fs_info_t info = {.struct_size = sizeof info};
  int err = valkka_fs_get_info(fs, &info);
  if (err) return err;
  fsgroup_t *g = calloc(1, sizeof *g);
  if (!g || !(g->table = calloc(info.n_blocks ? info.n_blocks : 1, sizeof *g->table))) {
    free(g);
    return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for an FS of %u blocks",
                            info.n_blocks);
  }
  g->serial = serial;
  g->fs = fs;
  g->owned = owned;
  g->fc = fc;
  g->n_blocks = info.n_blocks;
  atomic_init(&g->dirty, false);
  pthread_mutex_init(&g->lock, NULL);
  if (!(g->loader = fsg_loader_start(g))) {
    pthread_mutex_destroy(&g->lock);
    free(g->table);
    free(g);
    return VALKKA_ENOMEM;
  }
  *out = g;
  return 0;
}

int fsgroup_start_writer(fsgroup_t *g, const valkka_manager_fs_params_t *params) {
  valkka_fs_writer_params_t wp = {.struct_size = sizeof wp, .on_block = writer_hook, .user = g};
  wp.progress_ms = DEFAULT_PROGRESS_MS;
  if (params) {
    if (VALKKA_HAS_FIELD(params, valkka_manager_fs_params_t, queue_length))
      wp.queue_length = params->queue_length;
    if (VALKKA_HAS_FIELD(params, valkka_manager_fs_params_t, frame_capacity))
      wp.frame_capacity = params->frame_capacity;
    if (VALKKA_HAS_FIELD(params, valkka_manager_fs_params_t, progress_ms) && params->progress_ms)
      wp.progress_ms = params->progress_ms;
  }
  int err = valkka_fs_writer_start(g->fs, &wp);
  if (!err) g->writer_started = true;
  return err;
}

void fsgroup_stop_loader(fsgroup_t *g) { fsg_loader_halt(g->loader); }

void fsgroup_destroy(fsgroup_t *g) {
  if (!g) return;
  fsg_loader_free(g->loader);
  if (g->writer_started) valkka_fs_writer_stop(g->fs);
  for (size_t i = 0; i < g->n_maps; i++)
    if (g->maps[i].write_slot != VALKKA_MANAGER_NO_SLOT) valkka_fs_unmap(g->fs, g->maps[i].write_slot);
  if (g->owned) valkka_fs_close(g->fs);
  pthread_mutex_destroy(&g->lock);
  free(g->maps);
  free(g->table);
  free(g->window);
  free(g->pulls);
  free(g->run);
  free(g);
}

int fsgroup_map_add(fsgroup_t *g, uint32_t id, uint32_t write_slot) {
  int err = 0;
  pthread_mutex_lock(&g->lock);
  for (size_t i = 0; i < g->n_maps && !err; i++)
    if (g->maps[i].id == id) err = valkka_error_set(VALKKA_EEXIST, "manager: stream %u is mapped already", id);
  if (!err && g->n_maps == g->cap_maps) {
    size_t cap = g->cap_maps ? g->cap_maps * 2 : 8;
    fsg_map_t *grown = realloc(g->maps, cap * sizeof *grown);
    if (!grown)
      err = valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for a map");
    else {
      g->maps = grown;
      g->cap_maps = cap;
    }
  }
  if (!err) g->maps[g->n_maps++] = (fsg_map_t){id, write_slot};
  pthread_mutex_unlock(&g->lock);
  return err;
}

int fsgroup_map_remove(fsgroup_t *g, uint32_t id, uint32_t *write_slot) {
  int err = VALKKA_ENOENT;
  pthread_mutex_lock(&g->lock);
  for (size_t i = 0; i < g->n_maps; i++) {
    if (g->maps[i].id != id) continue;
    *write_slot = g->maps[i].write_slot;
    g->maps[i] = g->maps[--g->n_maps];
    err = 0;
    break;
  }
  pthread_mutex_unlock(&g->lock);
  return err ? valkka_error_set(err, "manager: stream %u is not mapped", id) : 0;
}

bool fsgroup_has_maps(fsgroup_t *g) {
  pthread_mutex_lock(&g->lock);
  bool any = g->n_maps > 0;
  pthread_mutex_unlock(&g->lock);
  return any;
}

size_t fsgroup_map_ids(fsgroup_t *g, uint32_t *ids, size_t max) {
  pthread_mutex_lock(&g->lock);
  size_t n = g->n_maps;
  for (size_t i = 0; i < n && i < max; i++) ids[i] = g->maps[i].id;
  pthread_mutex_unlock(&g->lock);
  return n;
}

/* ------------------------------------------------------------------------------------------ */
/* The table copy                                                                             */

static void read_table(fsgroup_t *g, int64_t now_us) {
  /* Cleared first: an event during the read marks the copy stale again. */
  atomic_store(&g->dirty, false);
  g->table[0].struct_size = sizeof *g->table;
  int n = valkka_fs_read_table(g->fs, g->table, g->n_blocks);
  if (n < 0) {
    LOG_WARN("manager", "block table: %s", valkka_last_error());
    return;
  }
  int64_t first = 0, last = 0;
  for (uint32_t i = 0; i < g->n_blocks; i++) {
    const valkka_fs_block_t *b = &g->table[i];
    if (b->flags & VALKKA_FS_BLOCK_CURRENT) g->cur_block = i;
    if (b->flags & VALKKA_FS_BLOCK_VOID) continue;
    if (!first || b->min_ms < first) first = b->min_ms;
    if (b->max_ms > last) last = b->max_ms;
  }
  g->first_ms = first;
  g->last_ms = last;
  g->have_table = true;
  g->table_us = now_us;
}

void fsgroup_refresh(fsgroup_t *g, int64_t now_us, int64_t interval_us, bool force) {
  const int64_t age = now_us - g->table_us;
  const bool changed = atomic_load(&g->dirty) && (force || age >= DIRTY_MIN_US);
  if (g->have_table && !changed && age < interval_us) return;
  read_table(g, now_us);
}

/* ------------------------------------------------------------------------------------------ */
/* The window                                                                                 */

static const fsg_block_t *find_block(const fsgroup_t *g, uint32_t index, uint64_t seq) {
  for (size_t i = 0; i < g->n_window; i++)
    if (g->window[i].index == index && g->window[i].seq == seq) return &g->window[i];
  return NULL;
}

static bool complete(const fsg_block_t *b) { return b->loaded && b->loaded_records >= b->records; }

static bool keep_in_window(void *user, uint32_t block, uint64_t seq) {
  return find_block(user, block, seq) != NULL;
}

static bool keep_nothing(void *user, uint32_t block, uint64_t seq) {
  (void)user, (void)block, (void)seq;
  return false;
}

/* The run of blocks for `t`, from the live table, into g->run; its length (0 when none). */
static size_t find_run(fsgroup_t *g, int64_t t, uint32_t ahead) {
  for (int attempt = 0; attempt < 2; attempt++) {
    int n = valkka_fs_get_ind_neigh(g->fs, t, ahead, g->run, (uint32_t)g->cap_run);
    if (n < 0) {
      LOG_WARN("manager", "index search: %s", valkka_last_error());
      return 0;
    }
    if ((size_t)n <= g->cap_run) return (size_t)n;
    uint32_t *grown = realloc(g->run, (size_t)n * sizeof *grown);
    if (!grown) return g->cap_run;
    g->run = grown;
    g->cap_run = (size_t)n;
  }
  return g->cap_run;
}

static int grow_window(fsgroup_t *g, size_t n) {
  if (n <= g->cap_window) return 0;
  fsg_block_t *w = realloc(g->window, n * sizeof *w);
  fsg_pull_t *p = w ? realloc(g->pulls, n * sizeof *p) : NULL;
  if (w) g->window = w;
  if (p) g->pulls = p;
  if (!w || !p) return valkka_error_set(VALKKA_ENOMEM, "manager: out of memory for a window");
  g->cap_window = n;
  return 0;
}

/* Asks the loader for every block of the window not loaded as it stands in the table. */
static void pull_missing(fsgroup_t *g) {
  size_t n = 0;
  bool same = true;
  for (size_t i = 0; i < g->n_window; i++) {
    fsg_block_t *b = &g->window[i];
    if (complete(b)) continue;
    if (!(b->requested && b->requested_records == b->records)) same = false;
    g->pulls[n++] = (fsg_pull_t){b->index, b->seq, b->records};
  }
  /* Returns at once when the same blocks are requested already. */
  if (same) return;
  uint64_t generation = 0;
  if (fsg_loader_request(g->loader, g->pulls, n, &generation) != 0) {
    LOG_WARN("manager", "loader: %s", valkka_last_error());
    return;
  }
  for (size_t i = 0; i < g->n_window; i++) {
    fsg_block_t *b = &g->window[i];
    b->requested = !complete(b);
    b->requested_records = b->records;
    if (!b->since_gen) b->since_gen = generation;
  }
}

void fsgroup_request(fsgroup_t *g, int64_t t, uint32_t ahead) {
  if (!fsgroup_has_maps(g)) {
    if (g->n_window) fsgroup_forget(g);
    return;
  }
  if (!g->have_table) read_table(g, valkka_clock_mono_us());
  if (!g->first_ms) {
    if (g->n_window) fsgroup_forget(g);
    return;
  }
  /* Streams of an FS whose recording starts later or ended earlier show its edge frames. */
  const int64_t at = t < g->first_ms ? g->first_ms : t > g->last_ms ? g->last_ms : t;
  const size_t n = find_run(g, at, ahead);
  if (!n || grow_window(g, n + g->n_window) != 0) return;

  /* The new window, after the old one in the same array; carried-over state kept. */
  fsg_block_t *next = &g->window[g->n_window];
  size_t m = 0;
  bool same = true;
  for (size_t i = 0; i < n; i++) {
    const valkka_fs_block_t *e = &g->table[g->run[i]];
    if (e->flags & VALKKA_FS_BLOCK_VOID) {
      /* The live table has it, our copy not yet: read the copy again next time. */
      atomic_store(&g->dirty, true);
      continue;
    }
    fsg_block_t b = {.index = e->index, .seq = e->seq, .records = e->records,
                     .min_ms = e->min_ms, .max_ms = e->max_ms};
    const fsg_block_t *old = find_block(g, b.index, b.seq);
    if (old) {
      b.since_gen = old->since_gen;
      b.requested = old->requested;
      b.requested_records = old->requested_records;
      b.loaded = old->loaded;
      b.loaded_records = old->loaded_records;
      b.loaded_max_ms = old->loaded_max_ms;
    }
    if (!old || old->records != b.records || m >= g->n_window || g->window[m].index != b.index)
      same = false;
    next[m++] = b;
  }
  if (same && m == g->n_window) {
    pull_missing(g);
    return;
  }
  memmove(g->window, next, m * sizeof *next);
  g->n_window = m;
  filecache_evict(g->fc, g->serial, keep_in_window, g);
  pull_missing(g);
}

/* Window block `at` turned out overwritten: the FS reuses blocks in write order, so every block
   before it in the window (older) is overwritten too. Their frames go, so no decoder goes on
   across the hole (one standing on a dropped frame restarts at a keyframe: filecache_evict); the
   table copy that named those uses is re-read, and the playhead, now on data no longer recorded,
   moves to the oldest data left at the next heartbeat (as when the FS wraps under it). */
static void drop_overwritten(fsgroup_t *g, size_t at) {
  memmove(g->window, g->window + at + 1, (g->n_window - at - 1) * sizeof *g->window);
  g->n_window -= at + 1;
  filecache_evict(g->fc, g->serial, keep_in_window, g);
  read_table(g, valkka_clock_mono_us());
}

void fsgroup_block_done(fsgroup_t *g, uint32_t block, uint64_t seq, uint32_t records,
                        uint64_t generation, int result, int64_t max_ms) {
  fsg_block_t *b = (fsg_block_t *)find_block(g, block, seq);
  if (result == VALKKA_ENOENT) { /* reused before or during the read: whatever generation */
    if (b) drop_overwritten(g, (size_t)(b - g->window));
    else atomic_store(&g->dirty, true);
    return;
  }
  /* A read begun before the block (re)entered the window: some of its frames were dropped. */
  if (!b || !b->since_gen || generation < b->since_gen) return;
  b->loaded = true;
  if (records > b->loaded_records) b->loaded_records = records;
  if (max_ms > b->loaded_max_ms) b->loaded_max_ms = max_ms;
  if (b->requested && b->requested_records <= records) b->requested = false;
}

bool fsgroup_wanted(const fsgroup_t *g, uint32_t block, uint64_t seq) {
  return find_block(g, block, seq) != NULL;
}

bool fsgroup_ready(const fsgroup_t *g) {
  for (size_t i = 0; i < g->n_window; i++)
    if (!complete(&g->window[i])) return false;
  return true;
}

/* The first non-void block after `index` in write order, or -1 when `index` is the newest. */
static int64_t next_block(const fsgroup_t *g, uint32_t index) {
  uint32_t i = index;
  for (uint32_t k = 0; k < g->n_blocks && i != g->cur_block; k++) {
    i = (i + 1) % g->n_blocks;
    if (!(g->table[i].flags & VALKKA_FS_BLOCK_VOID)) return i;
  }
  return -1;
}

int64_t fsgroup_horizon(const fsgroup_t *g) {
  if (!g->n_window) return INT64_MAX;
  for (size_t i = 0; i < g->n_window; i++) {
    const fsg_block_t *b = &g->window[i];
    if (complete(b)) continue;
    /* Frames up to the newest one an earlier read delivered are in; the rest may still come. */
    if (b->loaded) return b->loaded_max_ms;
    return b->min_ms - 1;
  }
  int64_t next = next_block(g, g->window[g->n_window - 1].index);
  return next < 0 ? INT64_MAX : g->table[next].min_ms - 1;
}

void fsgroup_invalidate(fsgroup_t *g) {
  for (size_t i = 0; i < g->n_window; i++) {
    g->window[i].loaded = false;
    g->window[i].loaded_records = 0;
    g->window[i].requested = false; /* a read under way may have skipped the new stream */
    g->window[i].since_gen = 0;
  }
}

void fsgroup_forget(fsgroup_t *g) {
  g->n_window = 0;
  filecache_evict(g->fc, g->serial, keep_nothing, NULL);
  fsg_loader_request(g->loader, NULL, 0, NULL);
}
