/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The FileCacheThread of the original design: one thread per manager that
 *   - takes the frames block loaders read (through a bounded intake) into per-stream tracks,
 *     keeping only the blocks of its windows, one per FS (bounded memory);
 *   - runs the playback clock (seek, play at a speed, pause, stop, step) and presents every mapped
 *     stream's frame due at the clock, all streams on one clock, in mstime order;
 *   - emits the time callback (heartbeat) and the time-limits callback.
 * Which blocks to load it decides itself, with one window per FS (window.h) whose loader reads
 * them; frames come back through the intake only.
 */
#ifndef VALKKA_MANAGER_FILECACHE_H
#define VALKKA_MANAGER_FILECACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/frame.h>
#include <valkka/fs.h>
#include <valkka/manager.h>

#include "manager/filecache_stream.h"
#include "manager/loader.h"

typedef struct filecache filecache_t;

typedef struct filecache_params {
  fc_decoder_choice_t decoders;
  uint32_t seek_timeout_ms;
  uint32_t window_blocks;     /* blocks a window holds ahead of the playhead's */
  uint32_t table_interval_ms; /* a window's table copy is read at least this often */
  uint32_t decoder_workers;   /* threads that advance the streams of a tick (1: the cache thread) */
  uint64_t picture_cache_bytes; /* decoded pictures kept for stepping back, all streams */
} filecache_params_t;

/** Starts the thread and its decoder workers (decode_pool.h). NULL on failure (valkka_last_error set). */
filecache_t *filecache_start(const filecache_params_t *params);
/** Stops the thread and its decoder workers (no callback runs after it returns), stops the
    windows' loaders, closes decoders, frees everything. */
void filecache_stop(filecache_t *fc);
/** True on the cache thread. */
bool filecache_is_own_thread(const filecache_t *fc);

/* Playback commands: queued for the thread, never waiting. Validation is the caller's. */
void filecache_seek(filecache_t *fc, int64_t t);
void filecache_play(filecache_t *fc, double speed);
void filecache_pause(filecache_t *fc);
void filecache_stop_playback(filecache_t *fc);
/** `frames` steps of every stream: forward when positive, back when negative. */
void filecache_step_by(filecache_t *fc, int frames);
/* Keyframes at or before t (filecache_scrub.h); replaces a scrub still queued. */
void filecache_scrub(filecache_t *fc, int64_t t);
void filecache_request(filecache_t *fc, int64_t t);
void filecache_refresh(filecache_t *fc);

/**
 * Adds a mapped stream (the cache takes it) and waits until the thread has it. Errors:
 * VALKKA_ESTATE (called on the cache thread; the stream is not taken).
 */
int filecache_add_stream(filecache_t *fc, fc_stream_t *stream);
/** Removes (group, id) and waits until its output runs no more. VALKKA_ESTATE on the thread. */
int filecache_remove_stream(filecache_t *fc, uint32_t group, uint32_t id);
/**
 * Plays from `fs` as `group` from now on: a window with its loader (window.h). `fs` must stay open
 * until filecache_remove_fs or filecache_stop returned. Waits until the thread has it. Errors:
 * VALKKA_ESTATE (on the cache thread), VALKKA_ENOMEM.
 */
int filecache_add_fs(filecache_t *fc, valkka_fs_t *fs, uint32_t group);
/** Removes every stream of `group` and its window (its loader stopped) and waits. Nothing of the
    group runs afterwards. VALKKA_ESTATE on the thread. */
int filecache_remove_fs(filecache_t *fc, uint32_t group);
/** A writer's event for `group`: its table copy is read again at the next refresh. Any thread;
    never waits or wakes the thread. */
void filecache_table_changed(filecache_t *fc, uint32_t group);

/**
 * A block loader's frame for the intake: copied. Waits while the intake holds more than its
 * bound, polling cancelled(user); VALKKA_EINTR when cancelled or the cache is stopping.
 */
int filecache_intake_frame(filecache_t *fc, uint32_t group, uint32_t block, uint64_t seq,
                           const valkka_frame_t *frame, bool (*cancelled)(void *user), void *user);
/** A block loader's end-of-block marker (copied): every frame of the block use it names reached
    the intake before it (window.h, rule 3). */
void filecache_intake_block_done(filecache_t *fc, uint32_t group, const loader_marker_t *marker);

void filecache_set_time_callback(filecache_t *fc, valkka_manager_time_fn cb, void *user);
void filecache_set_time_limits_callback(filecache_t *fc, valkka_manager_time_limits_fn cb,
                                        void *user);
/** Any thread. */
int64_t filecache_current(filecache_t *fc);
void filecache_get_state(filecache_t *fc, valkka_manager_state_t *state);

#endif
