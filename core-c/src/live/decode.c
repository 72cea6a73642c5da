/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/registry.h>

#include "live/decode.h"
#include "base/log.h"
#include "plugin/find.h"
#include "util/pool.h"
#include "util/queue.h"
#include "util/thread.h"
#include "util/alloc.h"

struct live_decode {
  live_decode_params_t params;
  thread_t thread;
  queue_t *queue;
  pool_t *pool;
  atomic_uint_fast64_t decoded;
  /* the producer's side */
  valkka_frame_t *config;
  bool has_config;
  bool wait_key;
  uint64_t dropped;
  /* the decoder thread's side */
  void *instance;
  uint32_t codec;
  uint32_t failed_codec; /* open failed for it: retried on the next keyframe, logged once */
  valkka_frame_t *picture;
};

int live_decode_choose(const char *decoder, live_decode_params_t *params) {
  params->fallback_vt = NULL;
  if (decoder && strcmp(decoder, "auto") != 0) {
    const valkka_plugin_t *plugin = plugin_find_or_load(VALKKA_PLUGIN_DECODER, decoder);
    if (!plugin) return valkka_error_set(VALKKA_ENOENT, "live: no decoder plugin '%s'", decoder);
    params->vt = plugin->vtable;
    return 0;
  }
  const valkka_plugin_t *hardware = plugin_find_or_load(VALKKA_PLUGIN_DECODER, "codec-vaapi");
  const valkka_plugin_t *software = plugin_find_or_load(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  if (!hardware && !software)
    return valkka_error_set(VALKKA_ENOENT, "live: neither codec-vaapi nor codec-ffmpeg is loaded");
  params->vt = hardware ? hardware->vtable : software->vtable;
  params->fallback_vt = hardware && software ? software->vtable : NULL;
  return 0;
}

/* Every camera without hardware falls back the same way: the reason is worth saying once. */
static atomic_bool fallback_told;

static int open_with(live_decode_t *d, const valkka_decoder_vtable_t *vt, uint32_t codec) {
  char threads[16];
  snprintf(threads, sizeof threads, "%u", d->params.threads);
  const valkka_option_t options[] = {{"threads", threads}, {"device", d->params.device}};
  return vt->open(valkka_host(), codec, options, d->params.device ? 2 : 1, &d->instance);
}

static int open_decoder(live_decode_t *d, uint32_t codec) {
  if (d->instance) d->params.vt->close(d->instance);
  d->instance = NULL;
  int err = open_with(d, d->params.vt, codec);
  if (err == VALKKA_ENODEV && d->params.fallback_vt) {
    if (!atomic_exchange(&fallback_told, true))
      LOG_WARN("live", "no hardware decoding, decoding in software: %s", valkka_last_error());
    d->params.vt = d->params.fallback_vt;
    d->params.fallback_vt = NULL;
    err = open_with(d, d->params.vt, codec);
  }
  if (err) {
    d->instance = NULL;
    if (d->failed_codec != codec)
      LOG_WARN("live", "slot %u: no decoder for %s: %s", d->params.slot, valkka_codec_name(codec),
               valkka_last_error());
    d->failed_codec = codec;
    return err;
  }
  d->codec = codec;
  d->failed_codec = 0;
  return 0;
}

static void hand_out_pictures(live_decode_t *d) {
  const valkka_decoder_vtable_t *vt = d->params.vt;
  while (vt->receive(d->instance, d->picture) == 0) {
    /* Counted first, so stats read from inside the callback already include this picture. */
    atomic_fetch_add(&d->decoded, 1);
    d->params.cb(d->params.user, d->picture);
  }
}

static void decode_one(live_decode_t *d, const valkka_frame_t *frame) {
  if (!d->instance || frame->codec != d->codec) {
    /* A decoder only starts on a frame it can start from. */
    bool startable = frame->kind == VALKKA_FRAME_CONFIG || (frame->flags & VALKKA_FRAME_KEYFRAME);
    if (!startable || open_decoder(d, frame->codec) != 0) return;
  }
  int err = VALKKA_EAGAIN;
  /* EAGAIN: the decoder holds pictures we must take before it accepts more. */
  for (int tries = 0; err == VALKKA_EAGAIN && tries < 4; tries++) {
    err = d->params.vt->send(d->instance, frame);
    hand_out_pictures(d);
  }
  if (err) LOG_DEBUG("live", "slot %u: decode: %s", d->params.slot, valkka_last_error());
}

static void decode_main(thread_t *self, void *arg) {
  live_decode_t *d = arg;
  valkka_frame_t *frame;
  while (queue_pop(d->queue, &frame, -1) == 0) {
    if (!thread_should_stop(self)) decode_one(d, frame);
    pool_put(frame);
  }
}

static void free_decode(live_decode_t *d) {
  queue_destroy(d->queue);
  pool_destroy(d->pool);
  valkka_frame_free(d->config);
  valkka_frame_free(d->picture);
  free(d);
}

live_decode_t *live_decode_start(const live_decode_params_t *params, const valkka_frame_t *config) {
  live_decode_t *d = alloc_zeroed(sizeof *d, "live: out of memory");
  if (!d) return NULL;
  d->params = *params;
  atomic_init(&d->decoded, 0);
  d->wait_key = true;
  /* The pool holds the queue's worth plus the frame the decoder thread is working on. */
  if (!(d->queue = queue_create(params->queue_frames)) ||
      !(d->pool = pool_create(params->queue_frames + 1, 0)) || !(d->config = valkka_frame_new(0)) ||
      !(d->picture = valkka_frame_new(0)) ||
      (config && valkka_frame_copy(d->config, config) != 0)) {
    free_decode(d);
    return NULL;
  }
  d->has_config = config != NULL;
  char name[16];
  snprintf(name, sizeof name, "vk-dec-%u", params->slot);
  if (thread_start(&d->thread, name, decode_main, d) != 0) {
    free_decode(d);
    return NULL;
  }
  return d;
}

uint64_t live_decode_stop(live_decode_t *d) {
  if (!d) return 0;
  thread_request_stop(&d->thread);
  queue_close(d->queue);
  thread_stop(&d->thread);
  if (d->instance) d->params.vt->close(d->instance);
  uint64_t decoded = atomic_load(&d->decoded);
  free_decode(d);
  return decoded;
}

static bool push_copy(live_decode_t *d, const valkka_frame_t *frame) {
  valkka_frame_t *copy = pool_get(d->pool);
  if (!copy) return false;
  if (valkka_frame_copy(copy, frame) != 0 || queue_push(d->queue, copy, 0) != 0) {
    pool_put(copy);
    return false;
  }
  return true;
}

void live_decode_offer(live_decode_t *d, const valkka_frame_t *frame) {
  if (frame->kind == VALKKA_FRAME_CONFIG) {
    /* A new configuration comes before a new keyframe: send them together. */
    d->has_config = valkka_frame_copy(d->config, frame) == 0;
    d->wait_key = true;
    return;
  }
  if (frame->kind != VALKKA_FRAME_ENCODED) return;
  if (d->wait_key) {
    if (!(frame->flags & VALKKA_FRAME_KEYFRAME) || (d->has_config && !push_copy(d, d->config))) {
      d->dropped++;
      return;
    }
    d->wait_key = false;
  }
  if (!push_copy(d, frame)) {
    d->dropped++;
    d->wait_key = true;
  }
}

uint64_t live_decode_dropped(const live_decode_t *d) { return d->dropped; }

uint64_t live_decode_decoded(live_decode_t *d) { return atomic_load(&d->decoded); }

bool live_decode_is_own_thread(const live_decode_t *d) {
  return d->thread.running && pthread_equal(pthread_self(), d->thread.tid);
}
