#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/remote: a site of 4 recorders (`valkka record`, 4 synthetic cameras each), each FS served
# by its own lighttpd on 127.0.0.1, and one viewer of all 16 cameras: over HTTP against the same
# viewer of the same FS directories, in one run. Figures: live lag from record to presentation
# (`play --live`'s p50 and p99), the time of a seek to all 16 pictures (`play --from T --to T`),
# bytes fetched per seek and per minute of following, and the block table's bytes fetched per
# minute of following a 64-block and a 65536-block FS (which must not grow with the FS).
# Usage: bench/remote/run.sh [BUILD_DIR [LIVE_SECONDS [SEEKS]]]   (defaults: build/, 30, 10)
# VALKKA_BENCH_TMP picks the directory written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
live_s=${2:-30}
seeks=${3:-10}
valkka="$build/bin/valkka"
for need in "$valkka" "$build/plugins/storage-http.so"; do
  [ -e "$need" ] || { echo "run.sh: $need is missing: build first (ci/build.sh normal)" >&2; exit 1; }
done
command -v lighttpd >/dev/null || { echo "run.sh: lighttpd is missing (ci/deps.sh)" >&2; exit 1; }
export VALKKA_PLUGIN_PATH="$build/plugins" VALKKA_LOG=warn
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-remote.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
echo "remote: working in $work; $(nproc) CPUs" >&2

# A free TCP port on 127.0.0.1 (the kernel's pick, released at once).
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# serve NAME DIR: lighttpd for DIR at http://127.0.0.1:$port/fs (sets `port`; not in a
# subshell, so that its pid is in `pids` for the clean-up), its access log with the bytes of each
# answer.
serve() {
  local name=$1 dir=$2
  port=$(free_port)
  mkdir -p "$work/$name"
  cat > "$work/$name/lighttpd.conf" <<EOF
server.modules = ("mod_alias", "mod_accesslog")
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$work/$name"
server.errorlog = "$work/$name/error.log"
server.stat-cache-engine = "disable"
alias.url = ("/fs/" => "$dir/")
accesslog.filename = "|exec /bin/cat >> '$work/$name/access.log'"
accesslog.format = "%O %>s %U"
EOF
  lighttpd -D -f "$work/$name/lighttpd.conf" > /dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/fs/valkkafs.json" 2>/dev/null && break
    sleep 0.1
  done
}

# bytes NAME [PATTERN]: the bytes lighttpd NAME sent so far (of requests matching PATTERN).
bytes() {
  awk -v p="${2:-.}" '$0 ~ p {sum += $1} END {print sum + 0}' "$work/$1/access.log"
}
bytes_all() {
  local sum=0
  for i in 1 2 3 4; do sum=$((sum + $(bytes "srv$i" "$@"))); done
  echo "$sum"
}

# --- the site: 4 recorders, 4 servers ---
urls=() dirs=()
for i in 1 2 3 4; do
  dir="$work/fs$i"
  "$valkka" fs create "$dir" --kind multi --block-size 1M --blocks 256 >/dev/null
  "$valkka" record --fs "$dir" --synthetic 4 > "$work/rec$i.out" 2> "$work/rec$i.err" &
  pids+=($!)
  serve "srv$i" "$dir"
  urls+=("--fs" "http://127.0.0.1:$port/fs")
  dirs+=("--fs" "$dir")
done
sleep 5 # every recorder has its cameras streaming

# --- live: both viewers at once, the same recordings, the same load ---
before=$(bytes_all) before_blocks=$(bytes_all /blocks$)
"$valkka" play --live "${urls[@]}" --duration "$live_s" > "$work/remote.out" 2> "$work/remote.err" &
remote_pid=$!
"$valkka" play --live "${dirs[@]}" --duration "$live_s" > "$work/local.out" 2> "$work/local.err"
wait "$remote_pid"
sleep 1 # the access log's last lines
follow_bytes=$(( $(bytes_all) - before ))
follow_blocks=$(( $(bytes_all /blocks$) - before_blocks ))
# "play --live: N frames, lag median 123 ms, 99th percentile 234 ms, max 345 ms" (cmd_play.c)
lag() { grep -o "$1 [0-9]* ms" "$2" | tail -n 1 | awk '{print $(NF - 1)}'; }
r50=$(lag median "$work/remote.err") r99=$(lag percentile "$work/remote.err")
l50=$(lag median "$work/local.err") l99=$(lag percentile "$work/local.err")
rframes=$(wc -l < "$work/remote.out") lframes=$(wc -l < "$work/local.out")

