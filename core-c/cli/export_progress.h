/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka export --progress` on stderr: on a terminal one line rewritten in place (\r) as the
 * percentage changes; otherwise (a log, a pipe) one line per 10 %, so that a log holds ten lines
 * per file and never a flood. The percentage is the exported frames' time within the range (its
 * recorded part), over the passes the export makes (export_remux.h).
 */
#ifndef VALKKA_CLI_EXPORT_PROGRESS_H
#define VALKKA_CLI_EXPORT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct export_progress {
  bool on;       /* --progress */
  bool terminal; /* stderr is one */
  const char *label;
  int64_t from, to; /* the recorded part of the range */
  int passes, pass;
  int shown; /* the last percentage shown (terminal) or decile line written, -1 before any */
} export_progress_t;

/* Ready to report on `label` (the camera) for frames between `from` and `to`. */
void export_progress_init(export_progress_t *p, bool on, const char *label, int64_t from,
                          int64_t to);

/* A frame at `mstime` of the current pass was exported (or read). */
void export_progress_at(export_progress_t *p, int64_t mstime);

/* The current pass is over (read to its end or stopped early). */
void export_progress_pass_done(export_progress_t *p);

/* The export ended: when `ok`, 100 % is shown; on a terminal the line is ended. */
void export_progress_end(export_progress_t *p, bool ok);

#endif
