/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One mapped stream of the file cache: its cached frames, its decoder (a decoder plugin instance)
 * and what it presented last. Cached frames are in decode order, by decode time (mstime); their
 * pictures are shown at their presentation time (mstime + pts_offset). Bringing a stream to a
 * time t feeds the decoder from where it stands, or from the last keyframe at or before t, up to
 * the last frame decoded by t, and presents the newest picture whose presentation time is <= t.
 * A picture that the decoder gives out before its time (a stream whose decode times run ahead of
 * what its reordering needs, the end of the recording) waits in a short early queue.
 * No locks: a stream is used by one thread at a time, the file-cache thread or, during a round
 * of the decoder workers (decode_pool.h), the one worker that advances it while the cache thread
 * waits. The `busy` flag checks that: a second thread entering a stream's decoder is refused,
 * logged as an error and counted (fc_stream_busy_collisions).
 */
#ifndef VALKKA_MANAGER_FILECACHE_STREAM_H
#define VALKKA_MANAGER_FILECACHE_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/frame.h>
#include <valkka/plugin.h>

#include "manager/filecache_store.h"
#include "manager/picture_cache.h"

/* Which decoder plugins streams use: `vt` first; `fallback` when vt's open says VALKKA_ENODEV. */
typedef struct fc_decoder_choice {
  const valkka_decoder_vtable_t *vt;
  const valkka_decoder_vtable_t *fallback; /* may be NULL or equal to vt */
  uint32_t threads;
} fc_decoder_choice_t;

/* Pictures that may wait for their presentation time. */
#define FC_EARLY 4
/* How many frames before the last one decoded may be shown after it (B-frame reordering). */
#define FC_REORDER_SCAN 32

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
  bool shown; /* shown_ms is the presentation time of the picture presented last */
  int64_t shown_ms;
  bool failed; /* the last final advance to failed_goal_ms with failed_n frames cached
                            gave no picture: not retried until one of them changes */
  int64_t failed_goal_ms;
  size_t failed_n;
  valkka_frame_t *scratch; /* receives pictures */
  valkka_frame_t *picture; /* the picture to present, after fc_stream_advance returned true */
  valkka_frame_t *early[FC_EARLY]; /* decoded, not yet due: the first n_early, oldest first */
  uint32_t n_early;
  /* Set by the caller for fast playback (every picture, no clock to keep up with): once
     s->picture holds a picture due and not yet presented, a later one due as well waits in the
     early queue for the next tick instead of replacing it. Real-time playback keeps the newest
     (a picture a frame interval behind the clock is not shown, manager.h). */
  bool in_order;
  bool taken;
  size_t round_work; /* fc_stream_frames_to at a round's time: the order its jobs are taken */
  uint64_t decode_errors;
  int busy; /* a thread is in advance or finish: __atomic builtins (C++ tests share this header) */
  picture_cache_t back; /* the pictures of the GOP a step back decoded (filecache_step.c) */
} fc_stream_t;

/** A stream with its picture buffers. NULL on failure (valkka_last_error set). */
fc_stream_t *fc_stream_create(uint32_t group, uint32_t id, uint32_t read_slot,
                              valkka_frame_sink_fn output, void *output_user);
/** Closes the decoder and frees the stream and its frames. NULL-safe. */
void fc_stream_destroy(fc_stream_t *s);

/**
 * Decodes up to the stream's last frame decoded by `t`. True when a picture newer than the one
 * presented last is now in s->picture (then s->shown_ms is its presentation time). `final`: the
 * picture due at t is needed now (seek, step, paused): a decoder that holds it back is drained.
 * A stream another thread is in is not touched: false, logged and counted.
 */
bool fc_stream_advance(fc_stream_t *s, const fc_decoder_choice_t *choice, int64_t t, bool final);

/** How many frames an advance to `t` would feed the decoder (from where it stands, or from the
    keyframe before): a round's job's cost, to hand the longest out first. 0 for sound. */
size_t fc_stream_frames_to(const fc_stream_t *s, int64_t t);

/** The presentation time of the first picture waiting in the early queue, or INT64_MAX. It may
    be due already: a picture that came due with another waits for the tick after it. */
int64_t fc_stream_next_early(const fc_stream_t *s);

/**
 * When the decoder has been fed the last cached frame, takes out the pictures it holds back for
 * reordering into the early queue (advance presents them when due).
 */
void fc_stream_finish(fc_stream_t *s);

/** Whether the stream's frames are sound (not decoded: advance hands them to the output). */
bool fc_stream_is_audio(const fc_stream_t *s);

/** Times a thread found a stream's decoder in use by another (advance, finish) since the process
    started: a broken one-worker-per-stream rule. Any thread. */
uint64_t fc_stream_busy_collisions(void);

/** Forgets what was presented (a seek presents its frame again, even the same one). */
void fc_stream_forget_shown(fc_stream_t *s);

/** Drops the decoder's state (before cached frames go): the next advance starts at a keyframe. */
void fc_stream_reset_decoder(fc_stream_t *s);

/** Claims the stream for the calling thread as advance does (false: another thread is in it,
    logged and counted); fc_stream_leave gives it back. For the steps of filecache_step.c. */
bool fc_stream_enter(fc_stream_t *s, const char *what);
void fc_stream_leave(fc_stream_t *s);
/** An open decoder for `codec` (the one open when it decodes that codec), as advance opens it;
    false when none opens (logged once). The caller holds the stream (fc_stream_enter). */
bool fc_stream_open_decoder(fc_stream_t *s, const fc_decoder_choice_t *choice, uint32_t codec);
/** Cached frame `f` of the stream as the decoder is sent it (its payload lent, not copied). */
valkka_frame_t fc_stream_view(const fc_stream_t *s, const fc_frame_t *f);
/**
 * Scrubbing: decodes the keyframe at track index `key` alone (its CONFIG first) into s->picture,
 * leaving the decoder flushed (the next advance starts at a keyframe). False when it gave no
 * picture, or another thread is in the stream (logged and counted, as advance).
 */
bool fc_stream_decode_key(fc_stream_t *s, const fc_decoder_choice_t *choice, size_t key);

#endif
