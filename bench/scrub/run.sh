#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/scrub: a drag of the playhead across an hour of 16 synthetic cameras: scrub updates per
# second, against the keyframes decoded alone and `ffmpeg` decoding them, in one run.
# Usage: bench/scrub/run.sh [BUILD_DIR [POSITIONS [CAMERAS [MINUTES [WIDTH HEIGHT]]]]]
#        (defaults: build/, 300 positions, 16 cameras, 60 minutes, 1280x720)
# VALKKA_BENCH_TMP picks the directory (and so the disk) written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shift || true
bench="$build/bench/scrub/scrub_bench"
if [ ! -x "$bench" ]; then
  echo "run.sh: $bench is missing: build first (ci/build.sh normal)" >&2
  exit 1
fi
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-scrub.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "scrub: working in $work; $(nproc) CPUs" >&2
VALKKA_PLUGIN_PATH="$build/plugins" "$bench" "$work" "$@"
