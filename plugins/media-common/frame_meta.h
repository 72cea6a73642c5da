/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a picture carries from the encoded frames: slot, stream id and flags of the very frame it
 * was decoded from (found through the packet's pts, which we number), and a time taken from the
 * sorted times of the frames in flight. Sources time frames in decode order; with B-frames the
 * decoder hands pictures out in another order, and taking the smallest pending time keeps the
 * pictures' times rising in the order they are shown.
 */
#ifndef VALKKA_FRAME_META_H
#define VALKKA_FRAME_META_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/frame.h>

/* Frames a decoder may hold back: H.264's DPB is 16, frame threads add one each. */
#define FRAME_META_SLOTS 64

typedef struct frame_meta_entry {
  int64_t seq;
  int64_t mstime;
  uint32_t flags, slot, stream_id;
  bool used;
} frame_meta_entry_t;

typedef struct frame_meta {
  frame_meta_entry_t entries[FRAME_META_SLOTS]; /* by seq modulo the size */
  int64_t times[FRAME_META_SLOTS];              /* pending times, ascending */
  uint32_t n_times;
  uint32_t last_slot, last_stream_id;
  int64_t last_mstime;
} frame_meta_t;

/** Forgets every frame in flight (after a flush); also the initialiser. */
void frame_meta_reset(frame_meta_t *meta);

/** Records encoded frame `src`, sent to the decoder as packet `seq`. */
void frame_meta_push(frame_meta_t *meta, int64_t seq, const valkka_frame_t *src);

/** Sets slot, stream_id, flags and mstime of `picture`, decoded from packet `seq` (any value). */
void frame_meta_take(frame_meta_t *meta, int64_t seq, valkka_frame_t *picture);

#endif
