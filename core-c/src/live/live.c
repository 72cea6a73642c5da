/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* live.h: the live object, its list of cameras and the calls that reach them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <valkka/registry.h>

#include "live/fs_source.h"
#include "live/live_internal.h"
#include "live/source_thread.h"
#include "plugin/find.h"
#include "util/array.h"
#include "base/log.h"
#include "util/alloc.h"

static const valkka_live_config_t defaults = {
    .struct_size = sizeof(valkka_live_config_t),
    .stall_ms = 5000,
    .stall_reconnect_ms = 0, /* 3 x stall_ms */
    .backoff_initial_ms = 500,
    .backoff_max_ms = 10000,
    .max_attempts = 0,
    .decode_queue = 25,
    .decode_threads = 1,
    .settings_attempts = 3,
};

const char *valkka_stream_state_name(uint32_t state) {
  switch (state) {
    case VALKKA_STREAM_CONNECTING: return "connecting";
    case VALKKA_STREAM_STREAMING: return "streaming";
    case VALKKA_STREAM_STALLED: return "stalled";
    case VALKKA_STREAM_RECONNECTING: return "reconnecting";
    case VALKKA_STREAM_FAILED: return "failed";
    case VALKKA_STREAM_ENDED: return "ended";
    default: return "unknown";
  }
}

/* A field the caller's struct covers and set non-zero, else the default. */
#define CONFIG_FIELD(cfg, field)                                                              \
  ((cfg) && VALKKA_HAS_FIELD(cfg, valkka_live_config_t, field) && (cfg)->field ? (cfg)->field \
                                                                               : defaults.field)

valkka_live_t *valkka_live_create(const valkka_live_config_t *config) {
  if (config && config->struct_size < sizeof(uint32_t)) {
    valkka_error_set(VALKKA_EINVAL, "live_create: config struct_size %u", config->struct_size);
    return NULL;
  }
  valkka_live_t *live = alloc_zeroed(sizeof *live, "live_create: out of memory");
  if (!live) return NULL;
  live->config = (valkka_live_config_t){
      .struct_size = sizeof live->config,
      .stall_ms = CONFIG_FIELD(config, stall_ms),
      .stall_reconnect_ms = CONFIG_FIELD(config, stall_reconnect_ms),
      .backoff_initial_ms = CONFIG_FIELD(config, backoff_initial_ms),
      .backoff_max_ms = CONFIG_FIELD(config, backoff_max_ms),
      .max_attempts = CONFIG_FIELD(config, max_attempts),
      .decode_queue = CONFIG_FIELD(config, decode_queue),
      .decode_threads = CONFIG_FIELD(config, decode_threads),
      .settings_attempts = CONFIG_FIELD(config, settings_attempts),
  };
  valkka_live_config_t *c = &live->config;
  if (!c->stall_reconnect_ms) c->stall_reconnect_ms = 3 * c->stall_ms;
  if (c->stall_reconnect_ms < c->stall_ms) c->stall_reconnect_ms = c->stall_ms;
  if (c->backoff_max_ms < c->backoff_initial_ms) c->backoff_max_ms = c->backoff_initial_ms;
  pthread_mutex_init(&live->change_lock, NULL);
  pthread_mutex_init(&live->cameras_lock, NULL);
  return live;
}

/* The calling thread belongs to one of the cameras: it must not wait for their threads. */
static bool on_own_thread(valkka_live_t *live) {
  bool own = false;
  pthread_mutex_lock(&live->cameras_lock);
  for (size_t i = 0; i < live->n_cameras && !own; i++)
    own = live_camera_is_own_thread(live->cameras[i]);
  pthread_mutex_unlock(&live->cameras_lock);
  return own;
}

void valkka_live_destroy(valkka_live_t *live) {
  if (!live) return;
  if (on_own_thread(live)) {
    LOG_ERROR(
        "live",
        "valkka_live_destroy called from a live callback: refused (it would wait for itself)");
    return;
  }
  pthread_mutex_lock(&live->change_lock);
  pthread_mutex_lock(&live->cameras_lock);
  size_t n = 0;
  live_camera_t **cameras =
      array_take((void **)&live->cameras, &live->n_cameras, &live->cap_cameras, &n);
  pthread_mutex_unlock(&live->cameras_lock);
  /* Stop them all first, then join: cameras wind down in parallel. */
  for (size_t i = 0; i < n; i++) live_camera_request_stop(cameras[i]);
  for (size_t i = 0; i < n; i++) live_camera_destroy(cameras[i]);
  pthread_mutex_unlock(&live->change_lock);
  free(cameras);
  pthread_mutex_destroy(&live->cameras_lock);
  pthread_mutex_destroy(&live->change_lock);
  free(live);
}

static const char *source_for_url(const char *url) {
  if (strncasecmp(url, "rtsp://", 7) == 0 || strncasecmp(url, "rtsps://", 8) == 0)
    return "source-rtsp";
  if (strncasecmp(url, "synthetic://", 12) == 0) return "source-synthetic";
  return "source-file";
}

static live_camera_t *find_camera_locked(valkka_live_t *live, uint32_t slot, size_t *index) {
  for (size_t i = 0; i < live->n_cameras; i++)
    if (live->cameras[i]->slot == slot) {
      if (index) *index = i;
      return live->cameras[i];
    }
  return NULL;
}

static int insert_locked(valkka_live_t *live, live_camera_t *cam) {
  if (find_camera_locked(live, cam->slot, NULL))
    return valkka_error_set(VALKKA_EEXIST, "live: slot %u is taken", cam->slot);
  if (array_reserve((void **)&live->cameras, &live->cap_cameras, live->n_cameras + 1,
                    sizeof *live->cameras, 8))
    return valkka_error_set(VALKKA_ENOMEM, "live: out of memory");
  live->cameras[live->n_cameras++] = cam;
  return 0;
}

