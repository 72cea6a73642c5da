/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`'s session as its parts share it: the session itself (cmd_record_session.c),
 * the reload that changes it (cmd_record_reload.c) and the status.json writer
 * (cmd_record_statefile.c). Not for the rest of the command: cmd_record.h is.
 */
#ifndef VALKKA_CLI_CMD_RECORD_SESSION_H
#define VALKKA_CLI_CMD_RECORD_SESSION_H

#include <pthread.h>
#include <stdatomic.h>

#include "cmd_record.h"

/* An FS the session opened. Entries stay when closed at a reload (fs NULL): indexes are kept. */
typedef struct session_fs {
  char *key, *dir; /* the plan's canonical path and the directory as given (owned copies) */
  valkka_fs_t *fs;
  uint32_t cameras; /* cameras recording into it */
  uint32_t *ids;    /* every stream id recorded into it since open, for the frames written */
  size_t n_ids;
  bool final; /* its status.json says "stopped": not rewritten any more */
} session_fs_t;

/* What a camera's status callback last said, for status.json. Under the session's lock. */
typedef struct session_state {
  uint32_t state;   /* valkka_stream_state_t; 0 before the first callback */
  char reason[256]; /* redacted by the live pipeline */
  int64_t since_ms; /* wall clock of the change */
  uint64_t frames;  /* the live counters when status.json was last written */
  double fps;
  uint32_t retry_in_ms; /* reconnecting: the next attempt this long after since_ms, else 0 */
} session_state_t;

/* Live slot `slot` of the session: the camera recording through it, when `spec` is set. */
typedef struct session_cam {
  const record_camera_t *spec; /* in the session's current plan; NULL: slot free */
  size_t fs;                   /* index in record_session_t.fs */
  session_state_t state;
} session_cam_t;

typedef struct record_statefile record_statefile_t;

struct record_session {
  const record_plan_t *plan; /* the current plan: the caller's, then a reload's */
  record_plan_t *owned;      /* the reloaded plan the session frees; NULL before a reload */
  session_fs_t *fs;
  size_t n_fs;
  session_cam_t cams[RECORD_MAX_CAMERAS]; /* by live slot */
  valkka_live_t *live;
  _Atomic int64_t first_frame_us;
  uint64_t written_closed; /* frames written into FS closed at reloads */
  pthread_mutex_t lock;    /* cams[] (spec, fs, state), fs and n_fs, against the writer of
                              status.json and the status callbacks */
  record_statefile_t *statefile;
};

/* cmd_record_session.c: the pieces a reload reuses. Each returns 0 or a cli_fail status. */
int session_open_fs(record_session_t *s, const record_plan_t *plan, size_t plan_fs, size_t *index);
void session_close_fs(record_session_t *s, size_t index);
int session_add_camera(record_session_t *s, const record_plan_t *plan, size_t cam, size_t fs,
                       uint32_t slot);
void session_remove_camera(record_session_t *s, uint32_t slot);
/* The camera's name as the live pipeline and the logs say it: its own, or "camera SLOT". */
const char *session_camera_name(const record_camera_t *cam, uint32_t slot, char *out, size_t size);

/* cmd_record_statefile.c: status.json in each FS directory (README.md, "status.json"). */
int record_statefile_start(record_session_t *s, record_statefile_t **out);
/* A camera's state changed: the files are rewritten now rather than at the next second. */
void record_statefile_poke(record_statefile_t *f);
/* Stops the thread (before the live cameras go: it reads their counters). */
void record_statefile_halt(record_statefile_t *f);
/* Writes every open FS's file once more, each camera "stopped", and frees `f`. */
void record_statefile_stop(record_statefile_t *f);
/* Writes the file of FS `index` with each of its cameras "stopped" (an FS a reload closes). */
void record_statefile_final(record_session_t *s, size_t index);

#endif
