/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * defs.h: version macros and the export macro shared by every public header.
 */
#ifndef VALKKA_DEFS_H
#define VALKKA_DEFS_H

#include <stddef.h>
#include <stdint.h>

#define VALKKA_ABI_MAJOR 1
#define VALKKA_ABI_MINOR 1
/** (major << 16) | minor, comparable with valkka_abi_version(). */
#define VALKKA_ABI_VERSION ((uint32_t)((VALKKA_ABI_MAJOR << 16) | VALKKA_ABI_MINOR))

#define VALKKA_VERSION_MAJOR 0
#define VALKKA_VERSION_MINOR 1
#define VALKKA_VERSION_PATCH 0

/* Exported symbols are exactly the VALKKA_API ones: the library builds with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define VALKKA_API __attribute__((visibility("default")))
#define VALKKA_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define VALKKA_API
#define VALKKA_PRINTF(fmt_index, first_arg)
#endif

/* A plugin exports its one entry symbol with this (plugins build with -fvisibility=hidden too). */
#ifdef __cplusplus
#define VALKKA_PLUGIN_EXPORT extern "C" VALKKA_API
#else
#define VALKKA_PLUGIN_EXPORT VALKKA_API
#endif

/**
 * One key = value option (from a camera config, a command line): sources, decoders and the live
 * pipeline take arrays of them. Both strings are borrowed. In defs.h since ABI 1.1 (plugin.h
 * before; the type itself is unchanged).
 */
typedef struct valkka_option {
  const char *key;
  const char *value;
} valkka_option_t;

/**
 * True when a struct whose first field is `uint32_t struct_size` is large enough to hold `field`.
 * The core reads a field of a caller's or plugin's struct only when this holds, so structs can grow
 * by appending fields without breaking older callers.
 */
#define VALKKA_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

#endif /* VALKKA_DEFS_H */
