/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file-cache thread's object, shared by its files: the inbox and lifecycle (filecache.c), the
 * playback engine (filecache_play.c) and the windows it plays from (filecache_windows.c).
 *
 * Lock order: filecache.inbox_lock is taken alone (a leaf: nothing is called while it is held);
 * a loader's lock is never held while taking it, nor it while taking a loader's. The decoder
 * pool's lock is a leaf too, taken by the thread (a round) with no other lock held.
 */
#ifndef VALKKA_MANAGER_FILECACHE_INTERNAL_H
#define VALKKA_MANAGER_FILECACHE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "manager/decode_pool.h"
#include "manager/filecache.h"
#include "manager/filecache_scrub.h"
#include "manager/window.h"
#include "util/thread.h"

typedef enum fc_cmd_kind {
  FC_CMD_SEEK,
  FC_CMD_PLAY,
  FC_CMD_PAUSE,
  FC_CMD_STOP,
  FC_CMD_STEP,
  FC_CMD_REQUEST,
  FC_CMD_REFRESH,
  FC_CMD_ADD_STREAM,
  FC_CMD_REMOVE_STREAM,
  FC_CMD_ADD_FS,
  FC_CMD_REMOVE_FS,
  FC_CMD_SCRUB
} fc_cmd_kind_t;

/* A request for the thread. Synchronous ones live on the caller's stack until `done`. */
typedef struct fc_cmd {
  struct fc_cmd *next;
  fc_cmd_kind_t kind;
  int64_t t;
  double speed;
  uint32_t group, id;
  fc_stream_t *stream;
  window_t *window; /* ADD_FS: handed to the thread; REMOVE_FS: handed back (NULL: none) */
  int result;       /* of a synchronous command */
  bool sync;
  bool done; /* under the lock */
} fc_cmd_t;

/* What a block loader hands over: a frame, or the end-of-block marker. */
typedef struct fc_item {
  struct fc_item *next;
  bool marker;
  uint32_t group;
  uint32_t stream_id;  /* a frame's */
  fc_frame_t frame;    /* its block use in frame.block and frame.seq */
  loader_marker_t end; /* a marker's */
} fc_item_t;

struct filecache {
  filecache_params_t params;
  thread_t thread;
  /* Advances the streams of a tick; during a round the thread waits and touches no stream. */
  decode_pool_t *pool;

  /* Guards the inbox, the callbacks and the published state; never held calling out. */
  pthread_mutex_t inbox_lock;
  pthread_cond_t wake; /* commands, items, stop: for the thread */
  pthread_cond_t done; /* synchronous commands completed */
  pthread_cond_t room; /* the intake went below its bound */
  bool stopping;
  bool seek_queued; /* a seek waits in the inbox: the published playhead is already its time */
  int64_t seek_queued_t;
  /* FIFO lists: each tail points at the last element's `next`, or at the head when empty. */
  fc_cmd_t *cmd_head, **cmd_tail;
  fc_item_t *item_head, **item_tail;
  uint64_t intake_bytes;
  uint32_t *changed; /* groups whose table changed (filecache_table_changed) */
  size_t n_changed, cap_changed;
  valkka_manager_time_fn time_cb;
  void *time_user;
  valkka_manager_time_limits_fn limits_cb;
  void *limits_user;
  valkka_manager_state_t pub;
  bool gaps_real_time; /* valkka_manager_set_gaps (filecache_gaps.c) */

  /* The thread's own state: no lock. */
  window_t **windows; /* one per FS */
  size_t n_windows, cap_windows;
  fc_stream_t **streams;
  size_t n_streams, cap_streams;
  fc_stream_t **batch; /* streams with a picture to present, this round */
  bool *got;           /* a round's results: got[i] when streams[i] has a picture to present */
  int64_t round_t;     /* a round's time and finality, for the workers */
  bool round_final;
  uint32_t *ids; /* scratch: the ids of one FS's streams, cap_streams long */
  uint32_t mode; /* valkka_playback_state_t, never SEEKING: `seeking` says that */
  double speed;
  bool have_playhead;
  int64_t current;
  bool seeking;
  int64_t seek_target, seek_deadline_us;
  int32_t steps;       /* pending frame steps: forward when positive, back when negative */
  uint32_t step_phase; /* fc_step_phase_t of the first pending step */
  int64_t step_deadline_us, step_target;
  struct fc_step_job *step_jobs; /* a step's round: one per stream (filecache_step.c) */
  size_t cap_step_jobs;
  uint64_t step_budget;         /* a stream's share of params.picture_cache_bytes, for a round */
  int64_t anchor_ms, anchor_us; /* playing: the clock read anchor_ms at anchor_us */
  int64_t presented_ms;
  bool at_end;
  int64_t hb_us, hb_ms; /* last heartbeat: when, and the time it carried */
  bool hb_sent;
  int64_t wiring_us; /* last refresh + request for the playhead */
  uint64_t seeks, presented;
  int64_t lim_first, lim_last;
  /* Scrubbing (filecache_scrub.c): `scrubbing` while a scrub waits for its blocks; `scrubbed`
     while keyframes are on screen, not the frames at the playhead (until a seek, play or step). */
  fc_scrub_t *scrub;
  bool scrubbing, scrubbed;
  int64_t scrub_target, scrub_deadline_us;
};

