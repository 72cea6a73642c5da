/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the `valkka` subcommands share (cli_util.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "cli_util.h"

int cli_parse_count(const char *text, uint64_t *out) {
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || end == text || *end || text[0] == '-') return -1;
  *out = v;
  return 0;
}

void cli_iso_time(int64_t ms, char *out, size_t n) {
  if (ms <= 0) {
    snprintf(out, n, "-");
    return;
  }
  time_t s = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&s, &tm);
  size_t len = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + len, n - len, ".%03dZ", (int)(ms % 1000));
}

const char *cli_source_plugin(const char *url) {
  if (!strncasecmp(url, "rtsp://", 7) || !strncasecmp(url, "rtsps://", 8)) return "source-rtsp";
  if (!strncasecmp(url, "synthetic://", 12)) return "source-synthetic";
  return "source-file";
}

int cli_fs_streams(valkka_fs_t *fs, valkka_fs_stream_info_t **out) {
  *out = NULL;
  valkka_fs_stream_info_t probe = {.struct_size = sizeof probe};
  const int n = valkka_fs_get_streams(fs, &probe, 0);
  if (n < 0) return n;
  valkka_fs_stream_info_t *streams = calloc((size_t)n + 1, sizeof *streams);
  if (!streams) return VALKKA_ENOMEM;
  streams[0].struct_size = sizeof *streams;
  const int got = valkka_fs_get_streams(fs, streams, (uint32_t)n);
  if (got < 0) {
    free(streams);
    return got;
  }
  *out = streams;
  return got < n ? got : n; /* it counts them all, but copied only `n` */
}
