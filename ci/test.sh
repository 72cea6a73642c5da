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

# Work that does not wait for a suite runs beside it, each in a process group of its own (killed
# when the script stops) with its output in build-logs/NAME.out and .log:
# - the clean Debian 12 root of the packages' install test, mostly downloading;
# - the next builds, at the lowest CPU and I/O priority. The suites spend much of their time
#   waiting (real-time streams, servers, X: the normal suite used 460 CPU-s in 450 s on 2 cores),
#   and a build at nice 19 gets the CPU they leave idle first. It still slows them (the normal
#   suite took 687 s beside the builds, 425 s alone): about what the builds take alone, so little
#   is gained; the suites run under load as a check of their own. A machine that refuses the idle
#   I/O class runs them at the normal one (ionice -t).
mkdir -p build-logs build-deb
declare -A bg_pid=()
stop_background() {
  local pid
  for pid in "${bg_pid[@]}"; do kill -- -"$pid" 2>/dev/null || true; done
}
trap stop_background EXIT
start_beside() { # NAME COMMAND...
  local name=$1
  shift
  setsid "$@" >"build-logs/$name.out" 2>"build-logs/$name.log" &
  bg_pid[$name]=$!
}
start_build_beside() { # VARIANT
  start_beside "$1" nice -n 19 ionice -c 3 -t ci/build.sh "$1"
}
# Waits for NAME (in this shell: a subshell cannot wait for it); on failure shows its log and stops.
finish() {
  if ! wait "${bg_pid[$1]}"; then
    cat "build-logs/$1.log" >&2
    echo "ci/test.sh: $1 failed (its log above)" >&2
    exit 1
  fi
  unset "bg_pid[$1]"
}
# The build directory ci/build.sh printed last.
built_dir() { tail -n 1 "build-logs/$1.out"; }
start_beside root tests/install/deb_root.sh prepare build-deb/chroot

# Tests at a time, per suite. The normal and ASan suites spend most of their time waiting
# (real-time streams, servers, X), so they run twice as many tests as cores (ASan's took 309 s on
# a quiet 2-core machine, against 619 s at one per core under load); the one CPU-bound test takes
# two of them (fs_index_oracle, tests/fs). TSan's threaded tests and the fuzz suite keep the cores
# busy: as many as cores. VALKKA_CTEST_JOBS sets all four.
cores=$(nproc)
run_tests() { # DIR JOBS [CTEST ARGS...]
  local dir=$1 jobs=${VALKKA_CTEST_JOBS:-$2}
  shift 2
  (cd "$dir" && ctest --output-on-failure --stop-on-failure --timeout 600 -j "$jobs" "$@") |
    tee "$dir/ctest-output.txt"
  ci/check-skips.sh "$dir/ctest-output.txt"
}

# Each stage's line says when it began; ctest's summary of each suite follows its tests.
# Every variant is configured first: a CMake error in the last one shows in seconds, not after
# the suites before it (the TSan build's once showed after 19 minutes).
echo "=== configure (at ${SECONDS} s)"
for variant in normal asan tsan fuzz; do ci/build.sh --configure-only "$variant" >/dev/null; done
echo "=== normal build (at ${SECONDS} s)"
dir=$(ci/build.sh normal)
echo "=== normal tests (at ${SECONDS} s)"
# The tests that take real-time streams from servers not ours (ctest label `alone`) first, one at
# a time with nothing else running: beside even a build at nice 19 their timing was not theirs.
run_tests "$dir" 1 -L alone
# The packages' release build and the ASan build run beside the rest of the normal suite.
start_beside package nice -n 19 ionice -c 3 -t ci/package.sh
start_build_beside asan
run_tests "$dir" $((2 * cores)) -LE alone
# The four .deb packages (ci/package.sh: hardening-check, lintian), installed and used in the root.
echo "=== package (at ${SECONDS} s)"
finish package
grep -v '^\[ *[0-9]*%\]' build-logs/package.log >&2 || true
mapfile -t debs <build-logs/package.out
finish root
tests/install/deb_root.sh test build-deb/chroot "${debs[@]}"
echo "=== asan build (at ${SECONDS} s)"
finish asan
dir=$(built_dir asan)
echo "=== asan tests (at ${SECONDS} s)"
run_tests "$dir" 1 -L alone
# The TSan and fuzz builds run beside the rest of the ASan suite.
start_build_beside tsan
start_build_beside fuzz
run_tests "$dir" $((2 * cores)) -LE alone
echo "=== tsan build (at ${SECONDS} s)"
finish tsan
dir=$(built_dir tsan)
echo "=== tsan tests (at ${SECONDS} s)"
run_tests "$dir" "$cores"
# Each fuzz target for a fixed number of runs (tests/fuzz/CMakeLists.txt), after the seeds are
# recorded. A finding fails the stage; its input is kept in build-fuzz/fuzz-work/TARGET/artifacts/.
echo "=== fuzz build (at ${SECONDS} s)"
finish fuzz
dir=$(built_dir fuzz)
echo "=== fuzz tests (at ${SECONDS} s)"
run_tests "$dir" "$cores"
echo "=== all suites passed in ${SECONDS} s"
