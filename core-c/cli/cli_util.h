/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the `valkka` subcommands share: parsing and printing counts and times (sizes:
 * valkka_size_parse, config.h), an FS's stream table. */
#ifndef VALKKA_CLI_UTIL_H
#define VALKKA_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <valkka/error.h>
#include <valkka/fs.h>

/* A plain non-negative decimal count. 0, or -1 when malformed. */
int cli_parse_count(const char *text, uint64_t *out);

/* `ms` (epoch milliseconds) as ISO 8601 UTC with milliseconds, "2026-11-25T06:01:02.120Z";
 * "-" for 0 (no time). */
void cli_iso_time(int64_t ms, char *out, size_t n);

/* The FS's streams (valkka_fs_get_streams) into `*out`, the caller's to free (set even when there
 * are none); how many, or a negative VALKKA_E... code with nothing allocated. Streams that begin
 * between the count and the copy (a writer of another process) are left for the next look. */
int cli_fs_streams(valkka_fs_t *fs, valkka_fs_stream_info_t **out);

/* The source plugin the live pipeline picks for a URL when a camera names none (live.h,
 * valkka_camera_t.source: by scheme), for the CLI to find the plugin before a camera starts.
 * The core's copy of the rule is internal (live/live.c) and the CLI reaches only the public ABI. */
const char *cli_source_plugin(const char *url);

#endif
