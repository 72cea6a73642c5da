#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every public header compiles alone, as C11 and as C++17, with -Wall -Wextra -Werror.
set -euo pipefail
cc=$1 cxx=$2 abi=$3
failed=0 n=0
for header in "$abi"/valkka/*.h; do
  name=valkka/$(basename "$header")
  n=$((n + 1))
  if ! printf '#include <%s>\n' "$name" | "$cc" -std=c11 -pedantic -Wall -Wextra -Werror -I"$abi" -fsyntax-only -x c -; then
    echo "FAIL: $name as C11"; failed=1
  fi
  if ! printf '#include <%s>\n' "$name" | "$cxx" -std=c++17 -pedantic -Wall -Wextra -Werror -I"$abi" -fsyntax-only -x c++ -; then
    echo "FAIL: $name as C++17"; failed=1
  fi
done
[ "$n" -gt 0 ] || { echo "no headers found in $abi/valkka"; exit 1; }
echo "$n headers checked as C11 and C++17"
exit $failed
