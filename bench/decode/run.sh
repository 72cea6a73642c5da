#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/decode: decoding speed of codec-ffmpeg (threads=1, through the plugin ABI, pictures copied
# out) beside `ffmpeg -threads 1 -i FILE -f null -` on the same files: 1080p and 720p H.264 and
# 1080p HEVC, made here with ffmpeg (testsrc2, 20 s at 25 fps, libx264/libx265 defaults but the
# preset). Medians of ROUNDS runs each; fps = pictures / wall seconds.
# Usage: bench/decode/run.sh [BUILD_DIR [ROUNDS]]   (defaults: build/, 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
rounds=${2:-3}
bench="$build/bench/decode/decode_bench"
[ -x "$bench" ] || { echo "run.sh: $bench is missing: build first (ci/build.sh normal)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/valkka-decode.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "decode: making the inputs in $work (encoding takes a while)" >&2
make_input() {  # NAME SIZE CODEC_ARGS...
  local name=$1 size=$2
  shift 2
  nice ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$size:rate=25" -t 20 "$@" "$work/$name"
}
make_input h264-1080p.mp4 1920x1080 -c:v libx264 -preset veryfast -b:v 6M -g 50
make_input h264-720p.mp4 1280x720 -c:v libx264 -preset veryfast -b:v 3M -g 50
make_input hevc-1080p.mp4 1920x1080 -c:v libx265 -preset ultrafast -b:v 4M -x265-params log-level=error:keyint=50
echo "decode: $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# ffmpeg's own -benchmark line: "bench: utime=Us stime=Ss rtime=Rs"; the median rtime's run.
ffmpeg_run() {
  local file=$1 i
  for ((i = 0; i < rounds; i++)); do
    ffmpeg -nostdin -benchmark -threads 1 -i "$file" -f null - 2>&1 |
      sed -n 's/^bench: utime=\([0-9.]*\)s stime=\([0-9.]*\)s rtime=\([0-9.]*\)s.*/\3 \1 \2/p'
  done | sort -n | awk -v r="$rounds" 'NR == int(r / 2) + 1 {printf "%.3f %.3f\n", $1, $2 + $3}'
}

printf '\n%-16s %8s %12s %10s %12s %10s %8s\n' file frames "valkka fps" "CPU s" "ffmpeg fps" "CPU s" ratio
ratio_lines=()
for name in h264-1080p.mp4 h264-720p.mp4 hevc-1080p.mp4; do
  ours=$(VALKKA_PLUGIN_PATH="$build/plugins" "$bench" "$work/$name" "$rounds")
  read -r _ frames _ pictures _ _ _ fps _ cpu <<< "$ours"
  read -r fwall fcpu <<< "$(ffmpeg_run "$work/$name")"
  ffps=$(awk -v f="$frames" -v w="$fwall" 'BEGIN {printf "%.1f", f / w}')
  ratio=$(awk -v a="$fps" -v b="$ffps" 'BEGIN {printf "%.2f", a / b}')
  [ "$pictures" = "$frames" ] || echo "decode: $name: $pictures pictures from $frames frames" >&2
  printf '%-16s %8s %12s %10s %12s %10s %8s\n' "$name" "$frames" "$fps" "$cpu" "$ffps" "$fcpu" "$ratio"
  key=${name%.mp4}
  ratio_lines+=("RATIO fps_${key//-/_}=$ratio")
done
echo
echo "ratio = valkka fps / ffmpeg fps (one decoding thread each; ffmpeg's fps over its -benchmark rtime)"
# The same ratios for bench/check.sh, which holds them to the goals of bench/README.md.
printf '%s\n' "${ratio_lines[@]}"
