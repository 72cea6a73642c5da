/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`'s status line, one per second on stdout (README.md documents it):
 *   t=3s cams=4 streaming=4 frames=300 fps=100.0 dropped=0 blocks=2/64 range=FIRST..LAST
 * key=value pairs separated by single spaces, always the same keys in the same order, so scripts
 * can split it. Which camera is not streaming, and why, goes to stderr as it happens.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli_util.h"
#include "cmd_record.h"

void record_status_format(const record_status_t *s, char *out, size_t size) {
  char first[40], last[40];
  cli_iso_time(s->first_ms, first, sizeof first);
  cli_iso_time(s->last_ms, last, sizeof last);
  /* Whole seconds recorded: ticks fall just after each whole second, never before it. */
  snprintf(out, size,
           "t=%" PRId64 "s cams=%u streaming=%u frames=%" PRIu64 " fps=%.1f dropped=%" PRIu64
           " blocks=%" PRIu64 "/%" PRIu64 " range=%s%s%s",
           s->recording_ms / 1000, s->cams, s->streaming, s->frames, s->fps, s->dropped,
           s->blocks_used, s->blocks_total, first, s->first_ms ? ".." : "",
           s->first_ms ? last : "");
}
