/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The source of a camera that another process records: `valkkafs:///ABSOLUTE/DIR?stream=ID`
 * reads stream ID of the FS in DIR as its recorder writes it (fs.h, valkka_fs_follow_start), so
 * a viewer shows the live edge of the recording without a second connection to the camera;
 * `valkkafs://https://HOST/PATH?stream=ID` the same of an FS an HTTP server serves, opened with
 * the camera's options (ca_file, bearer_token_file) as the FS's open options. It
 * lives in the core, not in a plugin: it is the FS's reader, and plugins reach no FS.
 */
#ifndef VALKKA_LIVE_FS_SOURCE_H
#define VALKKA_LIVE_FS_SOURCE_H

#include <stdbool.h>

#include <valkka/plugin.h>

#define FS_SOURCE_SCHEME "valkkafs://"
#define FS_SOURCE_NAME "valkkafs"

/* True when `url` names an FS stream. */
bool fs_source_url(const char *url);

extern const valkka_source_vtable_t fs_source_vtable;

#endif
