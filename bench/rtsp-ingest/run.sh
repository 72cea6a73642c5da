#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/rtsp-ingest: CPU per stream-minute of recording N RTSP cameras into a MultiFS (the live
# pipeline, source-rtsp, the FS writer thread) beside one `ffmpeg -rtsp_transport tcp -i URL -c
# copy -f null -` per camera, against the test RTSP server (640x360 H.264, 25 fps, ~500 kb/s).
# The server's own CPU is not counted: it is another process. Ours and ffmpeg's runs take turns.
# Camera i is the server's cam<i % 8> (each client gets its own pipeline), up to 32 cameras.
# Usage: bench/rtsp-ingest/run.sh [BUILD_DIR [SECONDS [N...]]]   (defaults: build/, 20, 4 8 32)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
secs=${2:-20}
shift $(( $# > 2 ? 2 : $# ))
counts=("${@:-4 8 32}")
read -r -a counts <<< "${counts[*]}"
bench="$build/bench/rtsp-ingest/rtsp_ingest_bench"
server_bin="$build/tests/support/valkka-test-rtsp-server"
for f in "$bench" "$server_bin"; do
  [ -x "$f" ] || { echo "run.sh: $f is missing: build first (ci/build.sh normal)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/valkka-rtsp-ingest.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$server_bin" --max-seconds 3600 > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 100); do grep -q '^PORT ' "$work/server.out" && break; sleep 0.1; done
port=$(awk '/^PORT / {print $2}' "$work/server.out")
[ -n "$port" ] || { echo "run.sh: the RTSP server did not start" >&2; exit 1; }
prefix="rtsp://127.0.0.1:$port/cam"
export VALKKA_PLUGIN_PATH="$build/plugins"
echo "rtsp-ingest: server on port $port; $secs s per run; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# One ffmpeg per camera, all at once, each timed by /usr/bin/time: prints summed user and system s.
ffmpeg_run() {
  local n=$1 i
  local pids=()
  for ((i = 0; i < n; i++)); do
    /usr/bin/time -o "$work/time.$i" -f "%U %S" \
      ffmpeg -nostdin -v error -rtsp_transport tcp -i "$prefix$((i % 8))" -t "$secs" -c copy -f null - &
    pids+=($!)
  done
  wait "${pids[@]}"
  cat "$work"/time.* | awk '{u += $1; s += $2} END {printf "%.3f %.3f\n", u, s}'
  rm -f "$work"/time.*
}

printf '\n%-8s %-26s %10s %10s %10s %18s\n' streams contender "CPU s" "user s" "sys s" "CPU s/stream-min"
declare -A ratio
for n in "${counts[@]}"; do
  rm -rf "$work/fs"; mkdir -p "$work/fs"
  ours=$("$bench" "$prefix" "$n" "$secs" "$work/fs" 2> "$work/ours.err")
  read -r _ _ _ _ _ frames _ cpu _ user _ sys <<< "$ours"
  read -r fuser fsys <<< "$(ffmpeg_run "$n")"
  fcpu=$(awk -v u="$fuser" -v s="$fsys" 'BEGIN {printf "%.3f", u + s}')
  minutes=$(awk -v n="$n" -v t="$secs" 'BEGIN {print n * t / 60}')
  ours_per=$(awk -v c="$cpu" -v m="$minutes" 'BEGIN {printf "%.3f", c / m}')
  ff_per=$(awk -v c="$fcpu" -v m="$minutes" 'BEGIN {printf "%.3f", c / m}')
  printf '%-8s %-26s %10s %10s %10s %18s\n' "$n" "valkka (live + MultiFS)" "$cpu" "$user" "$sys" "$ours_per"
  printf '%-8s %-26s %10s %10s %10s %18s\n' "$n" "ffmpeg -c copy -f null" "$fcpu" "$fuser" "$fsys" "$ff_per"
  echo "         ($frames frames recorded, $(awk -v f="$frames" -v n="$n" -v t="$secs" 'BEGIN {printf "%.1f", f / n / t}') fps per camera)"
  ratio[$n]=$(awk -v a="$ours_per" -v b="$ff_per" 'BEGIN {printf "%.2f", a / b}')
done
echo
echo "ratio of CPU per stream-minute, valkka / ffmpeg:"
for n in "${counts[@]}"; do echo "  $n streams: ${ratio[$n]}"; done
# The same ratios for bench/check.sh, which holds them to the goals of bench/README.md.
for n in "${counts[@]}"; do echo "RATIO cpu_${n}_streams=${ratio[$n]}"; done
