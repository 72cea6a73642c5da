# SPDX-License-Identifier: LGPL-2.1-or-later
# Warning-free with -Wall -Wextra is the rule; -Werror keeps it so.
add_compile_options(-Wall -Wextra -Werror
  $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes>
  -Wno-unused-parameter)
