/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One stream of an FS remuxed into one file without re-encoding (libavformat): what `valkka
 * export` does once per camera. The caller chose the container and the file (export_output.h).
 */
#ifndef VALKKA_CLI_EXPORT_REMUX_H
#define VALKKA_CLI_EXPORT_REMUX_H

#include <stddef.h>
#include <stdint.h>

#include <valkka/valkka.h>

#include "export_output.h"
#include "export_progress.h"

typedef struct export_job {
  uint32_t stream_id;
  int64_t from, to;
  const char *path; /* OUT, as messages name it */
  const char *file; /* where the file is written (a temporary name beside OUT) */
  const export_container_t *container;
  const char *camera;   /* the stream's name in the FS, or NULL */
  const char *recorder; /* the machine that recorded it (metadata) */
  export_progress_t *progress;
} export_job_t;

typedef struct export_result {
  size_t count; /* video frames written */
  int64_t first_ms, last_ms;
  size_t audio_count;
  uint32_t audio_id, audio_codec;
} export_result_t;

/* Writes `job`'s range of its stream into job->file, complete with its trailer. 0, or one line
 * said and the exit status; the file is then the caller's to remove. */
int export_remux(valkka_fs_t *fs, const export_job_t *job, export_result_t *result);

#endif
