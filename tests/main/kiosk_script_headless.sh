#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README "Two commands": `ci/kiosk.sh` with no display (DISPLAY and WAYLAND_DISPLAY unset) creates
# the default FS on its first run ($XDG_DATA_HOME/valkka-kiosk/fs, VALKKA_KIOSK_FS_SIZE), records
# the four built-in synthetic cameras into it headless with a status line a second on stdout, and
# stops cleanly on Ctrl-C (SIGINT to its process group, as a terminal sends it): exit 0, the FS
# clean by fsck and holding the four cameras' pictures. The script installs and builds first;
# here both find everything done (the test runs in the build the script makes).
set -euo pipefail
source_dir=$1 build=$2
work=$(mktemp -d)
pid=""
cleanup() {
  [ -z "$pid" ] || kill -KILL -- "-$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "$*"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; exit 1; }

# Job control gives the script a process group of its own (a terminal's Ctrl-C reaches a whole
# group) and keeps SIGINT from being ignored, as it is for background jobs without it.
set -m
env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_HOME="$work/data" VALKKA_KIOSK_FS_SIZE=16M \
  "$source_dir/ci/kiosk.sh" >"$work/out" 2>"$work/err" </dev/null &
pid=$!
set +m

# Three status lines with every camera streaming; the install and build checks come first.
for _ in $(seq 1 2400); do
  [ "$(grep -c '^t=[0-9]*s cams=4 streaming=4 ' "$work/out")" -ge 3 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ "$(grep -c '^t=[0-9]*s cams=4 streaming=4 ' "$work/out")" -ge 3 ] ||
  fail "no three status lines with the four cameras streaming"
kill -INT -- "-$pid"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 0 ] || fail "ci/kiosk.sh exited $status after Ctrl-C, not 0"

fs="$work/data/valkka-kiosk/fs"
grep -q "^kiosk: first run: creating the default FS $fs (16 blocks of 1 MiB, preallocated)$" \
  "$work/err" || fail "the first run did not say it created the default FS at 16M"
grep -q "^kiosk: no display" "$work/err" || fail "no word that there is no display"
grep -q "^kiosk: stopped; the recording stays in $fs" "$work/err" ||
  fail "no word of a clean stop"
# stdout carries the status lines alone.
if grep -v '^t=[0-9]*s cams=4 streaming=[0-4] frames=[0-9]* fps=[0-9.]* dropped=0 blocks=[0-9]*/16 range=' \
  "$work/out"; then
  fail "stdout holds lines other than healthy status lines"
fi

export VALKKA_PLUGIN_PATH="$build/plugins"
valkka="$build/bin/valkka"
"$valkka" fs fsck "$fs" >"$work/fsck" 2>&1 || { cat "$work/fsck"; fail "fsck of the FS failed"; }
"$valkka" fs inspect "$fs" >"$work/inspect" || fail "fs inspect failed"
for camera in 0 1 2 3; do
  grep -q " [1-9][0-9]* frames in .*\"camera $camera\"$" "$work/inspect" ||
    { cat "$work/inspect"; fail "the FS holds no pictures of camera $camera"; }
done
echo "ci/kiosk.sh recorded 4 cameras headless, $(grep -c '^t=' "$work/out") status lines, stopped by Ctrl-C"
