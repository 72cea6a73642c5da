/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks a plugin descriptor before anything of the plugin runs. */
#ifndef VALKKA_PLUGIN_CHECK_H
#define VALKKA_PLUGIN_CHECK_H

#include <valkka/plugin.h>

/**
 * 0 when `desc` may be used by this core; else VALKKA_EABI or VALKKA_EPLUGIN with the reason in
 * valkka_last_error(), prefixed by `origin` (the file name).
 */
int plugin_check(const valkka_plugin_t *desc, const char *origin);

#endif
