/*
 * The FileCacheThread of the original design: one thread per manager that
 *   - takes the frames block loaders read (through a bounded intake) into per-stream tracks,
 *     keeping only the blocks of the FSGroups' windows (bounded memory);
 *   - runs the playback clock (seek, play at a speed, pause, stop, step) and presents every mapped
 *     stream's frame due at the clock, all streams on one clock, in mstime order;
 *   - emits the time callback (heartbeat) and the time-limits callback.
 * Which blocks to load is the FSGroups' business: the cache asks through filecache_hooks_t, on its
 * own thread, and the groups answer with windows, loader requests and filecache_evict().
 */
#ifndef VALKKA_THREADS_FILECACHE_H
#define VALKKA_THREADS_FILECACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <valkka/frame.h>
#include <valkka/manager.h>

#include "threads/filecache_stream.h"

typedef struct filecache filecache_t;

/** What the cache asks of the FSGroups. Every hook runs on the file-cache thread. */
typedef struct filecache_hooks {
  void *user;
  /** readBlockTablesIf for every group: `force` re-reads a table that changed (new-block event)
      at once, otherwise tables are re-read at most every table interval. */
  void (*refresh)(void *user, bool force);
  /** reqBlocksIf(t) for every group (after a refresh). May call filecache_evict. */
  void (*request)(void *user, int64_t t);
  /** Every frame of block (block, seq), read for `frames` records by loader request
      `generation`, reached the intake before this. */
  void (*block_done)(void *user, uint32_t group, uint32_t block, uint64_t seq, uint32_t frames,
                     uint64_t generation, int result, int64_t max_ms);
  /** Whether frames of (group, block, seq) belong to the group's window (else dropped). */
  bool (*wanted)(void *user, uint32_t group, uint32_t block, uint64_t seq);
  /** True when every group's window is loaded. */
  bool (*ready)(void *user);
  /** The clock must not pass this: later frames may still be loading (INT64_MAX: no bound). */
  int64_t (*horizon)(void *user);
  /** The recorded range of the groups with mapped streams (last table read); 0 0 when none. */
  void (*range)(void *user, int64_t *first_ms, int64_t *last_ms);
  /** A stream of `group` was mapped: its window must be loaded again for it. */
  void (*stream_added)(void *user, uint32_t group);
  /** Stop: every window is dropped, loaders cancelled. */
  void (*forget)(void *user);
} filecache_hooks_t;

typedef struct filecache_params {
  fc_decoder_choice_t decoders;
  uint32_t seek_timeout_ms;
} filecache_params_t;

/** Starts the thread. NULL on failure (valkka_last_error set). */
filecache_t *filecache_start(const filecache_params_t *params, const filecache_hooks_t *hooks);
/** Stops the thread (no callback runs after it returns), closes decoders, frees everything. */
void filecache_stop(filecache_t *fc);
/** True on the cache thread. */
bool filecache_is_own_thread(const filecache_t *fc);

/* Playback commands: queued for the thread, never waiting. Validation is the caller's. */
void filecache_seek(filecache_t *fc, int64_t t);
void filecache_play(filecache_t *fc, double speed);
void filecache_pause(filecache_t *fc);
void filecache_stop_playback(filecache_t *fc);
void filecache_step(filecache_t *fc);
void filecache_request(filecache_t *fc, int64_t t);
void filecache_refresh(filecache_t *fc);

/**
 * Adds a mapped stream (the cache takes it) and waits until the thread has it. Errors:
 * VALKKA_ESTATE (called on the cache thread; the stream is not taken).
 */
int filecache_add_stream(filecache_t *fc, fc_stream_t *stream);
/** Removes (group, id) and waits until its output runs no more. VALKKA_ESTATE on the thread. */
int filecache_remove_stream(filecache_t *fc, uint32_t group, uint32_t id);
/** Removes every stream of `group` and waits. VALKKA_ESTATE on the thread. */
int filecache_remove_group(filecache_t *fc, uint32_t group);

/**
 * A block loader's frame for the intake: copied. Waits while the intake holds more than its
 * bound, polling cancelled(user); VALKKA_EINTR when cancelled or the cache is stopping.
 */
int filecache_intake_frame(filecache_t *fc, uint32_t group, uint32_t block, uint64_t seq,
                           const valkka_frame_t *frame, bool (*cancelled)(void *user), void *user);
/** A block loader's end-of-block marker (see filecache_hooks_t.block_done). */
void filecache_intake_block_done(filecache_t *fc, uint32_t group, uint32_t block, uint64_t seq,
                                 uint32_t frames, uint64_t generation, int result, int64_t max_ms);

/** Cache thread only (from hooks): drops frames of `group` whose block keep() refuses. */
void filecache_evict(filecache_t *fc, uint32_t group,
                     bool (*keep)(void *user, uint32_t block, uint64_t seq), void *user);

void filecache_set_time_callback(filecache_t *fc, valkka_manager_time_fn cb, void *user);
void filecache_set_time_limits_callback(filecache_t *fc, valkka_manager_time_limits_fn cb,
                                        void *user);
/** Any thread. */
int64_t filecache_current(filecache_t *fc);
void filecache_get_state(filecache_t *fc, valkka_manager_state_t *state);

#endif
