#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The C and C++ sources follow the repository's .clang-format: prints the files that do not (and
# clang-format's first complaints) and exits 1. Usage: check_format.sh ROOT
set -euo pipefail
root=$1
cd "$root"
command -v clang-format >/dev/null || { echo "check_format: clang-format is not installed" >&2; exit 1; }
mapfile -d '' files < <(find abi core-c plugins tests qml-shell/src bench -path '*/build*' -prune \
  -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) -print0 | sort -z)
[ "${#files[@]}" -gt 100 ] || { echo "check_format: only ${#files[@]} files found under $root" >&2; exit 1; }
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "$f: not as .clang-format lays it out (clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
[ "$bad" -eq 0 ] || { echo "format: $bad file(s) differ" >&2; exit 1; }
echo "format: ${#files[@]} files ok"
