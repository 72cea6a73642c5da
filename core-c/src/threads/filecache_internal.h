/*
 * The file-cache thread's object, shared by its files: the inbox and lifecycle (filecache.c) and
 * the playback engine (filecache_play.c).
 */
#ifndef VALKKA_THREADS_FILECACHE_INTERNAL_H
#define VALKKA_THREADS_FILECACHE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "threads/filecache.h"
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
  FC_CMD_REMOVE_GROUP
} fc_cmd_kind_t;

/* A request for the thread. Synchronous ones live on the caller's stack until `done`. */
typedef struct fc_cmd {
  struct fc_cmd *next;
  fc_cmd_kind_t kind;
  int64_t t;
  double speed;
  uint32_t group, id;
  fc_stream_t *stream;
  bool sync;
  bool done; /* under the lock */
} fc_cmd_t;

/* What a block loader hands over: a frame, or the end-of-block marker. */
typedef struct fc_item {
  struct fc_item *next;
  bool marker;
  uint32_t group, block, stream_id, frames;
  uint64_t seq;
  uint64_t generation;
  int result;
  int64_t max_ms;
  fc_frame_t frame;
} fc_item_t;

struct filecache {
  filecache_params_t params;
  filecache_hooks_t hooks;
  valkka_thread_t thread;

  /* `lock` guards the inbox, the callbacks and the published state; never held calling out. */
  pthread_mutex_t lock;
  pthread_cond_t wake; /* commands, items, stop: for the thread */
  pthread_cond_t done; /* synchronous commands completed */
  pthread_cond_t room; /* the intake went below its bound */
  bool stopping;
  bool seek_queued; /* a seek waits in the inbox: the published playhead is already its time */
  int64_t seek_queued_t;
  fc_cmd_t *cmd_head, *cmd_tail;
  fc_item_t *item_head, *item_tail;
  uint64_t intake_bytes;
  valkka_manager_time_fn time_cb;
  void *time_user;
  valkka_manager_time_limits_fn limits_cb;
  void *limits_user;
  valkka_manager_state_t pub;

  /* The thread's own state: no lock. */
  fc_stream_t **streams;
  size_t n_streams, cap_streams;
  fc_stream_t **batch; /* streams with a picture to present, this round */
  uint32_t mode;       /* valkka_playback_state_t, never SEEKING: `seeking` says that */
  double speed;
  bool have_playhead;
  int64_t current;
  bool seeking;
  int64_t seek_target, seek_deadline_us;
  uint32_t steps;
  int64_t step_deadline_us;
  int64_t anchor_ms, anchor_us; /* playing: the clock read anchor_ms at anchor_us */
  int64_t presented_ms;
  bool at_end;
  int64_t hb_us, hb_ms; /* last heartbeat: when, and the time it carried */
  bool hb_sent;
  int64_t wiring_us;    /* last refresh + request for the playhead */
  uint64_t seeks, presented;
  int64_t lim_first, lim_last;
};

/* filecache_play.c: the engine, on the thread. */
void fc_apply(filecache_t *fc, fc_cmd_t *cmd, int64_t now_us);
void fc_merge(filecache_t *fc, fc_item_t *item);
/* Runs what is due; returns when to run again (monotonic us). */
int64_t fc_run(filecache_t *fc, int64_t now_us);
/* Copies the engine's state into fc->pub (takes the lock). */
void fc_publish(filecache_t *fc);
/* Frees a stream list entry set (the thread's exit). */
void fc_free_streams(filecache_t *fc);

#endif
