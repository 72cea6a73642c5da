#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs what is missing, builds, and runs every test: the normal suite, the Debian packages
# (built, checked, installed into a clean root and used there), the suite under ASan+UBSan, the
# threaded tests under TSan, then the fuzz targets (libFuzzer, clang) for a fixed number of runs
# each. Stops at the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh
ci/deps.sh package

# The clean Debian 12 root of the packages' install test is mostly downloading: it is made while
# the suites build and run, and used by the package stage.
mkdir -p build-deb
setsid tests/install/deb_root.sh prepare build-deb/chroot >build-deb/chroot.log 2>&1 &
root_pid=$!
# A failing stage stops the script: the root's making (its own process group) stops with it.
trap 'kill -- -"$root_pid" 2>/dev/null || true' EXIT

# Tests at a time, per suite. The normal suite spends about half its time waiting (real-time
# streams, servers, X): measured, it used 460 CPU-s in 450 s on 2 cores, so it runs twice as many
# tests as cores. Under the sanitizers the CPU-bound tests dominate (at twice as many as cores,
# ASan's fs_index_oracle ran 3x slower and past its timeout): as many as cores. The fuzz suite
# keeps the cores busy. VALKKA_CTEST_JOBS sets all four.
cores=$(nproc)
run_suite() {
  local variant=$1 jobs=${VALKKA_CTEST_JOBS:-$2}
  echo "=== $variant build (at ${SECONDS} s)"
  local dir
  dir=$(ci/build.sh "$variant")
  echo "=== $variant tests (at ${SECONDS} s)"
  shift 2
  (cd "$dir" && ctest --output-on-failure --stop-on-failure --timeout 600 -j "$jobs" "$@") |
    tee "$dir/ctest-output.txt"
  ci/check-skips.sh "$dir/ctest-output.txt"
}

# Each stage's line says when it began; ctest's summary of each suite follows its tests.
run_suite normal $((2 * cores))
# The four .deb packages (ci/package.sh: hardening-check, lintian), installed and used in the root.
echo "=== package (at ${SECONDS} s)"
mapfile -t debs < <(ci/package.sh)
if ! wait "$root_pid"; then
  cat build-deb/chroot.log >&2
  echo "ci/test.sh: the clean root for the install test could not be made" >&2
  exit 1
fi
tests/install/deb_root.sh test build-deb/chroot "${debs[@]}"
run_suite asan "$cores"
run_suite tsan "$cores"
# Each fuzz target for a fixed number of runs (tests/fuzz/CMakeLists.txt), after the seeds are
# recorded. A finding fails the stage; its input is kept in build-fuzz/fuzz-work/TARGET/artifacts/.
run_suite fuzz "$cores"
echo "=== all suites passed in ${SECONDS} s"
