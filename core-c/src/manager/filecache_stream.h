/*
 * One mapped stream of the file cache: its cached frames, its decoder (a decoder plugin instance)
 * and what it presented last. Bringing a stream to a time t decodes from where the decoder stands,
 * or from the last keyframe at or before t, with DECODE_ONLY frames, up to its frame at t (the
 * last encoded frame with mstime <= t), whose picture is then ready to present.
 * File-cache thread only: no locks.
 */
#ifndef VALKKA_MANAGER_FILECACHE_STREAM_H
#define VALKKA_MANAGER_FILECACHE_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/frame.h>
#include <valkka/plugin.h>

#include "manager/filecache_store.h"

/* Which decoder plugins streams use: `vt` first; `fallback` when vt's open says VALKKA_ENODEV. */
typedef struct fc_decoder_choice {
  const valkka_decoder_vtable_t *vt;
  const valkka_decoder_vtable_t *fallback; /* may be NULL or equal to vt */
  uint32_t threads;
} fc_decoder_choice_t;

typedef struct fc_stream {
  uint32_t group;     /* FSGroup serial */
  uint32_t id;        /* on-disk stream id */
  uint32_t read_slot; /* stamped on presented pictures */
  valkka_frame_sink_fn output;
  void *output_user;
  fc_track_t track;
  /* decoder */
  const valkka_decoder_vtable_t *vt;
  void *decoder;
  uint32_t decoder_codec;
  uint32_t failed_codec; /* open failed for it: logged once */
  bool fed;              /* the decoder holds a keyframe and the frames after it up to fed_ms */
  int64_t fed_ms;
  /* presentation */
  bool shown; /* shown_ms is the mstime of the frame presented last */
  int64_t shown_ms;
  bool failed; /* the last final advance to failed_goal_ms with failed_n frames cached
                            gave no picture: not retried until one of them changes */
  int64_t failed_goal_ms;
  size_t failed_n;
  valkka_frame_t *scratch; /* receives pictures */
  valkka_frame_t *picture; /* the picture to present, after fc_stream_advance returned true */
  uint64_t decode_errors;
} fc_stream_t;

/** A stream with its picture buffers. NULL on failure (valkka_last_error set). */
fc_stream_t *fc_stream_create(uint32_t group, uint32_t id, uint32_t read_slot,
                              valkka_frame_sink_fn output, void *output_user);
/** Closes the decoder and frees the stream and its frames. NULL-safe. */
void fc_stream_destroy(fc_stream_t *s);

/**
 * Decodes up to the stream's frame at `t`. True when that frame was not presented yet and its
 * picture is now in s->picture (then s->shown_ms is its mstime). `final`: the picture is needed
 * now (seek, step, paused): a decoder that holds it back is drained and reset.
 */
bool fc_stream_advance(fc_stream_t *s, const fc_decoder_choice_t *choice, int64_t t, bool final);

/** Forgets what was presented (a seek presents its frame again, even the same one). */
void fc_stream_forget_shown(fc_stream_t *s);

/** Drops the decoder's state (before cached frames go): the next advance starts at a keyframe. */
void fc_stream_reset_decoder(fc_stream_t *s);

#endif
