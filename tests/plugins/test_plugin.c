/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A test source plugin with one chosen defect (DEFECT_<name>), so each refusal of the loader has a
 * real shared object to refuse. DEFECT_none is a correct plugin named "test-dup".
 */
#include <stddef.h>

#include <valkka/plugin.h>

static int t_open(const valkka_host_t *host, const char *url, const valkka_option_t *options,
                  size_t n_options, void **instance) {
  (void)url, (void)options, (void)n_options;
  *instance = NULL;
  return host->error_set(VALKKA_ENOSYS, "test plugin opens nothing");
}
__attribute__((unused)) static int t_read(void *instance, valkka_frame_t *frame, int timeout_ms) {
  (void)instance, (void)frame, (void)timeout_ms;
  return VALKKA_EOS;
}
static int t_interrupt(void *instance) {
  (void)instance;
  return 0;
}
static void t_close(void *instance) { (void)instance; }

#if defined(DEFECT_small_vtable)
/* Too small to hold the required close method. */
static const valkka_source_vtable_t vtable = {
    offsetof(valkka_source_vtable_t, close), t_open, t_read, t_interrupt, t_close, NULL};
#elif defined(DEFECT_old_minor_short_vtable)
/* An older plugin: its vtable ends before the optional info method. Accepted; info reads NULL. */
static const valkka_source_vtable_t vtable = {
    offsetof(valkka_source_vtable_t, info), t_open, t_read, t_interrupt, t_close, NULL};
#elif defined(DEFECT_null_method)
static const valkka_source_vtable_t vtable = {
    sizeof(valkka_source_vtable_t), t_open, NULL, t_interrupt, t_close, NULL};
#else
static const valkka_source_vtable_t vtable = {
    sizeof(valkka_source_vtable_t), t_open, t_read, t_interrupt, t_close, NULL};
#endif

#if defined(DEFECT_abi_major)
#define ABI_MAJOR (VALKKA_ABI_MAJOR + 1)
#else
#define ABI_MAJOR VALKKA_ABI_MAJOR
#endif
#if defined(DEFECT_abi_minor_newer)
#define ABI_MINOR (VALKKA_ABI_MINOR + 1)
#else
#define ABI_MINOR VALKKA_ABI_MINOR
#endif
#if defined(DEFECT_small_descriptor)
#define DESC_SIZE ((uint32_t)offsetof(valkka_plugin_t, vtable))
#else
#define DESC_SIZE ((uint32_t)sizeof(valkka_plugin_t))
#endif
#if defined(DEFECT_unknown_kind)
#define KIND 99u
#else
#define KIND VALKKA_PLUGIN_SOURCE
#endif
#if defined(DEFECT_duplicate) || defined(DEFECT_none)
#define NAME "test-dup"
#else
#define NAME "test-broken"
#endif

__attribute__((unused)) static const valkka_plugin_t descriptor = {
    ABI_MAJOR, ABI_MINOR, DESC_SIZE, KIND, NAME, "0.0.1", "a test plugin", &vtable, NULL};

#if !defined(DEFECT_no_entry)
VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) {
#if defined(DEFECT_null_entry)
  return NULL;
#else
  return &descriptor;
#endif
}
#else
/* Exports something, just not the entry, so the file is a valid shared object. */
VALKKA_PLUGIN_EXPORT const valkka_plugin_t *some_other_symbol(void) { return &descriptor; }
#endif