/* filecache_play.c: the engine, on the thread. */
void fc_apply(filecache_t *fc, fc_cmd_t *cmd, int64_t now_us);
void fc_merge(filecache_t *fc, fc_item_t *item);
/* Runs what is due; returns when to run again (monotonic us). */
int64_t fc_run(filecache_t *fc, int64_t now_us);
/* Copies the engine's state into fc->pub (takes the lock). */
void fc_publish(filecache_t *fc);
/* The time callback for `t` (the playhead published). */
void fc_heartbeat(filecache_t *fc, int64_t now_us, int64_t t);
/* Outputs the pictures (s->picture) of fc->batch[0 .. n) in mstime order. */
void fc_present_batch(filecache_t *fc, size_t n);
/* Frees a stream list entry set (the thread's exit). */
void fc_free_streams(filecache_t *fc);

/* filecache_step.c: frame steps, on the thread. Where the first pending step is. */
typedef enum fc_step_phase {
  FC_STEP_IDLE,          /* not begun: the next run asks for the blocks it looks at */
  FC_STEP_LOADING,       /* waiting for the blocks that tell where the step goes */
  FC_STEP_LOADING_TARGET /* step_target known, waiting for the blocks that show it */
} fc_step_phase_t;
/* What a stream does in a step's round. */
typedef enum fc_step_how {
  FC_STEP_STAY,    /* shows its picture already, or has none to show */
  FC_STEP_CACHED,  /* the picture is in its picture cache */
  FC_STEP_ADVANCE, /* forward: the decoder goes on (fc_stream_advance) */
  FC_STEP_DECODE   /* back: the GOP key..last is decoded into its picture cache first */
} fc_step_how_t;
typedef struct fc_step_job {
  fc_step_how_t how;
  int64_t target; /* the step's time: the stream shows its newest picture at or before it */
  int64_t to;     /* that picture's presentation time */
  size_t key, last;
  bool moved; /* the round's result: a new picture to present */
} fc_step_job_t;
/* Runs the first pending step (fc->steps); false while it waits for blocks (*wake lowered). */
bool fc_step_run(filecache_t *fc, int64_t now_us, int64_t *wake);
/* Brings every video stream to its newest picture at or before `target` (back through its
   picture cache, a GOP decoded into it when needed, on the decoder workers) and presents those
   that moved, in presentation order (`descending`: newest first); returns how many moved.
   *decoded: a GOP was decoded for it. */
size_t fc_step_move(filecache_t *fc, int64_t target, bool descending, bool *decoded);
/* The latest of the streams' previous pictures (each shown at or before the playhead), where a
   step back goes; INT64_MIN when no stream has one. */
int64_t fc_step_back_target(const filecache_t *fc);
/* filecache_reverse.c: playing backwards (speed < 0), GOP by GOP; returns when to run again. */
int64_t fc_reverse_tick(filecache_t *fc, int64_t now_us);
/* Drops the streams' picture caches (a seek, stop: what they hold is of another time). */
void fc_step_forget(filecache_t *fc);

/* filecache_windows.c: the windows, on the thread (window.h for what each does). */
window_t *fc_window_of(const filecache_t *fc, uint32_t group);
int fc_windows_add(filecache_t *fc, window_t *w);
/* Takes the window of `group` out of the list; NULL when none. */
window_t *fc_windows_remove(filecache_t *fc, uint32_t group);
/* The streams of `group` changed: its loader's ids, and with `added` every use loaded again. */
void fc_windows_streams_changed(filecache_t *fc, uint32_t group, bool added);
/* readBlockTablesIf: every window with streams. */
void fc_windows_refresh(filecache_t *fc, bool force);
/* reqBlocksIf(t) for every window; the frames of uses that left go. */
void fc_windows_request(filecache_t *fc, int64_t t);
/* The same with `ahead` blocks after the playhead's instead of window_blocks (a scrub: 0). */
void fc_windows_request_ahead(filecache_t *fc, int64_t t, uint32_t ahead);
void fc_windows_block_done(filecache_t *fc, const fc_item_t *marker);
/* Whether frames of (group, block, seq) are wanted: the block use is in its window. */
bool fc_windows_hold(const filecache_t *fc, uint32_t group, uint32_t block, uint64_t seq);
/* Whether every block use holding frames at or before `t` is loaded (INT64_MAX: every use of
   the windows, the blocks ahead too). */
bool fc_windows_ready(const filecache_t *fc, int64_t t);
/* The clock must not pass this: later frames may still be loading (INT64_MAX: no bound). */
int64_t fc_windows_horizon(const filecache_t *fc);
/* The recorded range of the FS with streams (last table read); 0 0 when none. */
void fc_windows_range(const filecache_t *fc, int64_t *first_ms, int64_t *last_ms);
/* Stop: every window emptied, loaders' requests cancelled, their frames dropped. */
void fc_windows_forget(filecache_t *fc);

#endif
