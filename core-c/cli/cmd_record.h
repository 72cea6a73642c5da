/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`: the plan (which camera goes into which FS under which stream id), and the
 * pieces that build it (options, config file) and run it (the session, the status line).
 * Functions returning int return 0, or print one line through cli_fail and return its status.
 */
#ifndef VALKKA_CLI_CMD_RECORD_H
#define VALKKA_CLI_CMD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <valkka/valkka.h>

/* As many cameras as a config holds (config.h); a bound keeps typos harmless. */
#define RECORD_MAX_CAMERAS VALKKA_CONFIG_MAX_CAMERAS
/* A camera's audio is recorded as live slot RECORD_MAX_CAMERAS + its slot, and, unless the config
   says otherwise ("audio_id"), as stream id RECORD_AUDIO_ID_BASE + its video stream id. */
#define RECORD_AUDIO_ID_BASE VALKKA_CONFIG_AUDIO_ID_BASE

typedef struct record_fs {
  char *dir;    /* as given */
  char *key;    /* the canonical path: two spellings of one directory are one FS */
  char *origin; /* the option or config field that named it (record_plan_where) */
  bool create;  /* create it when `dir` holds no FS yet (config "create") */
  uint32_t kind, block_size, n_blocks; /* what to create */
} record_fs_t;

typedef struct record_camera {
  char *origin;       /* "cameras[2]", "--synthetic camera 3", "--file 1" (record_plan_where) */
  char *name;         /* NULL: the live pipeline's "camera <slot>" */
  char *url;          /* may carry a password: handed to the live pipeline, never printed */
  size_t fs;          /* index in record_plan_t.fs */
  uint32_t stream_id; /* 0 until record_plan_finish (or set by the config) */
  bool no_audio;      /* config "audio": false */
  uint32_t audio_id;  /* its audio's stream id: 0 until record_plan_finish; 0 after it: none */
  uint32_t camera_id; /* a substream recorded beside its main: the main's stream id; else 0 */
  const valkka_option_t *options; /* borrowed from record_plan_t.loaded */
  size_t n_options;
} record_camera_t;

typedef struct record_plan {
  const char *config;      /* the config file it came from (borrowed), or NULL */
  valkka_config_t *loaded; /* that file as the library loaded it, freed with the plan */
  record_fs_t *fs;
  size_t n_fs;
  record_camera_t *cameras; /* camera i records through live slot i */
  size_t n_cameras;
} record_plan_t;

/* cmd_record_plan.c: building and checking a plan. */
int record_plan_fs(record_plan_t *plan, const char *dir, const char *origin, size_t *index);
int record_plan_camera(record_plan_t *plan, const char *origin, const char *url, size_t fs,
                       record_camera_t **camera);
/* Gives cameras without an id the id index + 1 (a config's come with theirs, checked unique per
 * FS by the library); warns when an FS would hold more streams than a block names. */
int record_plan_finish(record_plan_t *plan);
void record_plan_free(record_plan_t *plan);
/* `origin` as messages name it: "config FILE: cameras[2]" for a plan from a config file. */
const char *record_plan_where(const record_plan_t *plan, const char *origin, char *out,
                              size_t size);

/* cmd_record_config.c: the JSON config file (config.h; README.md, "The config file"). */
int record_config_load(const char *path, record_plan_t *plan);

/* cmd_record_check.c: the plan against the plugins (loaded by then), before anything opens. */
/* Every camera's source plugin is loaded, and each of its options is one the plugin declares
 * ("cameras[0].options.tranport: source-rtsp has no such option (...)"). */
int record_check_sources(const record_plan_t *plan);
/* `--check`: record_check_sources, then per FS and camera what a run would do, on stdout. */
int record_check_print(const record_plan_t *plan);
/* One line naming `origin` with the library's last error for `code`; returns its status. */
int record_fail_lib(const record_plan_t *plan, int code, const char *origin);

/* What one status line says (cmd_record_status.c formats it). */
typedef struct record_status {
  int64_t recording_ms; /* since the first frame; 0 before it */
  uint32_t cams, streaming, failed, ended;
  uint64_t frames;  /* read from the cameras, codec configurations included */
  uint64_t dropped; /* refused by the FS input, too big for a block, or failed to be written */
  double fps;
  uint64_t blocks_used, blocks_total;
  int64_t first_ms, last_ms; /* what the FS hold, all of them together; 0 when empty */
} record_status_t;

void record_status_format(const record_status_t *status, char *out, size_t size);

/* cmd_record_session.c: the FS, their writer threads and the live cameras. */
typedef struct record_session record_session_t;

/* Opens (or creates) every FS, starts its writer, adds every camera. `plan` must outlive it. */
int record_session_start(const record_plan_t *plan, record_session_t **session);
/* Monotonic microseconds of the first frame any camera delivered; 0 before it. Any thread. */
int64_t record_session_first_frame_us(record_session_t *session);
void record_session_status(record_session_t *session, record_status_t *status);
/* The writer of the session's FS number `index`, read under the session's lock. An FS keeps its
 * number while the session runs: the first plan's are 0, 1, ..., one a reload opens takes the
 * next, one a reload closes keeps its own, closed. 1 when open, with `*beats` its
 * valkka_fs_info_t.writer_beats (a count that stops moving is a writer thread stuck or gone; 0
 * from a library older than ABI 1.2) and `*dir` its directory as given (valid until the session
 * stops); 0 when closed; -1 past the last. Any thread. */
int record_session_writer_beats(record_session_t *session, size_t index, uint64_t *beats,
                                const char **dir);
/* Stops the cameras, then each writer (writing what is queued, syncing) and closes each FS.
 * `written` (may be NULL) gets the frames the FS took since open. Frees the session. */
void record_session_stop(record_session_t *session, uint64_t *written);

/* cmd_record_reload.c: SIGHUP with --config: FILE read and checked again, the session brought to
 * it (cameras added, removed, restarted; untouched ones go on). On a refusal the error is on
 * stderr and the session is unchanged. */
int record_session_reload(record_session_t *session, const char *path);

#endif