static live_camera_t *unlink_locked(valkka_live_t *live, uint32_t slot) {
  size_t i = 0;
  live_camera_t *cam = find_camera_locked(live, slot, &i);
  if (cam) live->cameras[i] = live->cameras[--live->n_cameras];
  return cam;
}

int valkka_live_add_camera(valkka_live_t *live, const valkka_camera_t *desc,
                           valkka_frame_sink_fn record_sink, void *record_user) {
  if (!live || !desc) return valkka_error_set(VALKKA_EINVAL, "live_add_camera: NULL argument");
  if (!VALKKA_HAS_FIELD(desc, valkka_camera_t, n_options))
    return valkka_error_set(VALKKA_EINVAL, "live_add_camera: camera struct_size %u too small",
                            desc->struct_size);
  if (!desc->url || !*desc->url)
    return valkka_error_set(VALKKA_EINVAL, "live_add_camera: slot %u has no URL", desc->slot);
  if (on_own_thread(live))
    return valkka_error_set(VALKKA_ESTATE, "live_add_camera: called from a live callback");
  /* A recording another process makes is read by the core itself (fs_source.h). */
  const bool from_fs = !desc->source && fs_source_url(desc->url);
  const char *source_name = desc->source ? desc->source
                            : from_fs    ? FS_SOURCE_NAME
                                         : source_for_url(desc->url);
  const valkka_source_vtable_t *vt = from_fs ? &fs_source_vtable : NULL;
  if (!vt) {
    const valkka_plugin_t *plugin = plugin_find_or_load(VALKKA_PLUGIN_SOURCE, source_name);
    if (!plugin) return VALKKA_ENOENT;
    vt = plugin->vtable;
  }
  live_camera_t *cam = live_camera_create(live, desc, vt, source_name, record_sink, record_user);
  if (!cam) return VALKKA_ENOMEM;
  pthread_mutex_lock(&live->change_lock);
  pthread_mutex_lock(&live->cameras_lock);
  int err = insert_locked(live, cam);
  pthread_mutex_unlock(&live->cameras_lock);
  if (!err && (err = source_thread_start(cam))) {
    pthread_mutex_lock(&live->cameras_lock);
    unlink_locked(live, cam->slot);
    pthread_mutex_unlock(&live->cameras_lock);
  }
  if (err) live_camera_destroy(cam);
  pthread_mutex_unlock(&live->change_lock);
  if (err) return err;
  LOG_INFO("live", "%s: slot %u, %s via %s", cam->name, cam->slot, cam->url_shown, source_name);
  return 0;
}

int valkka_live_remove_camera(valkka_live_t *live, uint32_t slot) {
  if (!live) return valkka_error_set(VALKKA_EINVAL, "live_remove_camera: NULL live");
  if (on_own_thread(live))
    return valkka_error_set(VALKKA_ESTATE, "live_remove_camera: called from a live callback");
  pthread_mutex_lock(&live->change_lock);
  pthread_mutex_lock(&live->cameras_lock);
  live_camera_t *cam = unlink_locked(live, slot);
  pthread_mutex_unlock(&live->cameras_lock);
  if (cam) live_camera_destroy(cam);
  pthread_mutex_unlock(&live->change_lock);
  if (!cam)
    return valkka_error_set(VALKKA_ENOENT, "live_remove_camera: no camera in slot %u", slot);
  return 0;
}

int valkka_live_set_status_callback(valkka_live_t *live, valkka_live_status_fn cb, void *user) {
  if (!live) return valkka_error_set(VALKKA_EINVAL, "live_set_status_callback: NULL live");
  pthread_mutex_lock(&live->cameras_lock);
  live->status_cb = cb;
  live->status_user = user;
  pthread_mutex_unlock(&live->cameras_lock);
  return 0;
}

int valkka_live_set_frame_callback(valkka_live_t *live, uint32_t slot, valkka_frame_sink_fn cb,
                                   void *user) {
  if (!live) return valkka_error_set(VALKKA_EINVAL, "live_set_frame_callback: NULL live");
  if (on_own_thread(live))
    return valkka_error_set(VALKKA_ESTATE, "live_set_frame_callback: called from a live callback");
  pthread_mutex_lock(&live->change_lock);
  pthread_mutex_lock(&live->cameras_lock);
  live_camera_t *cam = find_camera_locked(live, slot, NULL);
  pthread_mutex_unlock(&live->cameras_lock);
  /* Under change_lock the camera cannot be removed while its decoder changes. */
  int err =
      cam ? live_camera_set_decoder(cam, cb, user)
          : valkka_error_set(VALKKA_ENOENT, "live_set_frame_callback: no camera in slot %u", slot);
  pthread_mutex_unlock(&live->change_lock);
  return err;
}

int valkka_live_get_stats(valkka_live_t *live, uint32_t slot, valkka_stream_stats_t *stats) {
  if (!live || !stats || stats->struct_size < sizeof(valkka_stream_stats_t))
    return valkka_error_set(VALKKA_EINVAL,
                            "live_get_stats: NULL argument or struct_size too small");
  pthread_mutex_lock(&live->cameras_lock);
  live_camera_t *cam = find_camera_locked(live, slot, NULL);
  valkka_stream_stats_t full;
  if (cam) live_camera_get_stats(cam, &full);
  pthread_mutex_unlock(&live->cameras_lock);
  if (!cam) return valkka_error_set(VALKKA_ENOENT, "live_get_stats: no camera in slot %u", slot);
  memcpy(stats, &full, sizeof full);
  return 0;
}
