/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>
#include <string.h>

#include <valkka/error.h>
#include <valkka/registry.h>

#include "plugin/check.h"

/* A method a kind's vtable must have: its name, and the bytes it takes in the vtable. */
typedef struct required_method {
  const char *name;
  size_t offset, end;
} required_method_t;

#define METHOD(type, method) \
  { #method, offsetof(type, method), offsetof(type, method) + sizeof(((type *)0)->method) }

static const required_method_t source_methods[] = {METHOD(valkka_source_vtable_t, open),
                                                   METHOD(valkka_source_vtable_t, read),
                                                   METHOD(valkka_source_vtable_t, interrupt),
                                                   METHOD(valkka_source_vtable_t, close)};
static const required_method_t decoder_methods[] = {METHOD(valkka_decoder_vtable_t, open),
                                                    METHOD(valkka_decoder_vtable_t, send),
                                                    METHOD(valkka_decoder_vtable_t, receive),
                                                    METHOD(valkka_decoder_vtable_t, flush),
                                                    METHOD(valkka_decoder_vtable_t, close)};
static const required_method_t storage_methods[] = {METHOD(valkka_storage_vtable_t, open),
                                                    METHOD(valkka_storage_vtable_t, pread),
                                                    METHOD(valkka_storage_vtable_t, pwrite),
                                                    METHOD(valkka_storage_vtable_t, sync),
                                                    METHOD(valkka_storage_vtable_t, close)};

#define N_METHODS(list) (sizeof(list) / sizeof(list)[0])

/* A method counts as present only when the plugin's struct is big enough to hold it and it is set.
 * The vtable starts with its struct_size, as every vtable does; the methods are function pointers,
 * read as one type. */
static int require_methods(const void *vt, const char *kind, const required_method_t *methods,
                           size_t n, const char *origin) {
  const uint32_t size = *(const uint32_t *)vt;
  for (size_t i = 0; i < n; i++) {
    if (size < methods[i].end)
      return valkka_error_set(VALKKA_EPLUGIN,
                              "plugin %s: %s vtable of %u bytes lacks required method %s", origin,
                              kind, size, methods[i].name);
    void (*method)(void);
    memcpy(&method, (const char *)vt + methods[i].offset, sizeof method);
    if (!method)
      return valkka_error_set(VALKKA_EPLUGIN, "plugin %s: required method %s.%s is NULL", origin,
                              kind, methods[i].name);
  }
  return 0;
}

static int check_storage(const valkka_storage_vtable_t *vt, const char *origin) {
  if (!VALKKA_HAS_FIELD(vt, valkka_storage_vtable_t, max_streams))
    return valkka_error_set(VALKKA_EPLUGIN,
                            "plugin %s: storage vtable of %u bytes lacks max_streams", origin,
                            vt->struct_size);
  if (vt->max_streams > 1)
    return valkka_error_set(VALKKA_EPLUGIN,
                            "plugin %s: storage max_streams %u (0 = any, 1 = single)", origin,
                            vt->max_streams);
  int err = require_methods(vt, "storage", storage_methods, N_METHODS(storage_methods), origin);
  if (err || !VALKKA_HAS_FIELD(vt, valkka_storage_vtable_t, close_dir)) return err;
  /* A directory backend is whole or absent: the core calls open_in and load once open_dir gave
     it a handle. */
  const int dir_methods = !!vt->open_dir + !!vt->load + !!vt->open_in + !!vt->close_dir;
  if (dir_methods != 0 && dir_methods != 4)
    return valkka_error_set(VALKKA_EPLUGIN,
                            "plugin %s: storage open_dir, load, open_in and close_dir: all four "
                            "or none (%d set)",
                            origin, dir_methods);
  return 0;
}

int plugin_check(const valkka_plugin_t *desc, const char *origin) {
  if (!desc)
    return valkka_error_set(VALKKA_EPLUGIN, "plugin %s: valkka_plugin_entry returned NULL", origin);
  /* abi_major and abi_minor come first in every version of the descriptor: safe to read. */
  if (desc->abi_major != VALKKA_ABI_MAJOR)
    return valkka_error_set(VALKKA_EABI, "plugin %s: built for ABI major %u, core has %u", origin,
                            desc->abi_major, VALKKA_ABI_MAJOR);
  if (desc->abi_minor > VALKKA_ABI_MINOR)
    return valkka_error_set(VALKKA_EABI, "plugin %s: built for ABI %u.%u, newer than core's %u.%u",
                            origin, desc->abi_major, desc->abi_minor, VALKKA_ABI_MAJOR,
                            VALKKA_ABI_MINOR);
  if (!VALKKA_HAS_FIELD(desc, valkka_plugin_t, vtable))
    return valkka_error_set(VALKKA_EPLUGIN,
                            "plugin %s: descriptor of %u bytes is smaller than ABI 1.0's %zu",
                            origin, desc->struct_size,
                            offsetof(valkka_plugin_t, vtable) + sizeof(void *));
  if (!desc->name || !desc->name[0])
    return valkka_error_set(VALKKA_EPLUGIN, "plugin %s: no name", origin);
  if (!desc->version)
    return valkka_error_set(VALKKA_EPLUGIN, "plugin %s (%s): no version", origin, desc->name);
  if (!desc->vtable)
    return valkka_error_set(VALKKA_EPLUGIN, "plugin %s (%s): NULL vtable", origin, desc->name);
  /* Every vtable starts with struct_size; read it before anything else of the vtable. */
  const uint32_t vt_size = *(const uint32_t *)desc->vtable;
  if (vt_size < sizeof(uint32_t) + sizeof(void *))
    return valkka_error_set(VALKKA_EPLUGIN, "plugin %s (%s): vtable struct_size %u too small",
                            origin, desc->name, vt_size);
  switch (desc->kind) {
    case VALKKA_PLUGIN_SOURCE:
      return require_methods(desc->vtable, "source", source_methods, N_METHODS(source_methods),
                             origin);
    case VALKKA_PLUGIN_DECODER:
      return require_methods(desc->vtable, "decoder", decoder_methods, N_METHODS(decoder_methods),
                             origin);
    case VALKKA_PLUGIN_STORAGE: return check_storage(desc->vtable, origin);
    default:
      return valkka_error_set(VALKKA_EPLUGIN, "plugin %s (%s): unknown kind %u", origin, desc->name,
                              desc->kind);
  }
}
