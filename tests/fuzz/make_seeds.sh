#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Makes the seed corpora of the fuzz targets with the project's own tools, nothing downloaded:
# `valkka fs create` a 4 x 64 KiB MultiFS, `valkka record --synthetic 12 --duration 4` into it
# (it wraps), fuzz_seed_maker slices its files and frames into each target's input form, and the
# camera configs are the README's example plus variants of its field table.
# Usage: make_seeds.sh BUILD_DIR SEED_MAKER OUT_DIR
set -euo pipefail
build=$1 maker=$2 out=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
export VALKKA_PLUGIN_PATH=${VALKKA_PLUGIN_PATH:-$build/plugins}
# The tools here only make seeds: leak reports of the libraries they use are not what is tested.
export ASAN_OPTIONS=detect_leaks=0
work=$(mktemp -d "${TMPDIR:-/tmp}/valkka-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT

rm -rf "$out"
mkdir -p "$out"/{blocks,blocktable,fsjson,frames,config}
"$build/bin/valkka" fs create "$work/fs" --kind multi --block-size 64K --blocks 4 >/dev/null
"$build/bin/valkka" record --fs "$work/fs" --synthetic 12 --duration 4 >/dev/null 2>"$work/record.log" || {
  cat "$work/record.log" >&2
  echo "make_seeds.sh: valkka record failed" >&2
  exit 1
}
"$maker" "$work/fs" "$out"

# The README's config example, as it stands there.
awk '/^### The config file/ {f = 1} f && /^```json/ {p = 1; next} p && /^```/ {exit} p' \
  "$src/README.md" >"$out/config/readme.json"
[ -s "$out/config/readme.json" ] || { echo "make_seeds.sh: no config example in README.md" >&2; exit 1; }
# One seed per rule of its field table.
cat >"$out/config/dir-only.json" <<'JSON'
{"fs": "fs", "cameras": [{"url": "synthetic://0"}, {"url": "synthetic://1", "name": "yard"}]}
JSON
cat >"$out/config/per-camera-fs.json" <<'JSON'
{"cameras": [
  {"name": "door", "url": "synthetic://0", "fs": {"dir": "door-fs", "create": {"kind": "single", "block_size": "64K", "blocks": 2}}},
  {"name": "gate", "url": "synthetic://1", "fs": "gate-fs", "id": 4294967295}
]}
JSON
cat >"$out/config/options.json" <<'JSON'
{"fs": {"dir": "fs", "create": {"kind": "multi", "block_size": 1048576, "blocks": 1048576}},
 "cameras": [{"url": "rtsp://viewer:PASSWORD@127.0.0.1:8554/live", "id": 7,
              "options": {"transport": "udp", "timeout_ms": 2500, "clock_tolerance_ms": 5000.5, "debug": true}},
             {"url": "synthetic://2", "id": 7, "unknown": null}]}
JSON
echo "make_seeds.sh: $(find "$out" -type f | wc -l) seeds in $out"
