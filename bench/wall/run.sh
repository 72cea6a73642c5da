#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/wall: the kiosk's video wall with 16 synthetic cameras (640x360, 25 fps, H.264) in a 4x4
# layout under Xvfb, for DURATION seconds, next to the peer's cost of one tile in the same run:
# `ffplay` of one 640x360 25 fps stream under the same Xvfb, and `ffmpeg -re -i clip -f null -`
# (decode only). Prints, per tile, pictures presented / frames received; the kiosk's CPU (and
# Xvfb's), its resident memory at start, every minute, and at the end; and the ratios.
# Usage: bench/wall/run.sh [BUILD_DIR [DURATION_S [PEER_S [CAMERAS]]]]
#   (defaults: build/, 600, 60, 640). CAMERAS: 640 the cameras above; sub 1280x720 cameras each
#   with its 640x360 substream (synthetic://N/sub, issue 15), both recorded, the tiles decoding
#   the substreams; main the same 1280x720 cameras without substreams (the tiles decode the
#   mains). The peer is one 640x360 stream in every case: one substream.
#   file-sub and file-main: the same two, each camera a file looped in real time (source-file:
#   a 1280x720 main and its 640x360 substream, encoded once by ffmpeg before the run), so the
#   kiosk's CPU is what a wall of cameras costs it (reading, recording, decoding, drawing), not
#   the encoding of synthetic pictures as well.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
duration=${2:-600}
peer_duration=${3:-60}
cameras=${4:-640}
case "$cameras" in
  640 | sub | main | file-sub | file-main) ;;
  *) echo "run.sh: CAMERAS is 640, sub, main, file-sub or file-main, not '$cameras'" >&2; exit 2 ;;
