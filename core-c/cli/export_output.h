/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where `valkka export` writes: the container (OUT's extension or --format), the file written
 * under a temporary name beside OUT and put in OUT's place only once complete (a failed export
 * leaves neither a half file nor a destroyed old one), the file names of a several-camera export,
 * and the metadata every file carries.
 */
#ifndef VALKKA_CLI_EXPORT_OUTPUT_H
#define VALKKA_CLI_EXPORT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libavformat/avformat.h>

typedef struct export_container {
  const char *name; /* --format's word and libavformat's muxer: "mp4", "matroska", "mov" */
  const char *ext;  /* without the dot */
  bool faststart;   /* ISO BMFF: the moov atom moved before the media data */
} export_container_t;

/* The extensions, for messages: ".mp4, .mkv, .mov". */
#define EXPORT_EXTENSIONS ".mp4, .mkv, .mov"

/* --format's word ("mkv" is taken for "matroska"); NULL when unknown. */
const export_container_t *export_container_named(const char *name);

/* The container `path`'s extension names (any case); NULL when it names none of ours. */
const export_container_t *export_container_of(const char *path);

/* 0 when OUT may be written: it does not exist, or `force` and it is not a directory. Otherwise
 * one line and the exit status. */
int export_output_check(const char *out, bool force);

/* A new empty file beside `out` (".NAME.XXXXXX" in its directory) with the mode a new OUT would
 * get; its name in `*tmp` (malloc'd). 0, or one line and the exit status. */
int export_output_create(const char *out, char **tmp);

/* Removes `tmp` (the export failed). Until this or export_output_commit, SIGINT, SIGTERM and
 * SIGHUP remove it before they end the process. */
void export_output_discard(const char *tmp);

/* Puts the complete `tmp` in `out`'s place: replacing it with `force`, else only while it still
 * does not exist. `tmp` is gone afterwards either way. 0, or one line and the exit status. */
int export_output_commit(const char *tmp, const char *out, bool force);

/* The file of camera `camera` (stream `id` when it is unnamed) in directory `dir`:
 * "<camera>_<from as local YYYYmmdd-HHMMSS>.<ext>", the camera's name made safe as a file name. */
void export_output_name(char *buf, size_t n, const char *dir, const char *camera, uint32_t id,
                        int64_t from_ms, const char *ext);

/* The file's metadata: title (the camera's name, when it has one), recorder, and creation_time
 * (`first_ms`, ISO 8601 UTC). 0, or a negative AVERROR. */
int export_output_metadata(AVDictionary **metadata, const char *camera, const char *recorder,
                           int64_t first_ms);

#endif
