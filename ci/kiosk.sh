#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The main job: installs what is missing, builds, and runs the kiosk. With a display (DISPLAY or
# WAYLAND_DISPLAY set) that is the Qt video wall (valkka-kiosk) recording and showing 4 built-in
# synthetic cameras, with its timeline. With no display it records the same cameras headless into
# the same FS, one status line per second on stdout, until Ctrl-C (which stops the recorder
# cleanly: writers flushed, FS synced and closed). Arguments are handed to valkka-kiosk
# (e.g. --fullscreen, --layout 1, --config FILE).
#
# Environment:
#   VALKKA_KIOSK_FS_SIZE  size of the default FS when the first run creates it: 2G by default
#                         (a number with K, M or G; it is made of 1 MiB blocks)
#   XDG_DATA_HOME         the default FS lives in $XDG_DATA_HOME/valkka-kiosk/fs
#                         (default ~/.local/share/valkka-kiosk/fs)
set -euo pipefail
cd "$(dirname "$0")/.."

fs_dir="${XDG_DATA_HOME:-$HOME/.local/share}/valkka-kiosk/fs"
fs_size="${VALKKA_KIOSK_FS_SIZE:-2G}"
cameras=4

# What the script is doing goes to stderr; stdout carries only the recorder's status lines.
say() { echo "kiosk: $*" >&2; }

# "2G", "512M", "2048m", "1048576K", bytes -> whole MiB (the number of 1 MiB blocks).
size_in_mib() {
  local text=${1%[iI][bB]} n unit
  text=${text%[bB]}
  n=${text%[kKmMgG]}
  unit=${text#"$n"}
  [[ "$n" =~ ^[0-9]+$ ]] || return 1
  case "$unit" in
    g|G) echo $((n * 1024)) ;;
    m|M) echo "$n" ;;
    k|K) echo $((n / 1024)) ;;
    "") echo $((n / 1048576)) ;;
  esac
}

# The first run creates the default FS: a MultiFS of 1 MiB blocks, preallocated.
ensure_fs() {
  if [ -f "$fs_dir/valkkafs.json" ]; then
    say "recording into the existing FS $fs_dir (VALKKA_KIOSK_FS_SIZE applies only when creating it)"
    return
  fi
  local blocks
  if ! blocks=$(size_in_mib "$fs_size") || [ "$blocks" -lt 2 ]; then
    say "VALKKA_KIOSK_FS_SIZE=$fs_size: expected a size of at least 2M, like 512M or 2G"
    exit 2
  fi
  say "first run: creating the default FS $fs_dir ($blocks blocks of 1 MiB, preallocated)"
  mkdir -p "$(dirname "$fs_dir")"
  "$valkka" fs create "$fs_dir" --kind multi --block-size 1M --blocks "$blocks" >&2
}

# No display: record, print a status line each second, stop on Ctrl-C.
record_headless() {
  say "recording $cameras built-in synthetic cameras headless into $fs_dir"
  say "one status line per second below; Ctrl-C stops recording (the FS is flushed and closed)"
  local status=0
  "$valkka" record --fs "$fs_dir" --synthetic "$cameras" || status=$?
  if [ "$status" -eq 0 ]; then
    say "stopped; the recording stays in $fs_dir (valkka fs inspect shows it)"
  else
    say "the recorder failed (exit $status); its error is above"
  fi
  return "$status"
}

say "installing missing packages, if any (ci/deps.sh)"
ci/deps.sh
say "building (ci/build.sh normal)"
dir=$(ci/build.sh normal)
export VALKKA_PLUGIN_PATH="$PWD/$dir/plugins"
valkka="$PWD/$dir/bin/valkka"
say "$("$valkka" --version)"
ensure_fs
kiosk="$PWD/$dir/bin/valkka-kiosk"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "no display (DISPLAY and WAYLAND_DISPLAY are unset): no wall to show"
  record_headless
elif [ ! -x "$kiosk" ]; then
  say "the kiosk shell was not built ($kiosk is missing): recording headless"
  record_headless
else
  say "starting the video wall ($kiosk); close its window or Ctrl-C to stop"
  exec "$kiosk" "$@"
fi
