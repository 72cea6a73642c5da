#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/seek: random seeks into an hour of 16 synthetic cameras, against the decode-only limit and
# `ffmpeg -ss` on MP4 segments of the same content (exported with `valkka export`), in one run.
# Usage: bench/seek/run.sh [BUILD_DIR [SEEKS [CAMERAS [MINUTES [WIDTH HEIGHT]]]]]
#        (defaults: build/, 100 seeks, 16 cameras, 60 minutes, 1280x720)
# VALKKA_BENCH_TMP picks the directory (and so the disk) written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shift || true
bench="$build/bench/seek/seek_bench"
if [ ! -x "$bench" ]; then
  echo "run.sh: $bench is missing: build first (ci/build.sh normal)" >&2
  exit 1
fi
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-seek.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "seek: working in $work ($(df -hT "$work" | awk 'NR == 2 {print $1 ", " $2}')); $(nproc) CPUs" >&2
VALKKA_PLUGIN_PATH="$build/plugins" "$bench" "$work" "$build/bin/valkka" "$@"
