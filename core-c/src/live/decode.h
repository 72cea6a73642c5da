/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A camera's decoder branch: a bounded queue of encoded frames, a decoder thread running a
 * decoder plugin, and the decoded-frame callback. Offering a frame never blocks: a full queue
 * drops it and the branch skips to the next keyframe (with the stream's configuration in front),
 * since frames after a gap cannot be decoded anyway.
 */
#ifndef VALKKA_LIVE_DECODE_H
#define VALKKA_LIVE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/frame.h>
#include <valkka/plugin.h>

typedef struct live_decode live_decode_t;

typedef struct live_decode_params {
  uint32_t slot;
  uint32_t queue_frames;
  uint32_t threads;
  const valkka_decoder_vtable_t *vt;
  /* Takes over for good when vt's open answers VALKKA_ENODEV (no hardware); may be NULL. */
  const valkka_decoder_vtable_t *fallback_vt;
  const char *device; /* the decoder's "device" option, borrowed from the camera; may be NULL */
  valkka_frame_sink_fn cb;
  void *user;
} live_decode_params_t;

/**
 * Sets vt and fallback_vt from a camera's "decoder" option: NULL or "auto" (codec-vaapi with
 * codec-ffmpeg as its fallback, or whichever of the two is loaded) or a decoder plugin's name.
 * Errors: VALKKA_ENOENT (last error set) when no such decoder plugin is loaded.
 */
int live_decode_choose(const char *decoder, live_decode_params_t *params);

/**
 * Starts a branch. `config` (may be NULL) is the stream's current CONFIG frame, copied, so a
 * branch started mid-stream can decode from the next keyframe. NULL on failure (last error set).
 */
live_decode_t *live_decode_start(const live_decode_params_t *params, const valkka_frame_t *config);
/**
 * Stops the thread (frames still queued are dropped) and frees everything; returns the pictures
 * the branch handed out in all. NULL-safe (0).
 */
uint64_t live_decode_stop(live_decode_t *decode);
/** Queues a copy of `frame` or drops it; never blocks. One producer thread at a time. */
void live_decode_offer(live_decode_t *decode, const valkka_frame_t *frame);
/** Encoded frames dropped before the decoder (read by the producer's side). */
uint64_t live_decode_dropped(const live_decode_t *decode);
/** Pictures handed to the callback. Any thread. */
uint64_t live_decode_decoded(live_decode_t *decode);
/** True on the branch's own thread. */
bool live_decode_is_own_thread(const live_decode_t *decode);

#endif
