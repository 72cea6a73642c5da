/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-singlefs: ValkkaFS backend: one stream per FS (own capacity and retention per camera). */
#include <valkka/plugin.h>

#include "posix_file.h"

static const valkka_storage_vtable_t vtable = {
    .struct_size = sizeof(valkka_storage_vtable_t),
    .max_streams = 1,
    .open = valkka_posix_file_open,
    .pread = valkka_posix_file_pread,
    .pwrite = valkka_posix_file_pwrite,
    .sync = valkka_posix_file_sync,
    .close = valkka_posix_file_close,
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_STORAGE,
    .name = "storage-singlefs",
    .version = "1.0.0",
    .description = "ValkkaFS backend: one stream per FS (own capacity and retention per camera)",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