esac
kiosk="$build/bin/valkka-kiosk"
for tool in "$kiosk" xvfb-run ffmpeg ffplay python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (build first: ci/build.sh normal)" >&2; exit 1; }
done
export VALKKA_PLUGIN_PATH="$build/plugins"
hz=$(getconf CLK_TCK)
work=$(mktemp -d "${TMPDIR:-/tmp}/valkka-wall.XXXXXX")
kiosk_runner="" pid=""
cleanup() {
  # Only what this script started: the kiosk (its xvfb-run then ends and takes its Xvfb along).
  if [ -n "$kiosk_runner" ]; then
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    wait "$kiosk_runner" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# --- the kiosk ------------------------------------------------------------------------------
# The peer's clip, and the file cameras' substream (the main stream: the same at 1280x720).
clip() { # SIZE FILE
  ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$1:rate=25" -t 10 \
    -c:v libx264 -preset ultrafast -tune zerolatency -g 25 -pix_fmt yuv420p "$2"
}
clip 640x360 "$work/clip.mp4"
[[ "$cameras" == file-* ]] && clip 1280x720 "$work/main.mp4"
python3 - "$work" "$cameras" > "$work/cameras.json" <<'PY'
import json, sys
work, mode = sys.argv[1:]
def camera(i):
    if mode.startswith("file"):
        cam = {"name": "cam %d" % i, "url": work + "/main.mp4"}
        if mode == "file-sub":
            cam["substream"] = work + "/clip.mp4"
        return cam
    size = {"width": 640, "height": 360} if mode == "640" else {"width": 1280, "height": 720}
    cam = {"name": "cam %d" % i, "url": "synthetic://%d" % i, "options": dict(size, fps=25)}
    if mode == "sub":
        cam["substream"] = "synthetic://%d/sub" % i  # half the options' size: 640x360
    return cam
print(json.dumps({"fs": {"dir": work + "/fs", "create": {"blocks": 512}},
                  "cameras": [camera(i) for i in range(16)]}))
PY
coproc KIOSK { exec xvfb-run -a -s '-screen 0 1280x720x24' "$kiosk" --config "$work/cameras.json" \
  --layout 4x4 --test-control 2>"$work/kiosk.log"; }
kiosk_runner=$KIOSK_PID
# Bash closes a coproc's descriptors in subshells, and $(state) is one: plain copies survive.
exec {to_kiosk}>&"${KIOSK[1]}" {from_kiosk}<&"${KIOSK[0]}"
ask() { echo "$1" >&"$to_kiosk"; IFS= read -r -t 30 line <&"$from_kiosk"; echo "$line"; }
state() { ask state | sed 's/^state //'; }

# The kiosk is the xvfb-run script's child; its X server too.
for _ in $(seq 100); do
  pid=$(pgrep -P "$kiosk_runner" -x valkka-kiosk || true)
  [ -n "$pid" ] && break
  sleep 0.1
done
xvfb=$(pgrep -P "$kiosk_runner" -x Xvfb || true)
[ -n "${pid:-}" ] || { echo "run.sh: the kiosk did not start"; cat "$work/kiosk.log"; exit 1; }

echo "wall: 16 cameras ($cameras) at 25 fps on a 4x4 wall under Xvfb; warming up 20 s" >&2
sleep 20
s0=$(state); c0=$(cpu_ticks "$pid"); x0=$( [ -n "$xvfb" ] && cpu_ticks "$xvfb" || echo 0 )
r0=$(rss_kib "$pid"); t0=$(date +%s.%N)
# Resident memory every 5 s; a minute's figure is the median of its readings, as the pictures in
# flight (up to four of 345 KB a tile) move a single reading by a few MiB.
rss_trace="$r0"
for ((elapsed = 0; elapsed < duration; elapsed += 60)); do
  step=$(( duration - elapsed < 60 ? duration - elapsed : 60 ))
  readings=()
  for ((s = 0; s < step; s += 5)); do
    sleep $(( step - s < 5 ? step - s : 5 ))
    readings+=("$(rss_kib "$pid")")
  done
  rss_trace="$rss_trace $(printf '%s\n' "${readings[@]}" | sort -n | awk '{v[NR] = $1}
    END {print v[int((NR + 1) / 2)]}')"
done
s1=$(state); c1=$(cpu_ticks "$pid"); x1=$( [ -n "$xvfb" ] && cpu_ticks "$xvfb" || echo 0 )
r1=$(rss_kib "$pid"); t1=$(date +%s.%N)
ask quit >/dev/null || true
wait "$kiosk_runner" 2>/dev/null || true
kiosk_runner=""

# --- the peer: one stream, ffplay on the same kind of X server, and ffmpeg decoding only ------
peer_cpu() {  # command... : CPU ticks of the command over peer_duration seconds
  "$@" >/dev/null 2>&1 </dev/null &
  local runner=$! p=""
  for _ in $(seq 100); do
    p=$(pgrep -n -P "$runner" -x "$peer_name" || true)
    [ -z "$p" ] && [ "$(cat /proc/$runner/comm 2>/dev/null)" = "$peer_name" ] && p=$runner
    [ -n "$p" ] && break
    sleep 0.1
  done
  sleep 3
  local a b; a=$(cpu_ticks "$p"); sleep "$peer_duration"; b=$(cpu_ticks "$p")
  # The player itself: xvfb-run then ends and takes its X server along.
  kill "$p" 2>/dev/null; wait "$runner" 2>/dev/null || true
  echo $((b - a))
}
peer_name=ffplay
ffplay_ticks=$(peer_cpu xvfb-run -a -s '-screen 0 1280x720x24' ffplay -loglevel error -an \
  -loop 0 -x 320 -y 180 "$work/clip.mp4")
peer_name=ffmpeg
ffmpeg_ticks=$(peer_cpu ffmpeg -nostdin -v error -re -stream_loop -1 -i "$work/clip.mp4" -f null -)

python3 - "$s0" "$s1" "$c0" "$c1" "$x0" "$x1" "$t0" "$t1" "$hz" "$r0" "$r1" "$rss_trace" \
  "$ffplay_ticks" "$ffmpeg_ticks" "$peer_duration" "$duration" <<'PY'
import json, sys
(s0, s1, c0, c1, x0, x1, t0, t1, hz, r0, r1, trace, ffplay, ffmpeg, peer_s, duration) = sys.argv[1:]
s0, s1 = json.loads(s0), json.loads(s1)
hz, secs = float(hz), float(t1) - float(t0)
kiosk_cpu = (int(c1) - int(c0)) / hz / secs * 100
xvfb_cpu = (int(x1) - int(x0)) / hz / secs * 100
ffplay_cpu = int(ffplay) / hz / float(peer_s) * 100
ffmpeg_cpu = int(ffmpeg) / hz / float(peer_s) * 100
print("wall: %d s measured, 16 tiles, window rendered %.1f frames/s, beat %s ms" %
      (secs, (s1["window_frames"] - s0["window_frames"]) / secs, s1.get("beat_ms", "?")))
decodes = sorted({t.get("decodes", "") for t in s1["tiles"]})
print("tiles decode: %s" % (", ".join(d or "(not said)" for d in decodes)))
print("%-8s %10s %10s %9s" % ("tile", "received", "presented", "ratio"))
ratios = []
for a, b in zip(s0["tiles"], s1["tiles"]):
    rec, pre = b["received"] - a["received"], b["presented"] - a["presented"]
    ratios.append(pre / rec if rec else 0)
    print("%-8s %10d %10d %9.3f" % (b["name"], rec, pre, ratios[-1]))
print("presented/received: min %.3f, mean %.3f" % (min(ratios), sum(ratios) / len(ratios)))
print("CPU (%% of one core): kiosk %.1f (%.2f per tile), its Xvfb %.1f" % (kiosk_cpu, kiosk_cpu / 16, xvfb_cpu))
print("peer, one stream: ffplay %.1f, ffmpeg -re ... -f null - %.1f" % (ffplay_cpu, ffmpeg_cpu))
vs_ffplay = kiosk_cpu / 16 / ffplay_cpu if ffplay_cpu else float("nan")
vs_ffmpeg = kiosk_cpu / 16 / ffmpeg_cpu if ffmpeg_cpu else float("nan")
print("ratio kiosk per tile / ffplay: %.2f; / ffmpeg decode: %.2f" % (vs_ffplay, vs_ffmpeg))
minutes = [int(v) / 1024 for v in trace.split()]
print("kiosk resident memory (MiB) start %.1f, end %.1f, each minute's median: %s" %
      (int(r0) / 1024, int(r1) / 1024, " ".join("%.1f" % v for v in minutes[1:])))
if len(minutes) > 11:  # issue 15: within 2 MiB of minute 10's after it
    later = minutes[11:]
    print("resident memory after minute 10: %.1f to %.1f MiB, minute 10 %.1f: within %.1f MiB" %
          (min(later), max(later), minutes[10], max(abs(v - minutes[10]) for v in later)))
# The same ratios for bench/check.sh, which holds them to the goals of bench/README.md.
print("RATIO presented_min=%.3f" % min(ratios))
print("RATIO tile_cpu_vs_ffplay=%.2f\nRATIO tile_cpu_vs_ffmpeg=%.2f" % (vs_ffplay, vs_ffmpeg))
PY
