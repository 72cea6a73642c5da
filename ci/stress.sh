#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the threaded tests (ctest label `threaded`) of the normal build RUNS times while
# `stress-ng --cpu 2` keeps the CPUs busy, to show the suite holds on a loaded machine. Not part
# of CI. Installs what is missing (ci/deps.sh stress), builds (ci/build.sh normal), prints one
# line per run and "N of RUNS runs passed"; exits 1 when any run failed.
# Usage: ci/stress.sh [RUNS]   (default 5). Each run's ctest output: build/stress/run-I.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: ci/stress.sh [RUNS]   (RUNS a whole number from 1, default 5)" >&2
  exit 2
fi
ci/deps.sh stress
dir=$(ci/build.sh normal)
logs="$dir/stress"
mkdir -p "$logs"
# As ci/test.sh runs the normal suite: twice as many tests as cores.
jobs=${VALKKA_CTEST_JOBS:-$((2 * $(nproc)))}

# A run's ctest is the leader of a process group of its own, so that stopping it stops its tests
# too (ctest leaves them running when it is killed); stress-ng stops its workers itself.
stress_pid="" ctest_pid=""
stop_all() {
  if [ -n "$ctest_pid" ]; then
    kill -TERM -- "-$ctest_pid" 2>/dev/null || true
    wait "$ctest_pid" 2>/dev/null || true
    ctest_pid=""
  fi
  if [ -n "$stress_pid" ]; then
    kill "$stress_pid" 2>/dev/null || true
    wait "$stress_pid" 2>/dev/null || true
    stress_pid=""
  fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The timeout only matters if this script is killed before its trap runs: an hour a run is far
# more than a run takes (the suite's own per-test timeouts are minutes).
stress-ng --cpu 2 --timeout "$((runs * 3600))s" --quiet &
stress_pid=$!
echo "stress: stress-ng --cpu 2 running (pid $stress_pid); $runs runs of the threaded tests," \
  "ctest -j $jobs; $(nproc) CPUs"

# One run: the threaded tests as ci/test.sh runs them (ctest's environment from
# tests/CMakeLists.txt, the same timeout and jobs, the same rule for skips), all of them even after
# a failure. Prints the run's line; returns non-zero when the run failed.
run_once() {
  local i=$1 out="$logs/run-$i.txt" start=$SECONDS status=0
  # In the background and waited for, so that a signal to this script is handled at once.
  (cd "$dir" && exec setsid ctest -L '^threaded$' --output-on-failure --timeout 600 -j "$jobs") \
    >"$out" 2>&1 &
  ctest_pid=$!
  wait "$ctest_pid" || status=1
  ctest_pid=""
  ci/check-skips.sh "$out" >>"$out" || status=1
  local summary failed hardware
  summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of' "$out" | tail -1 || true)
  failed=$(sed -n '/^The following tests FAILED:/,/^$/ s/^[[:space:]]*[0-9]* - \(.*\)$/\1/p' \
    "$out" | paste -sd, - | sed 's/,/, /g')
  hardware=$(sed -n 's/^skipped, as this machine lacks its hardware: //p' "$out" | paste -sd' ' -)
  if [ "$status" -eq 0 ]; then
    echo "run $i of $runs: passed in $((SECONDS - start)) s: ${summary:-no ctest summary}" \
      "${hardware:+(skipped for lack of hardware: $hardware)}"
  else
    echo "run $i of $runs: FAILED in $((SECONDS - start)) s: ${summary:-no ctest summary}" \
      "${failed:+(failed: $failed) }output: $out"
    grep '^skipped, which' "$out" || true
  fi
  return "$status"
}

passed=0
for ((i = 1; i <= runs; i++)); do
  if run_once "$i"; then passed=$((passed + 1)); fi
done
stop_all
echo "$passed of $runs runs passed"
[ "$passed" -eq "$runs" ]
