/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka fs inspect`'s view of a recorder's status.json (cmd_fs_status.c). */
#ifndef VALKKA_CLI_CMD_FS_STATUS_H
#define VALKKA_CLI_CMD_FS_STATUS_H

#include <jansson.h>

#include <valkka/fs.h>

/* The FS directory's status.json (local or served) as an object (the caller decrefs it), or
   NULL when absent or not JSON. */
json_t *fs_status_load(valkka_fs_t *fs);
/* The recorder and its cameras' states, in `fs inspect`'s text layout; nothing without a file. */
void fs_status_print(valkka_fs_t *fs);

#endif
