#include <stddef.h>

#include <valkka/error.h>
#include <valkka/registry.h>

#include "plugin/check.h"

/* A method counts as present only when the plugin's struct is big enough to hold it and it is set. */
#define REQUIRE_METHOD(vt, type, method, origin, kind_name)                                        \
  do {                                                                                             \
    if (!VALKKA_HAS_FIELD(vt, type, method))                                                       \
      return valkka_error_set(VALKKA_EPLUGIN,                                                      \
                              "plugin %s: %s vtable of %u bytes lacks required method %s", origin, \
                              kind_name, (vt)->struct_size, #method);                              \
    if (!(vt)->method)                                                                             \
      return valkka_error_set(VALKKA_EPLUGIN, "plugin %s: required method %s.%s is NULL", origin,  \
                              kind_name, #method);                                                 \
  } while (0)

static int check_source(const valkka_source_vtable_t *vt, const char *origin) {
  REQUIRE_METHOD(vt, valkka_source_vtable_t, open, origin, "source");
  REQUIRE_METHOD(vt, valkka_source_vtable_t, read, origin, "source");
  REQUIRE_METHOD(vt, valkka_source_vtable_t, interrupt, origin, "source");
  REQUIRE_METHOD(vt, valkka_source_vtable_t, close, origin, "source");
  return 0;
}

static int check_decoder(const valkka_decoder_vtable_t *vt, const char *origin) {
  REQUIRE_METHOD(vt, valkka_decoder_vtable_t, open, origin, "decoder");
  REQUIRE_METHOD(vt, valkka_decoder_vtable_t, send, origin, "decoder");
  REQUIRE_METHOD(vt, valkka_decoder_vtable_t, receive, origin, "decoder");
  REQUIRE_METHOD(vt, valkka_decoder_vtable_t, flush, origin, "decoder");
  REQUIRE_METHOD(vt, valkka_decoder_vtable_t, close, origin, "decoder");
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
  REQUIRE_METHOD(vt, valkka_storage_vtable_t, open, origin, "storage");
  REQUIRE_METHOD(vt, valkka_storage_vtable_t, pread, origin, "storage");
  REQUIRE_METHOD(vt, valkka_storage_vtable_t, pwrite, origin, "storage");
  REQUIRE_METHOD(vt, valkka_storage_vtable_t, sync, origin, "storage");
  REQUIRE_METHOD(vt, valkka_storage_vtable_t, close, origin, "storage");
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
    case VALKKA_PLUGIN_SOURCE: return check_source(desc->vtable, origin);
    case VALKKA_PLUGIN_DECODER: return check_decoder(desc->vtable, origin);
    case VALKKA_PLUGIN_STORAGE: return check_storage(desc->vtable, origin);
    default:
      return valkka_error_set(VALKKA_EPLUGIN, "plugin %s (%s): unknown kind %u", origin, desc->name,
                              desc->kind);
  }
}
