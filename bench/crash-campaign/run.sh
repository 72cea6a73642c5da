#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/crash-campaign: KILLS SIGKILLs of a recorder writing 8 streams through the FS writer
# thread, then KILLS power cuts (every kill followed by a rollback of the FS files to their last
# fdatasync), each followed by a reopen and a read of everything; then `valkka fs fsck` of the
# final FS. The same campaign as the CI test tests/reliability (20 kills), at full size.
# Usage: bench/crash-campaign/run.sh [BUILD_DIR [KILLS [SEED]]]   (defaults: build/, 200, 1)
# VALKKA_BENCH_TMP picks the directory (and so the disk) written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
kills=${2:-200}
seed=${3:-1}
driver="$build/bench/crash-campaign/crash_campaign"
journal="$build/test-plugins/journal/storage-journal.so"
for f in "$driver" "$journal" "$build/bin/valkka"; do
  if [ ! -e "$f" ]; then
    echo "run.sh: $f is missing: build first (ci/build.sh normal)" >&2
    exit 1
  fi
done
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-crash-campaign.XXXXXX")
trap 'rm -rf "$work"' EXIT
export VALKKA_PLUGIN_PATH="$build/plugins"
echo "crash-campaign: $kills kills, seed $seed, in $work; $(nproc) CPUs" >&2
status=0
"$driver" --quiet --kills "$kills" --seed "$seed" "$work/crash" || status=1
"$build/bin/valkka" fs fsck "$work/crash" || status=1
"$driver" --quiet --kills "$kills" --seed "$seed" --power-cut --journal-plugin "$journal" \
  "$work/power-cut" 2> "$work/power-cut.log" || status=1
# Recovery's warning "the blocktable is behind the blocks" marks a cut between the two files'
# fdatasyncs: counted, not shown; anything else on stderr is.
echo "power cuts that left the blocktable behind the blocks: $(grep -c 'blocktable is behind' "$work/power-cut.log" || true)"
grep -v 'blocktable is behind' "$work/power-cut.log" >&2 || true
"$build/bin/valkka" fs fsck "$work/power-cut" || status=1
exit $status
