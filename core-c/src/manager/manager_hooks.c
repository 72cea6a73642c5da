/*
 * The manager's answers to the file cache (filecache_hooks_t), on the cache thread: the wiring of
 * the original design, where the heartbeat re-reads block tables (readBlockTablesIf) and asks every
 * FSGroup for the blocks around the playhead (reqBlocksIf).
 */
#include "manager/manager_internal.h"
#include "util/clock.h"

static fsgroup_t *group_of(valkka_manager_t *m, uint32_t serial) {
  for (size_t i = 0; i < m->n_groups; i++)
    if (m->groups[i]->serial == serial) return m->groups[i];
  return NULL;
}

static void refresh(void *user, bool force) {
  valkka_manager_t *m = user;
  const int64_t now = valkka_clock_mono_us();
  pthread_mutex_lock(&m->lock);
  for (size_t i = 0; i < m->n_groups; i++)
    if (fsgroup_has_maps(m->groups[i]))
      fsgroup_refresh(m->groups[i], now, (int64_t)m->params.table_interval_ms * 1000, force);
  pthread_mutex_unlock(&m->lock);
}

static void request(void *user, int64_t t) {
  valkka_manager_t *m = user;
  pthread_mutex_lock(&m->lock);
  for (size_t i = 0; i < m->n_groups; i++) fsgroup_request(m->groups[i], t, m->params.window_blocks);
  pthread_mutex_unlock(&m->lock);
}

static void block_done(void *user, uint32_t group, uint32_t block, uint64_t seq, uint32_t records,
                       uint64_t generation, int result, int64_t max_ms) {
  valkka_manager_t *m = user;
  pthread_mutex_lock(&m->lock);
  fsgroup_t *g = group_of(m, group);
  if (g) fsgroup_block_done(g, block, seq, records, generation, result, max_ms);
  pthread_mutex_unlock(&m->lock);
}

static bool wanted(void *user, uint32_t group, uint32_t block, uint64_t seq) {
  valkka_manager_t *m = user;
  pthread_mutex_lock(&m->lock);
  fsgroup_t *g = group_of(m, group);
  bool yes = g && fsgroup_wanted(g, block, seq);
  pthread_mutex_unlock(&m->lock);
  return yes;
}

static bool ready(void *user) {
  valkka_manager_t *m = user;
  bool all = true;
  pthread_mutex_lock(&m->lock);
  for (size_t i = 0; i < m->n_groups && all; i++) all = fsgroup_ready(m->groups[i]);
  pthread_mutex_unlock(&m->lock);
  return all;
}

static int64_t horizon(void *user) {
  valkka_manager_t *m = user;
  int64_t h = INT64_MAX;
  pthread_mutex_lock(&m->lock);
  for (size_t i = 0; i < m->n_groups; i++) {
    int64_t g = fsgroup_horizon(m->groups[i]);
    if (g < h) h = g;
  }
  pthread_mutex_unlock(&m->lock);
  return h;
}

static void range(void *user, int64_t *first_ms, int64_t *last_ms) {
  valkka_manager_t *m = user;
  int64_t first = 0, last = 0;
  pthread_mutex_lock(&m->lock);
  for (size_t i = 0; i < m->n_groups; i++) {
    const fsgroup_t *g = m->groups[i];
    if (!g->have_table || !g->first_ms || !fsgroup_has_maps(m->groups[i])) continue;
    if (!first || g->first_ms < first) first = g->first_ms;
    if (g->last_ms > last) last = g->last_ms;
  }
  pthread_mutex_unlock(&m->lock);
  *first_ms = first;
  *last_ms = last;
}

static void stream_added(void *user, uint32_t group) {
  valkka_manager_t *m = user;
  pthread_mutex_lock(&m->lock);
  fsgroup_t *g = group_of(m, group);
  if (g) fsgroup_invalidate(g);
  pthread_mutex_unlock(&m->lock);
}

static void forget(void *user) {
  valkka_manager_t *m = user;
  pthread_mutex_lock(&m->lock);
  for (size_t i = 0; i < m->n_groups; i++) fsgroup_forget(m->groups[i]);
  pthread_mutex_unlock(&m->lock);
}

filecache_hooks_t manager_hooks(valkka_manager_t *m) {
  return (filecache_hooks_t){
      .user = m,
      .refresh = refresh,
      .request = request,
      .block_done = block_done,
      .wanted = wanted,
      .ready = ready,
      .horizon = horizon,
      .range = range,
      .stream_added = stream_added,
      .forget = forget,
  };
}
