/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding a plugin from inside the core. */
#ifndef VALKKA_PLUGIN_FIND_H
#define VALKKA_PLUGIN_FIND_H

#include <valkka/registry.h>

/**
 * valkka_plugin_find, after loading the plugins (valkka_plugins_load) when the first look finds
 * nothing: the core's callers may not have loaded them yet, and loading twice is harmless. NULL
 * with the reason set when there is no such plugin.
 */
const valkka_plugin_t *plugin_find_or_load(valkka_plugin_kind_t kind, const char *name);

#endif
