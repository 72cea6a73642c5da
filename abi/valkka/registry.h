/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * registry.h: finding, loading and looking up plugins.
 *
 * The registry is process-wide. Plugins are searched in every directory of $VALKKA_PLUGIN_PATH
 * (colon-separated), then in the install directory (valkka_plugin_dir()). A file that fails the
 * checks of plugin.h is refused with its own error code and message and never called; refusals
 * during a directory scan are logged as warnings and do not stop the scan. Loaded plugins stay
 * loaded until the process exits (a plugin's code may still be referenced by frames in flight).
 */
#ifndef VALKKA_REGISTRY_H
#define VALKKA_REGISTRY_H

#include <valkka/defs.h>
#include <valkka/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded plugin, as the registry reports it. */
typedef struct valkka_plugin_info {
  uint32_t struct_size; /**< the caller sets it to sizeof(valkka_plugin_info_t) */
  uint32_t kind;        /**< valkka_plugin_kind_t */
  uint32_t abi_major;
  uint32_t abi_minor;
  const char *name;        /**< owned by the registry: valid while the process runs */
  const char *version;     /**< idem */
  const char *description; /**< idem */
  const char *path;        /**< the file it was loaded from; idem */
} valkka_plugin_info_t;

/**
 * Scans $VALKKA_PLUGIN_PATH and then the install directory for `*.so` files and loads each.
 * Files already loaded (same path) are skipped, so calling it again is harmless.
 * Returns the number of plugins in the registry afterwards (>= 0); refusals are logged, not
 * returned. Thread safety: any thread (serialised internally). Since ABI 1.0.
 */
VALKKA_API int valkka_plugins_load(void);

/**
 * Loads one plugin file and adds it to the registry; fills `info` (may be NULL).
 * A file already loaded from the same path returns 0 and its info.
 * Errors (each with a detailed valkka_last_error()):
 *   VALKKA_ENOENT     the file does not exist or cannot be read;
 *   VALKKA_ENOTPLUGIN the file is not a loadable shared object, or exports no valkka_plugin_entry;
 *   VALKKA_EABI       another ABI major, or a minor newer than the core's;
 *   VALKKA_EPLUGIN    entry returned NULL, a struct smaller than its required fields, an unknown
 *                     kind, a NULL name, vtable or required method;
 *   VALKKA_EEXIST     a plugin of the same kind and name is already loaded.
 * Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API int valkka_plugin_load_file(const char *path, valkka_plugin_info_t *info);

/** Number of plugins in the registry. Thread safety: any thread. Since ABI 1.0. */
VALKKA_API int valkka_plugin_count(void);

/**
 * Info of the plugin at `index` (0 .. count-1, in load order).
 * Errors: VALKKA_EINVAL (NULL info or struct_size too small), VALKKA_ERANGE. Since ABI 1.0.
 */
VALKKA_API int valkka_plugin_get(int index, valkka_plugin_info_t *info);

/**
 * The descriptor of the loaded plugin of `kind` named `name`, or NULL (VALKKA_ENOENT in
 * valkka_last_error()) when none. The pointer stays valid while the process runs.
 * Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API const valkka_plugin_t *valkka_plugin_find(valkka_plugin_kind_t kind, const char *name);

/**
 * The host table the core hands to plugins. Shells rarely need it; tests and wrapper plugins do.
 * Static, never NULL. Since ABI 1.0.
 */
VALKKA_API const valkka_host_t *valkka_host(void);

/** The install directory of plugins (compiled in). Static string. Since ABI 1.0. */
VALKKA_API const char *valkka_plugin_dir(void);

/** "source", "decoder", "storage" or "unknown". Static string. Since ABI 1.0. */
VALKKA_API const char *valkka_plugin_kind_name(uint32_t kind);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_REGISTRY_H */
