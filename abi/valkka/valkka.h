/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * valkka.h: the umbrella header of the valkka C ABI.
 *
 * A shell includes this one header. A plugin may include only plugin.h (which pulls in what it
 * needs) and does not link against libvalkka: the core hands it a host table at init.
 *
 * Versioning: VALKKA_ABI_MAJOR changes only with a new soname (libvalkka.so.N); a minor version
 * only appends functions, struct fields (behind struct_size) and enum values.
 */
#ifndef VALKKA_VALKKA_H
#define VALKKA_VALKKA_H

#include <valkka/defs.h>
#include <valkka/error.h>
#include <valkka/log.h>
#include <valkka/frame.h>
#include <valkka/fs.h>
#include <valkka/plugin.h>
#include <valkka/registry.h>
#include <valkka/live.h>
#include <valkka/manager.h>
#include <valkka/config.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Version of the library this program runs against, as "MAJOR.MINOR.PATCH".
 * Ownership: static string, never freed. Thread safety: any thread. Errors: none.
 * Since ABI 1.0.
 */
VALKKA_API const char *valkka_version_string(void);

/**
 * ABI version of the running library: (major << 16) | minor. Compare with
 * VALKKA_ABI_VERSION to detect a library older than the headers a program was built with.
 * Thread safety: any thread. Errors: none. Since ABI 1.0.
 */
VALKKA_API uint32_t valkka_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_VALKKA_H */
