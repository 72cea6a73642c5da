/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A camera's life: its copy of the caller's description, stopping, stats and decoder branch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/registry.h>

#include "live/live_internal.h"
#include "util/clock.h"
#include "util/alloc.h"

static char *dup_or_null(const char *s, bool *failed) {
  if (!s) return NULL;
  char *copy = strdup(s);
  if (!copy) *failed = true;
  return copy;
}

static void free_camera(live_camera_t *cam) {
  free(cam->name);
  free(cam->url);
  free(cam->url_shown);
  free(cam->source_name);
  for (size_t i = 0; cam->options && i < cam->n_options; i++) {
    free((char *)cam->options[i].key);
    free((char *)cam->options[i].value);
  }
  free(cam->options);
  valkka_frame_free(cam->last_config);
  pthread_cond_destroy(&cam->wake);
  pthread_mutex_destroy(&cam->state_lock);
  free(cam);
}

static bool copy_options(live_camera_t *cam, const valkka_option_t *options, size_t n) {
  if (!options || !n) return true;
  if (!(cam->options = calloc(n, sizeof *cam->options))) return false;
  cam->n_options = n;
  bool failed = false;
  for (size_t i = 0; i < n; i++) {
    cam->options[i].key = dup_or_null(options[i].key, &failed);
    cam->options[i].value = dup_or_null(options[i].value, &failed);
  }
  return !failed;
}

live_camera_t *live_camera_create(valkka_live_t *live, const valkka_camera_t *desc,
                                  const valkka_source_vtable_t *vt, const char *source_name,
                                  valkka_frame_sink_fn sink, void *user) {
  live_camera_t *cam = alloc_zeroed(sizeof *cam, "live: out of memory");
  if (!cam) return NULL;
  clock_cond_init(&cam->wake);
  pthread_mutex_init(&cam->state_lock, NULL);
  cam->live = live;
  cam->slot = desc->slot;
  if (VALKKA_HAS_FIELD(desc, valkka_camera_t, audio_slot) && (desc->flags & VALKKA_CAMERA_AUDIO)) {
    cam->audio = true;
    cam->audio_slot = desc->audio_slot;
  }
  cam->vt = vt;
  cam->record_sink = sink;
  cam->record_user = user;
  live_stats_init(&cam->stats, clock_mono_us());
  cam->stats.state = VALKKA_STREAM_CONNECTING;
  bool failed = false;
  char fallback_name[32];
  snprintf(fallback_name, sizeof fallback_name, "camera %u", desc->slot);
  size_t shown_size = strlen(desc->url) + 4;
  cam->name = dup_or_null(desc->name ? desc->name : fallback_name, &failed);
  cam->url = dup_or_null(desc->url, &failed);
  cam->source_name = dup_or_null(source_name, &failed);
  if ((cam->url_shown = malloc(shown_size)))
    valkka_url_redact(desc->url, VALKKA_URL_REDACT_WHOLE, cam->url_shown, shown_size);
  if (failed || !cam->url_shown || !copy_options(cam, desc->options, desc->n_options) ||
      !(cam->last_config = valkka_frame_new(0))) {
    free_camera(cam);
    valkka_error_set(VALKKA_ENOMEM, "live: out of memory");
    return NULL;
  }
  return cam;
}

void live_camera_request_stop(live_camera_t *cam) {
  thread_request_stop(&cam->thread);
  pthread_mutex_lock(&cam->state_lock);
  /* Under the lock: the source thread closes an instance only after unpublishing it. */
  if (cam->instance) cam->vt->interrupt(cam->instance);
  pthread_cond_broadcast(&cam->wake);
  pthread_mutex_unlock(&cam->state_lock);
}

void live_camera_destroy(live_camera_t *cam) {
  if (!cam) return;
  live_camera_request_stop(cam);
  thread_stop(&cam->thread);
  live_camera_set_decoder(cam, NULL, NULL);
  free_camera(cam);
}

bool live_camera_is_own_thread(live_camera_t *cam) {
  pthread_mutex_lock(&cam->state_lock);
  bool own = (cam->thread.running && pthread_equal(pthread_self(), cam->thread.tid)) ||
             (cam->decode && live_decode_is_own_thread(cam->decode));
  pthread_mutex_unlock(&cam->state_lock);
  return own;
}

int live_camera_set_decoder(live_camera_t *cam, valkka_frame_sink_fn cb, void *user) {
  live_decode_t *fresh = NULL;
  if (cb) {
    const valkka_live_config_t *config = &cam->live->config;
    const valkka_host_t *host = valkka_host();
    live_decode_params_t params = {
        .slot = cam->slot,
        .queue_frames = config->decode_queue,
        .threads = config->decode_threads,
        .device = host->option_get(cam->options, cam->n_options, "decoder_device"),
        .cb = cb,
        .user = user,
    };
    /* The camera's "decoder" option: auto (hardware, else software) or a plugin's name. */
    int err =
        live_decode_choose(host->option_get(cam->options, cam->n_options, "decoder"), &params);
    if (err) return err;
    /* The branch starts with the stream's configuration, copied under the lock. */
    pthread_mutex_lock(&cam->state_lock);
    fresh = live_decode_start(&params, cam->has_config ? cam->last_config : NULL);
    pthread_mutex_unlock(&cam->state_lock);
    if (!fresh)
      return valkka_error_set(VALKKA_ENOMEM, "live: slot %u: %s", cam->slot, valkka_last_error());
  }
  pthread_mutex_lock(&cam->state_lock);
  live_decode_t *old = cam->decode;
  cam->decode = fresh;
  if (old) cam->stats.decode_dropped_before += live_decode_dropped(old);
  pthread_mutex_unlock(&cam->state_lock);
  if (!old) return 0;
  /* Joined outside the lock: the old callback may be running and may read our stats. */
  uint64_t decoded = live_decode_stop(old);
  pthread_mutex_lock(&cam->state_lock);
  cam->stats.decoded_before += decoded;
  pthread_mutex_unlock(&cam->state_lock);
  return 0;
}

void live_camera_get_stats(live_camera_t *cam, valkka_stream_stats_t *out) {
  pthread_mutex_lock(&cam->state_lock);
  const live_stats_t *s = &cam->stats;
  *out = (valkka_stream_stats_t){
      .struct_size = sizeof *out,
      .slot = cam->slot,
      .state = s->state,
      .reconnects = s->reconnects,
      .codec = s->codec,
      .width = s->width,
      .height = s->height,
      .last_error = s->last_error,
      .frames = s->frames,
      .bytes = s->bytes,
      .record_dropped = s->record_dropped,
      .decode_dropped = s->decode_dropped_before +
                        (cam->decode ? live_decode_dropped(cam->decode) : 0),
      .decoded = s->decoded_before + (cam->decode ? live_decode_decoded(cam->decode) : 0),
      .last_frame_mstime = s->last_frame_mstime,
  };
  live_stats_rates(s, clock_mono_us(), &out->fps, &out->bitrate);
  pthread_mutex_unlock(&cam->state_lock);
}
