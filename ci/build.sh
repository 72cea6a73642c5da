#!/usr/bin/env bash
# Configures and builds one variant: normal (default), asan (ASan+UBSan) or tsan.
# Usage: ci/build.sh [normal|asan|tsan] [extra cmake args...]. Prints the build directory last.
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-normal}
shift || true
case "$variant" in
  normal) dir=build; sanitize="" ;;
  asan) dir=build-asan; sanitize=address ;;
  tsan) dir=build-tsan; sanitize=thread ;;
  *) echo "ci/build.sh: unknown variant '$variant' (normal, asan, tsan)" >&2; exit 2 ;;
esac
# The sanitizer builds leave out what they do not test: benches always, the Qt shell under TSan.
extra=()
[ "$variant" = normal ] || extra+=(-DVALKKA_BUILD_BENCH=OFF)
[ "$variant" = tsan ] && extra+=(-DVALKKA_BUILD_SHELL=OFF)
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVALKKA_SANITIZE="$sanitize" "${extra[@]}" "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)" -- --no-print-directory -s >&2
echo "$dir"
