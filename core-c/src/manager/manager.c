/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The manager's life, its callbacks and its state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>
#include <valkka/registry.h>

#include "manager/decode_pool.h"
#include "manager/manager_internal.h"
#include "plugin/find.h"
#include "base/log.h"
#include "util/alloc.h"

#define DEFAULT_DECODER "codec-ffmpeg"
#define DEFAULT_WINDOW_BLOCKS 2
#define DEFAULT_TABLE_INTERVAL_MS 1000
#define DEFAULT_SEEK_TIMEOUT_MS 2000
#define DEFAULT_PICTURE_CACHE_BYTES (64ull << 20)

/* Depth of manager callbacks the calling thread is inside (writer threads' new-block hook). */
static _Thread_local int callback_depth;

void manager_callback_enter(void) { callback_depth++; }
void manager_callback_leave(void) { callback_depth--; }

bool manager_in_callback(const valkka_manager_t *m) {
  return callback_depth > 0 || filecache_is_own_thread(m->fc);
}

static const valkka_decoder_vtable_t *find_decoder(const char *name) {
  const valkka_plugin_t *plugin = plugin_find_or_load(VALKKA_PLUGIN_DECODER, name);
  if (!plugin) {
    valkka_error_set(VALKKA_ENOENT, "manager: no decoder plugin '%s'", name);
    return NULL;
  }
  return plugin->vtable;
}

static int fill_params(valkka_manager_t *m, const valkka_manager_params_t *in) {
  valkka_manager_params_t p = {.struct_size = sizeof p};
  if (in) {
    if (in->struct_size < sizeof(uint32_t))
      return valkka_error_set(VALKKA_EINVAL, "manager_create: struct_size %u too small",
                              in->struct_size);
    memcpy(&p, in, in->struct_size < sizeof p ? in->struct_size : sizeof p);
    p.struct_size = sizeof p;
  }
  const char *decoder = p.decoder ? p.decoder : DEFAULT_DECODER;
  if (strlen(decoder) >= sizeof m->decoder_name)
    return valkka_error_set(VALKKA_EINVAL, "manager_create: decoder name too long");
  snprintf(m->decoder_name, sizeof m->decoder_name, "%s", decoder);
  p.decoder = m->decoder_name;
  if (!p.decoder_threads) p.decoder_threads = 1;
  if (!p.window_blocks) p.window_blocks = DEFAULT_WINDOW_BLOCKS;
  if (!p.table_interval_ms) p.table_interval_ms = DEFAULT_TABLE_INTERVAL_MS;
  if (!p.seek_timeout_ms) p.seek_timeout_ms = DEFAULT_SEEK_TIMEOUT_MS;
  p.decoder_workers = decode_pool_default_workers(p.decoder_workers);
  if (!p.picture_cache_bytes) p.picture_cache_bytes = DEFAULT_PICTURE_CACHE_BYTES;
  m->params = p;
  return 0;
}

/* What valkka_manager_create made once the locks exist: the locks, the lists, the struct. */
static void free_manager(valkka_manager_t *m) {
  pthread_mutex_destroy(&m->cb_lock);
  pthread_mutex_destroy(&m->groups_lock);
  pthread_mutex_destroy(&m->change_lock);
  free(m->groups);
  free(m->streams);
  free(m);
}

valkka_manager_t *valkka_manager_create(const valkka_manager_params_t *params) {
  valkka_manager_t *m = alloc_zeroed(sizeof *m, "manager: out of memory");
  if (!m) return NULL;
  filecache_params_t fp = {0};
  if (fill_params(m, params) != 0 || !(fp.decoders.vt = find_decoder(m->decoder_name))) {
    free(m);
    return NULL;
  }
  fp.decoders.fallback = strcmp(m->decoder_name, DEFAULT_DECODER) ? find_decoder(DEFAULT_DECODER)
                                                                  : NULL;
  fp.decoders.threads = m->params.decoder_threads;
  fp.seek_timeout_ms = m->params.seek_timeout_ms;
  fp.window_blocks = m->params.window_blocks;
  fp.table_interval_ms = m->params.table_interval_ms;
  fp.decoder_workers = m->params.decoder_workers;
  fp.picture_cache_bytes = m->params.picture_cache_bytes;
  pthread_mutex_init(&m->change_lock, NULL);
  pthread_mutex_init(&m->groups_lock, NULL);
  pthread_mutex_init(&m->cb_lock, NULL);
  m->next_serial = 1;
  if (!(m->fc = filecache_start(&fp))) {
    free_manager(m);
    return NULL;
  }
  return m;
}

void valkka_manager_destroy(valkka_manager_t *m) {
  if (!m) return;
  if (manager_in_callback(m)) {
    LOG_ERROR("manager", "valkka_manager_destroy called from a callback of the manager: ignored");
    return;
  }
  manager_stop_fs_threads(m); /* no new-block callback, nor table event for the cache, after this */
  filecache_stop(m->fc);  /* nor output, time or time-limits callback; the loaders are stopped */
  manager_drop_groups(m); /* the FS the manager opened close here */
  free_manager(m);
}

int valkka_manager_set_time_callback(valkka_manager_t *m, valkka_manager_time_fn cb, void *user) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_set_time_callback: NULL manager");
  filecache_set_time_callback(m->fc, cb, user);
  return 0;
}

int valkka_manager_set_time_limits_callback(valkka_manager_t *m, valkka_manager_time_limits_fn cb,
                                            void *user) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_set_time_limits_callback: NULL manager");
  filecache_set_time_limits_callback(m->fc, cb, user);
  return 0;
}

int valkka_manager_set_block_callback(valkka_manager_t *m, valkka_manager_block_fn cb, void *user) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_set_block_callback: NULL manager");
  pthread_mutex_lock(&m->cb_lock);
  m->block_cb = (mgr_block_cb_t){cb, user};
  pthread_mutex_unlock(&m->cb_lock);
  return 0;
}

int valkka_manager_get_state(valkka_manager_t *m, valkka_manager_state_t *state) {
  if (!m || !state || !state->struct_size)
    return valkka_error_set(VALKKA_EINVAL, "manager_get_state: NULL argument or struct_size 0");
  filecache_get_state(m->fc, state);
  return 0;
}

int valkka_manager_get_current_time(valkka_manager_t *m, int64_t *mstime) {
  if (!m || !mstime)
    return valkka_error_set(VALKKA_EINVAL, "manager_get_current_time: NULL argument");
  *mstime = filecache_current(m->fc);
  return 0;
}
