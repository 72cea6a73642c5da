#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/rtsp-faults: the RTSP fault campaign at full size. The CI tests of tests/rtsp-faults run
# here with larger counts: FAULTS faults (reset mid-frame, stall, garbage, short outage in turn)
# against a recorder child whose memory is measured; CYCLES cycles of stall + reset + 3 kinds of
# garbage beside two healthy cameras; a camera down for HOURS of simulated (scaled) backoff
# schedule; and CLOCK_ROUNDS rounds of camera-clock jumps. Each part prints its figure lines and
# PASS or FAIL; the script fails when any part does.
# Usage: bench/rtsp-faults/run.sh [BUILD_DIR [FAULTS [CYCLES [HOURS [CLOCK_ROUNDS]]]]]
#        (defaults: build/, 400, 20, 24, 5)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 1
faults=${2:-400}
cycles=${3:-20}
hours=${4:-24}
clock_rounds=${5:-5}
dir="$build/tests/rtsp-faults"
for t in rtsp_fault_memory rtsp_fault_campaign rtsp_fault_outage rtsp_fault_clock; do
  if [ ! -x "$dir/$t" ]; then
    echo "run.sh: $dir/$t is missing: build first (ci/build.sh normal)" >&2
    exit 1
  fi
done
# As ctest runs them (tests/CMakeLists.txt), with a test server that lives as long as the campaign.
export VALKKA_PLUGIN_PATH="$build/plugins" VALKKA_TEST_BIN_DIR="$build/bin"
export VALKKA_TEST_SOURCE_DIR="$root" VALKKA_LOG=warn VALKKA_TEST_SERVER_SECONDS=14400
logs=$(mktemp -d "${TMPDIR:-/tmp}/valkka-rtsp-faults.XXXXXX")
trap 'rm -rf "$logs"' EXIT
echo "rtsp-faults: $faults faults, $cycles cycles, $hours h outage, $clock_rounds clock rounds;" \
  "$(nproc) CPUs" >&2

status=0
# part NAME PATTERN COMMAND...: runs one part, prints its figure lines (PATTERN, an ERE) and
# whether it passed; the whole log only when it failed.
part() {
  local name=$1 pattern=$2
  shift 2
  local start=$SECONDS
  if "$@" > "$logs/$name.log" 2>&1; then
    grep -E "$pattern" "$logs/$name.log"
    echo "$name: PASS in $((SECONDS - start)) s"
  else
    cat "$logs/$name.log"
    echo "$name: FAIL in $((SECONDS - start)) s"
    status=1
  fi
}

part memory '^memory campaign:' \
  env VALKKA_FAULT_CYCLES="$faults" "$dir/rtsp_fault_memory"
part campaign '^(campaign|healthy camera|faulty camera)' \
  env VALKKA_FAULT_CYCLES="$cycles" "$dir/rtsp_fault_campaign"
part outage '^outage:' \
  env VALKKA_OUTAGE_HOURS="$hours" "$dir/rtsp_fault_outage"
part clock '(from their arrival|sender reports)' \
  "$dir/rtsp_fault_clock" --gtest_repeat="$clock_rounds"
exit $status
