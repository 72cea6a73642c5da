#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configures and builds one variant: normal (default), asan (ASan+UBSan), tsan, or fuzz (clang's
# libFuzzer targets of tests/fuzz over a core built with ASan+UBSan and coverage hooks).
# Usage: ci/build.sh [--configure-only] [normal|asan|tsan|fuzz] [extra cmake args...]. Prints the
# build directory last.
set -euo pipefail
cd "$(dirname "$0")/.."
configure_only=false
if [ "${1:-}" = --configure-only ]; then
  configure_only=true
  shift
fi
variant=${1:-normal}
shift || true
case "$variant" in
  normal) dir=build; sanitize="" ;;
  asan) dir=build-asan; sanitize=address ;;
  tsan) dir=build-tsan; sanitize=thread ;;
  fuzz) dir=build-fuzz; sanitize="" ;;
  *) echo "ci/build.sh: unknown variant '$variant' (normal, asan, tsan, fuzz)" >&2; exit 2 ;;
esac
# Every variant builds the suite and turns warnings into errors. The sanitizer builds leave out
# what they do not test: benches always, the Qt shell under TSan.
extra=(-DBUILD_TESTING=ON -DVALKKA_WERROR=ON)
[ "$variant" = normal ] && extra+=(-DVALKKA_BUILD_BENCH=ON)
[ "$variant" = tsan ] && extra+=(-DVALKKA_BUILD_SHELL=OFF)
# The fuzz build is clang's (libFuzzer) and builds only the core, the plugins the targets load,
# the CLI (it records the seeds) and tests/fuzz.
if [ "$variant" = fuzz ]; then
  export CC=clang CXX=clang++
  extra+=(-DVALKKA_FUZZ=ON -DBUILD_TESTING=OFF -DVALKKA_BUILD_SHELL=OFF)
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVALKKA_SANITIZE="$sanitize" "${extra[@]}" "$@" >/dev/null
$configure_only && { echo "$dir"; exit 0; }
cmake --build "$dir" -j "$(nproc)" -- --no-print-directory -s >&2
echo "$dir"
