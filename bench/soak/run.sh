#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/soak: a month of 8 cameras on a fake fast clock (1 frame/s each, real H.264 from
# source-synthetic) into an 8 MiB MultiFS through the playback manager's input filter, while a
# viewer seeks and plays at random through the same manager; the whole FS is checked after every
# wrap, resident memory and descriptors sampled there. The CI test tests/reliability runs the
# same soak on a sparser clock (a frame every 10 min).
# Usage: bench/soak/run.sh [BUILD_DIR [DAYS [SEED]]]   (defaults: build/, 30, 1)
# VALKKA_BENCH_TMP picks the directory (and so the disk) written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
days=${2:-30}
seed=${3:-1}
driver="$build/bench/soak/soak_bench"
if [ ! -x "$driver" ]; then
  echo "run.sh: $driver is missing: build first (ci/build.sh normal)" >&2
  exit 1
fi
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-soak.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "soak: $days days, seed $seed, in $work; $(nproc) CPUs" >&2
VALKKA_PLUGIN_PATH="$build/plugins" "$driver" --days "$days" --blocks 128 --seed "$seed" "$work/fs"
