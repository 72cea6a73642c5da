#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs what is missing, builds, and runs every test: the normal suite, the suite under
# ASan+UBSan, the threaded tests under TSan, then the fuzz targets (libFuzzer, clang) for a fixed
# number of runs each. Stops at the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh

jobs=${VALKKA_CTEST_JOBS:-2}
run_suite() {
  local variant=$1
  echo "=== $variant build (at ${SECONDS} s)"
  local dir
  dir=$(ci/build.sh "$variant")
  echo "=== $variant tests (at ${SECONDS} s)"
  shift
  (cd "$dir" && ctest --output-on-failure --stop-on-failure --timeout 600 -j "$jobs" "$@") |
    tee "$dir/ctest-output.txt"
  ci/check-skips.sh "$dir/ctest-output.txt"
}

# Each stage's line says when it began; ctest's summary of each suite follows its tests.
run_suite normal
run_suite asan
run_suite tsan
# Each fuzz target for a fixed number of runs (tests/fuzz/CMakeLists.txt), after the seeds are
# recorded. A finding fails the stage; its input is kept in build-fuzz/fuzz-work/TARGET/artifacts/.
run_suite fuzz
echo "=== all suites passed in ${SECONDS} s"
