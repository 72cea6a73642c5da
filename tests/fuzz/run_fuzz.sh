#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs one fuzz target over its seeds, with libFuzzer options after the first three arguments
# (-runs=N for CI, -max_total_time=S for bench/fuzz-long). New inputs go to a fresh corpus dir,
# crashing inputs to WORK_DIR/NAME/artifacts/; the exit status is libFuzzer's (non-zero on a
# finding). The targets' own chatter (refused input on stderr) is silenced; libFuzzer's and the
# sanitizers' reports are not.
# The inputs of bugs found and fixed (regressions/NAME/) run first, with the seeds.
# Usage: run_fuzz.sh TARGET SEED_DIR WORK_DIR [libFuzzer options...]
set -euo pipefail
# Absolute paths: fuzz_config changes directory at start, before libFuzzer opens the corpora.
target=$(realpath -m "$1") seeds=$(realpath -m "$2") work=$(realpath -m "$3")
shift 3
name=$(basename "$target")
dir="$work/$name"
rm -rf "$dir/corpus"
mkdir -p "$dir/corpus" "$dir/artifacts"
# The targets write and fsync a small FS at every run: in memory (tmpfs) that costs no disk
# time, and the disk stays free for others. VALKKA_FUZZ_TMP picks another place.
scratch=${VALKKA_FUZZ_TMP:-/dev/shm}
[ -d "$scratch" ] && [ -w "$scratch" ] && export TMPDIR="$scratch"
# intercept_tls_get_addr=0: the leak check's random crash, see cmake/sanitizers.cmake.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1:handle_abort=1:intercept_tls_get_addr=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
found=()
regressions="$(cd "$(dirname "$0")" && pwd)/regressions/$name"
[ -d "$regressions" ] && found=("$regressions")
exec "$target" -seed=1 -timeout=60 -close_fd_mask=3 -print_final_stats=1 \
  -artifact_prefix="$dir/artifacts/" "$@" "$dir/corpus" "$seeds" "${found[@]}"
