#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/fs-write: recording H.264 into ValkkaFS next to `ffmpeg -c copy` and `dd`, in one run.
# Makes the input (60 s of 1280x720 testsrc2, libx264 -g 25 -b:v 4M) in a temp dir on the disk
# under test, then runs fs_write_bench, which prints the medians and the ratios.
# Usage: bench/fs-write/run.sh [BUILD_DIR [ROUNDS]]   (defaults: build/, 5 rounds)
# VALKKA_BENCH_TMP picks the directory (and so the disk) written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
rounds=${2:-5}
bench="$build/bench/fs-write/fs_write_bench"
if [ ! -x "$bench" ]; then
  echo "run.sh: $bench is missing: build first (ci/build.sh normal)" >&2
  exit 1
fi
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-fs-write.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "fs-write: making the input in $work (60 s of 720p H.264 at 4 Mb/s; encoding takes a while)" >&2
nice ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=1280x720:rate=25 -t 60 \
  -c:v libx264 -g 25 -b:v 4M "$work/in.mp4"
echo "fs-write: $(df -hT "$work" | awk 'NR == 2 {print "writing to " $1 " (" $2 ")"}'); $(nproc) CPUs" >&2
VALKKA_PLUGIN_PATH="$build/plugins" "$bench" "$work/in.mp4" "$work" "$rounds"