# --- seeks: the recorders stopped, the same random instants remote and local ---
for i in 1 2 3 4; do pkill -TERM -f "record --fs $work/fs$i" || true; done
sleep 3
range=$("$valkka" fs inspect "$work/fs1" --json |
  /usr/bin/python3 -c 'import json,sys; r = json.load(sys.stdin)["time_range"]; print(r[0], r[1])')
read -r first last <<< "$range"
ms() { date +%s%3N; }
iso() { date -u -d "@$(( $1 / 1000 )).$(printf %03d $(( $1 % 1000 )))" +%Y-%m-%dT%H:%M:%S.%3NZ; }
remote_ms=0 local_ms=0
before=$(bytes_all)
for k in $(seq "$seeks"); do
  t=$(( first + 2000 + (RANDOM * 32768 + RANDOM) % (last - first - 4000) ))
  at=$(iso "$t")
  t0=$(ms); "$valkka" play "${urls[@]}" --from "$at" --to "$at" > "$work/seek-r.out"
  t1=$(ms); "$valkka" play "${dirs[@]}" --from "$at" --to "$at" > "$work/seek-l.out"
  t2=$(ms)
  remote_ms=$((remote_ms + t1 - t0)) local_ms=$((local_ms + t2 - t1))
  [ "$(wc -l < "$work/seek-r.out")" -ge 16 ] || echo "seek $k: $(wc -l < "$work/seek-r.out") pictures" >&2
done
sleep 1
seek_bytes=$(( ($(bytes_all) - before) / seeks ))

# --- the table's bytes while following: a 64-block and a 65536-block FS ---
table_rate() { # BLOCKS: table bytes per minute of following a recorder, the open excluded
  local dir="$work/table$1" name="tbl$1"
  "$valkka" fs create "$dir" --kind multi --block-size 64K --blocks "$1" >/dev/null
  "$valkka" record --fs "$dir" --synthetic 4 > /dev/null 2>&1 &
  local rec=$!
  pids+=($rec)
  serve "$name" "$dir"
  local srv=${pids[-1]} # this runs in $(...): its own clean-up
  sleep 2
  "$valkka" play --live --fs "http://127.0.0.1:$port/fs" --duration "$live_s" --json \
    > "$work/$name.out" 2> "$work/$name.err" &
  local play=$!
  for _ in $(seq 600); do [ -s "$work/$name.out" ] && break; sleep 0.1; done
  sleep 1 # the open's reads of the table are logged by then
  local start
  start=$(bytes "$name" blocktable)
  wait "$play"
  kill "$rec"
  sleep 1
  kill "$srv"
  wait "$rec" "$srv" 2>/dev/null || true
  echo $(( ($(bytes "$name" blocktable) - start) * 60 / live_s ))
}
table_small=$(table_rate 64)
table_large=$(table_rate 65536)

echo
echo "| figure | over HTTP | local | ratio |"
echo "|---|---|---|---|"
echo "| live lag p50 (ms) | $r50 | $l50 | $(awk -v a="$r50" -v b="$l50" 'BEGIN {printf "%.2f", a / b}') |"
echo "| live lag p99 (ms) | $r99 | $l99 | $(awk -v a="$r99" -v b="$l99" 'BEGIN {printf "%.2f", a / b}') |"
echo "| frames shown in ${live_s} s | $rframes | $lframes | |"
echo "| seek to 16 pictures, mean (ms) | $((remote_ms / seeks)) | $((local_ms / seeks)) | $(awk -v a="$remote_ms" -v b="$local_ms" 'BEGIN {printf "%.2f", a / b}') |"
echo "| bytes per seek | $seek_bytes | | |"
echo "| bytes per minute of following 16 cameras | $((follow_bytes * 60 / live_s)) (blocks file: $((follow_blocks * 60 / live_s))) | | |"
echo "| table bytes per minute, 64-block FS | $table_small | | |"
echo "| table bytes per minute, 65536-block FS | $table_large | | |"
echo "RATIO live_p99_ms=$r99"
echo "RATIO seek_vs_local=$(awk -v a="$remote_ms" -v b="$local_ms" 'BEGIN {printf "%.2f", a / b}')"
echo "RATIO table_large_vs_small=$(awk -v a="$table_large" -v b="$table_small" 'BEGIN {printf "%.2f", b ? a / b : 0}')"
