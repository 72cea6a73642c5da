#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/fuzz-long: every fuzz target of tests/fuzz for a set time each, one after another, from
# the seeds make_seeds.sh records; prints per target the executions, their rate, the coverage
# reached and the findings (inputs libFuzzer saved as crash-, leak-, timeout- or oom-). There is
# no outside peer to run beside it; the ratio is to the CI stage's own runs of the same target
# ("x CI": how many CI runs' worth of executions the set time bought).
# Usage: bench/fuzz-long/run.sh [SECONDS [BUILD_DIR]]   (defaults: 300 s each, build-fuzz/)
# Build first: ci/build.sh fuzz. Findings stay in BUILD_DIR/fuzz-long/TARGET/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-300}
build=$(cd "${2:-$root/build-fuzz}" && pwd)
list="$build/fuzz/targets.txt"
if [ ! -s "$list" ] || [ ! -x "$build/fuzz/fuzz_records" ]; then
  echo "run.sh: no fuzz targets in $build: build first (ci/build.sh fuzz)" >&2
  exit 1
fi
export VALKKA_PLUGIN_PATH="$build/plugins"
work="$build/fuzz-long"
mkdir -p "$work"
"$root/tests/fuzz/make_seeds.sh" "$build" "$build/tests/fuzz/fuzz_seed_maker" "$work/seeds" >&2
echo "fuzz-long: ${seconds} s per target, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

printf '%-17s %12s %9s %8s %8s %8s %7s %9s\n' target executions exec/s "x CI" cov ft corpus findings
status=0
while read -r name seeds max_len ci_runs; do
  log="$work/$name.log"
  rm -rf "$work/$name/artifacts"
  # -seed=0: a fresh random seed each run (CI uses a fixed one).
  if ! "$root/tests/fuzz/run_fuzz.sh" "$build/fuzz/$name" "$work/seeds/$seeds" "$work" \
      -seed=0 -max_total_time="$seconds" -max_len="$max_len" >"$log" 2>&1; then
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  findings=$(find "$work/$name/artifacts" -type f 2>/dev/null | wc -l)
  ratio=$(awk -v r="${runs:-0}" -v c="${ci_runs:-0}" 'BEGIN {if (c > 0) printf "%.0f", r / c; else print "?"}')
  printf '%-17s %12s %9s %8s %8s %8s %7s %9s\n' "$name" "${runs:-?}" "${rate:-?}" "$ratio" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}" "$findings"
  [ "$findings" -eq 0 ] || { status=1; grep -E 'ERROR|invariant broken' "$log" | head -3 >&2; }
done <"$list"
exit "$status"
