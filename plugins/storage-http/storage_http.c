/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-http: a ValkkaFS directory served by any HTTP server, opened by URL and read only,
 * through libcurl. The core reads the same files by the same byte ranges as on a local disk;
 * here each read is a Range request.
 */
#include <valkka/plugin.h>

#include "http_dir.h"
#include "http_file.h"

/* A local path is not this backend's: an FS by URL comes through open_dir. */
static int open_path(const valkka_host_t *host, const char *path, uint64_t size, uint32_t flags,
                     void **file) {
  (void)size, (void)flags;
  *file = NULL;
  return host->error_set(VALKKA_EINVAL,
                         "storage-http: %s: opens an FS by URL (http:// or https://) only", path);
}

static const valkka_storage_vtable_t vtable = {
    .struct_size = sizeof(valkka_storage_vtable_t),
    .max_streams = 0,
    .open = open_path,
    .pread = http_file_pread,
    .pwrite = http_file_pwrite,
    .sync = http_file_sync,
    .close = http_file_close,
    .open_dir = http_dir_open,
    .load = http_dir_load,
    .open_in = http_file_open_in,
    .close_dir = http_dir_close,
};

static const valkka_plugin_option_t options[] = {
    {"ca_file", "PEM file of the CA that signed the server's certificate (default: the system's)"},
    {"bearer_token", "sent as \"Authorization: Bearer TOKEN\" (default none)"},
    {"bearer_token_file", "a file whose first line is the bearer token (default none)"},
    {"connect_timeout_ms", "the longest a connect may take (default 5000)"},
    {"stall_timeout_ms", "a transfer with no byte for this long fails (default 5000)"},
    {"transfer_timeout_ms", "the longest one transfer may take (default 60000)"},
    {0},
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_STORAGE,
    .name = "storage-http",
    .version = "1.0.0",
    .description = "ValkkaFS read by URL from any HTTP server (Range requests, read-only)",
    .vtable = &vtable,
    .options = options,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
