# SPDX-License-Identifier: LGPL-2.1-or-later
# Warning-free with -Wall -Wextra is the rule; VALKKA_WERROR (on in ci/) keeps it so. Off by
# default: a distribution's newer compiler may warn where ours does not, and must still build.
add_compile_options(-Wall -Wextra $<$<BOOL:${VALKKA_WERROR}>:-Werror>
  $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes>
  -Wno-unused-parameter)
