#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/timeline: how long the kiosk's timeline takes to draw a day of 16 cameras with outages
# (timeline_day: ~2000 recorded ranges), under Xvfb at 1600x900. Each measure runs from the
# change to the swap of the first frame showing it (the test control's draw-time):
# - reload: every lane's ranges read again from the FS and the lanes made anew, as at the start;
# - zoom: a wheel notch over the lanes (in, then out), the view a day around it.
# No outside peer draws ValkkaFS lanes; the figure is held to the issue's 50 ms, and README
# gives the same run of the drawing it replaced (a QML item per range).
# Usage: bench/timeline/run.sh [BUILD_DIR [TIMES [CAMERAS [OUTAGES]]]]
#        (defaults: build/, 30 of each measure, 16 cameras, 150 outages a camera)
# VALKKA_BENCH_TMP picks the directory (and so the disk) written to; default $TMPDIR or /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
times=${2:-30}
cameras=${3:-16}
outages=${4:-150}
day="$build/bench/timeline/timeline_day"
kiosk="$build/bin/valkka-kiosk"
for tool in "$day" "$kiosk" xvfb-run python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (build first: ci/build.sh normal)" >&2; exit 1; }
done
export VALKKA_PLUGIN_PATH="$build/plugins"
work=$(mktemp -d "${VALKKA_BENCH_TMP:-${TMPDIR:-/tmp}}/valkka-timeline.XXXXXX")
kiosk_runner=""
cleanup() {
  # Only what this script started: the kiosk's xvfb-run (it takes its Xvfb along).
  if [ -n "$kiosk_runner" ]; then
    pkill -P "$kiosk_runner" -x valkka-kiosk 2>/dev/null || true
    wait "$kiosk_runner" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
echo "timeline: working in $work; $(nproc) CPUs; load before: $(uptime | sed 's/.*load average: //')" >&2

"$day" "$work/fs" "$cameras" "$outages" >"$work/day.out"
grep -v '^day ' "$work/day.out"
read -r _ first last < <(grep '^day ' "$work/day.out")

coproc KIOSK { exec xvfb-run -a -s '-screen 0 1600x900x24' "$kiosk" --fs "$work/fs" \
  --test-control 2>"$work/kiosk.log"; }
kiosk_runner=$KIOSK_PID
exec {to_kiosk}>&"${KIOSK[1]}" {from_kiosk}<&"${KIOSK[0]}"
ask() { echo "$1" >&"$to_kiosk"; IFS= read -r -t 30 line <&"$from_kiosk"; echo "$line"; }

for _ in $(seq 120); do
  tiles=$(ask state | python3 -c 'import json, sys; print(len(json.loads(sys.stdin.read()[6:])["tiles"]))' 2>/dev/null || echo 0)
  [ "$tiles" = "$cameras" ] && break
  sleep 0.5
done
[ "$tiles" = "$cameras" ] || { echo "run.sh: the kiosk did not show $cameras tiles"; cat "$work/kiosk.log"; exit 1; }
ask "view $first $last" >/dev/null
sleep 2
reload=() zoom=()
for ((i = 0; i < times; i++)); do
  reload+=("$(ask draw-time)")
  sleep 0.2
done
for ((i = 0; i < times; i++)); do
  zoom+=("$(ask "draw-time wheel $(( i % 2 ? -120 : 120 ))")")
  sleep 0.2
done
ask quit >/dev/null || true
wait "$kiosk_runner" 2>/dev/null || true
kiosk_runner=""
echo "load after: $(uptime | sed 's/.*load average: //')"

python3 - "${reload[*]}" "${zoom[*]}" <<'PY'
import sys
def parse(text):
    words = text.split()
    got = [(float(words[i + 1]), int(words[i + 2]))
           for i in range(len(words)) if words[i] == "draw-time"]
    if not got:
        sys.exit("run.sh: no draw-time reply: " + text[:200])
    return got
def stats(name, got):
    ms = sorted(m for m, _ in got)
    med, p90 = ms[len(ms) // 2], ms[min(len(ms) - 1, len(ms) * 9 // 10)]
    print("%-7s %3d times: median %6.2f ms, p90 %6.2f ms, max %6.2f ms; bars drawn %d to %d" %
          (name, len(ms), med, p90, ms[-1], min(b for _, b in got), max(b for _, b in got)))
    return med
day = stats("reload", parse(sys.argv[1]))
zoom = stats("zoom", parse(sys.argv[2]))
print("RATIO day_draw_ms=%.1f" % day)
print("RATIO zoom_draw_ms=%.1f" % zoom)
PY
