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
# One clang-format for all files: one process per file cost a minute of the suite, nearly all
# of it starting clang-format. Its complaints name each file that differs.
if complaints=$(clang-format --dry-run --Werror "${files[@]}" 2>&1 >/dev/null); then
  echo "format: ${#files[@]} files ok"
  exit 0
fi
mapfile -t bad < <(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' <<<"$complaints" | sort -u)
if [ "${#bad[@]}" -eq 0 ]; then
  printf '%s\n' "$complaints" | head -20
  echo "format: clang-format failed" >&2
  exit 1
fi
for f in "${bad[@]}"; do
  echo "$f: not as .clang-format lays it out (clang-format -i $f)"
done
echo "format: ${#bad[@]} file(s) differ" >&2
exit 1
