/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <valkka/valkka.h>

#define STR_(x) #x
#define STR(x) STR_(x)

const char *valkka_version_string(void) {
  return STR(VALKKA_VERSION_MAJOR) "." STR(VALKKA_VERSION_MINOR) "." STR(VALKKA_VERSION_PATCH);
}

uint32_t valkka_abi_version(void) { return VALKKA_ABI_VERSION; }
