#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/step: steps back over a few synthetic cameras (into a new GOP, and from the picture
# cache) against the frame interval and codec-ffmpeg decoding a GOP; reverse play's presented
# share beside forward play's, in one run. The load average is printed before and after.
# Usage: bench/step/run.sh [BUILD_DIR [STEPS [CAMERAS [MINUTES [WIDTH HEIGHT [SECONDS]]]]]]
#        (defaults: build/, 200 steps, 4 cameras, 2 minutes, 640x360, 20 s of play)
# VALKKA_BENCH_TMP picks the directory (and so the disk) written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shift || true
bench="$build/bench/step/step_bench"
if [ ! -x "$bench" ]; then
  echo "run.sh: $bench is missing: build first (ci/build.sh normal)" >&2
  exit 1
fi
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-step.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "step: working in $work; $(nproc) CPUs" >&2
echo "load before: $(uptime | sed 's/.*load average: //')"
status=0
VALKKA_PLUGIN_PATH="$build/plugins" "$bench" "$work" "$@" >"$work/out" || status=$?
# The load after goes before the RATIO lines, which come last.
grep -v '^RATIO ' "$work/out" || true
echo "load after: $(uptime | sed 's/.*load average: //')"
grep '^RATIO ' "$work/out" || true
exit "$status"
