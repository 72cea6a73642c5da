#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs every benchmark of bench/ at a small size and holds the ratios each prints (its
# `RATIO name=value` lines) to the goals of the "goal" column of bench/README.md, the one place
# they are written. For a person before a release, not for CI: a shared machine's load moves the
# figures. Builds the normal variant first, and the fuzz one for fuzz-long (ci/build.sh; the
# packages: ci/deps.sh).
# Prints a table bench / ratio / value / goal / ok and exits 1 when a ratio misses its goal, a
# bench has no goal, or a bench's run.sh fails. Without Xvfb the wall and the timeline (which
# need a display) are skipped, which the table and the last line say.
# Usage: bench/check.sh [NAME...]   (default: every bench; each one's output is in
#        build/bench-check/NAME.log)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
benches=()
[ "$#" -gt 0 ] || set -- bench/*/
for b in "$@"; do
  b=$(basename "$b")
  [ -x "bench/$b/run.sh" ] || { echo "check: no bench/$b/run.sh" >&2; exit 2; }
  benches+=("$b")
done
echo "check: building (ci/build.sh normal; ci/build.sh fuzz for fuzz-long)" >&2
build=$(ci/build.sh normal)
build_fuzz=""
if [[ " ${benches[*]} " == *" fuzz-long "* ]]; then build_fuzz=$(ci/build.sh fuzz); fi
logs="$build/bench-check"
rm -rf "$logs"
mkdir -p "$logs"

# bench/README.md's table: one "NAME<tab>GOAL" line per code span in a row's goal cell, where a
# GOAL is "RATIO_NAME >= X" (higher is better), "RATIO_NAME <= X" (lower is better) or "exit 0"
# (a bench without ratios: its run.sh's exit status is its verdict).
goals=$(awk -F'|' '
  /^\| *benchmark *\|/ {
    for (i = 2; i < NF; i++) { h = $i; gsub(/^ +| +$/, "", h); if (h == "goal") col = i }
    next
  }
  !/^\|/ { col = 0 }
  col && /^\| *\[/ {
    name = $2; sub(/^ *\[/, "", name); sub(/\].*/, "", name); cell = $col
    while (match(cell, /`[^`]*`/)) {
      print name "\t" substr(cell, RSTART + 1, RLENGTH - 2)
      cell = substr(cell, RSTART + RLENGTH)
    }
  }' bench/README.md)
[ -n "$goals" ] || { echo "check: no goal column in bench/README.md" >&2; exit 1; }

# The small size of each bench: the arguments of its run.sh (its usage line names them).
small_args() {
  case "$1" in
    fs-write) args=("$build" 5) ;;             # BUILD_DIR ROUNDS (the input is always 60 s)
    decode) args=("$build" 3) ;;               # BUILD_DIR ROUNDS
    rtsp-ingest) args=("$build" 20 4 8 32) ;;  # BUILD_DIR SECONDS CAMERA_COUNTS...
    seek) args=("$build" 30 16 20) ;;          # BUILD_DIR SEEKS CAMERAS MINUTES
    scrub) args=("$build" 60 16 20) ;;         # BUILD_DIR POSITIONS CAMERAS MINUTES
    step) args=("$build" 100 4 2) ;;           # BUILD_DIR STEPS CAMERAS MINUTES
    wall) args=("$build" 60 20) ;;             # BUILD_DIR DURATION_S PEER_S
    timeline) args=("$build" 10) ;;            # BUILD_DIR TIMES
    remote) args=("$build" 20 5) ;;            # BUILD_DIR LIVE_SECONDS SEEKS
    fuzz-long) args=(10 "$build_fuzz") ;;      # SECONDS_PER_TARGET BUILD_DIR
    rtsp-faults) args=("$build" 16 2 1 1) ;;   # BUILD_DIR FAULTS CYCLES HOURS CLOCK_ROUNDS (CI's)
    crash-campaign) args=("$build" 20 1) ;;    # BUILD_DIR KILLS SEED
    soak) args=("$build" 1 1) ;;               # BUILD_DIR DAYS SEED
    *) return 1 ;;
  esac
}

# meets VALUE OP GOAL: whether a ratio meets its goal; a value that is not a number does not.
meets() {
  awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
    if (v !~ /^[0-9]+(\.[0-9]+)?$/) exit 1
    exit !(op == ">=" ? v + 0 >= g + 0 : v + 0 <= g + 0)
  }'
}

rows=() failed=0 skipped=0
row() { rows+=("$(printf '%-15s %-26s %8s %10s  %s' "$@")"); }

for name in "${benches[@]}"; do
  dir=bench/$name
  mine=$(awk -F'\t' -v n="$name" '$1 == n {print $2}' <<<"$goals")
  if [ -z "$mine" ] || ! small_args "$name"; then
    row "$name" "$([ -z "$mine" ] && echo "(no goal in README.md)" || echo "(no small size)")" \
      "" "" FAIL
    failed=$((failed + 1))
    continue
  fi
  if [[ "$name" == wall || "$name" == timeline ]] &&
    ! { command -v Xvfb && command -v xvfb-run; } >/dev/null; then
    echo "check: $name: SKIPPED: it needs Xvfb and xvfb-run (Debian package xvfb), missing here" >&2
    row "$name" "(skipped: Xvfb is missing)" "" "" skipped
    skipped=$((skipped + 1))
    continue
  fi
  log="$logs/$name.log"
  echo "check: $name: bench/$name/run.sh ${args[*]}" >&2
  start=$SECONDS
  status=0
  "$dir/run.sh" "${args[@]}" >"$log" 2>&1 </dev/null || status=$?
  echo "check: $name: exit $status in $((SECONDS - start)) s" >&2
  if [ "$status" -eq 0 ]; then
    row "$name" "run.sh exit status" 0 "0" ok
  else
    row "$name" "run.sh exit status" "$status" "0" "FAIL (see $log)"
    failed=$((failed + 1))
  fi
  while read -r ratio op goal; do
    [ "$ratio" = exit ] && [ "$op" = 0 ] && [ -z "$goal" ] && continue
    if [[ ! "$op" =~ ^(>=|<=)$ ]] || [[ ! "$goal" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
      row "$name" "$ratio $op $goal" "" "" "FAIL (goal not understood)"
      failed=$((failed + 1))
      continue
    fi
    value=$(sed -n "s/^RATIO $ratio=//p" "$log" | tail -1)
    if meets "$value" "$op" "$goal"; then
      row "$name" "$ratio" "$value" "$op $goal" ok
    else
      row "$name" "$ratio" "${value:-missing}" "$op $goal" FAIL
      failed=$((failed + 1))
    fi
  done <<<"$mine"
done

echo
printf '%-15s %-26s %8s %10s  %s\n' bench ratio value goal ok
printf '%s\n' "${rows[@]}"
echo
echo "check: $failed failed, $skipped skipped, in $((SECONDS - started)) s (builds included);" \
  "outputs in $logs"
[ "$failed" -eq 0 ]
