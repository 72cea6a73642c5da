/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The live object and its cameras, shared by the files that implement live.h: the API (live.c),
 * a camera's life (camera.c), its source thread (source_thread.c), its counters (stats.c) and its
 * decoder branch (decode.c).
 *
 * Lock order: live.change_lock, then live.cameras_lock, then a camera's state_lock.
 */
#ifndef VALKKA_LIVE_LIVE_INTERNAL_H
#define VALKKA_LIVE_LIVE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <valkka/live.h>

#include "live/decode.h"
#include "live/stats.h"
#include "util/thread.h"

typedef struct live_camera live_camera_t;

struct valkka_live {
  valkka_live_config_t config; /* defaults filled in */
  /*
   * Serialises the calls that stop threads (remove, set_frame_callback, destroy), so a camera
   * cannot be freed under one of them. Held while joining; callbacks never take it.
   */
  pthread_mutex_t change_lock;
  /* The cameras and the status callback; never held while calling out or joining. */
  pthread_mutex_t cameras_lock;
  live_camera_t **cameras;
  size_t n_cameras, cap_cameras;
  valkka_live_status_fn status_cb;
  void *status_user;
};

struct live_camera {
  valkka_live_t *live;
  uint32_t slot;
  bool audio; /* its audio is recorded, as audio_slot */
  uint32_t audio_slot;
  char *name;
  char *url;
  char *url_shown; /* credentials removed: the only form that reaches logs */
  const valkka_source_vtable_t *vt;
  char *source_name;
  valkka_option_t *options;
  size_t n_options;
  valkka_frame_sink_fn record_sink;
  void *record_user;
  thread_t thread;

  /* Guards everything below; held for bookkeeping only, never around a callback. */
  pthread_mutex_t state_lock;
  pthread_cond_t wake; /* backoff waits end early on stop */
  void *instance;      /* the open source, published so that a stop can interrupt it */
  live_stats_t stats;
  live_decode_t *decode;       /* NULL without a decoded-frame callback */
  valkka_frame_t *last_config; /* seeds a decoder started mid-stream */
  bool has_config;
};

/** Copies `cam` into a new camera (thread not started). NULL on failure, valkka_last_error set. */
live_camera_t *live_camera_create(valkka_live_t *live, const valkka_camera_t *cam,
                                  const valkka_source_vtable_t *vt, const char *source_name,
                                  valkka_frame_sink_fn sink, void *user);
/** Asks the camera's threads to stop and interrupts a blocked read. Any thread, idempotent. */
void live_camera_request_stop(live_camera_t *cam);
/** Stops, joins and frees the camera (NULL-safe). Not from the camera's own threads. */
void live_camera_destroy(live_camera_t *cam);
/** True when the calling thread is one of the camera's threads. */
bool live_camera_is_own_thread(live_camera_t *cam);
/** Starts, replaces or (cb NULL) stops the decoder branch. */
int live_camera_set_decoder(live_camera_t *cam, valkka_frame_sink_fn cb, void *user);
/** Fills `stats` (full size, the caller copies what its struct covers). */
void live_camera_get_stats(live_camera_t *cam, valkka_stream_stats_t *stats);

#endif
