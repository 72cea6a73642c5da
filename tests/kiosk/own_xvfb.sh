#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a command on an X server of its own: Xvfb takes a free display number itself (-displayfd)
# and says which, so kiosk tests run side by side. xvfb-run -a instead guesses a free number and
# races the other runs, which held the kiosk tests to one at a time.
# Usage: own_xvfb.sh WIDTHxHEIGHT COMMAND [ARGS...]; exits with the command's status.
set -euo pipefail
geometry=$1
shift
work=$(mktemp -d)
xvfb=""
stop() {
  if [ -n "$xvfb" ]; then
    kill "$xvfb" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
Xvfb -displayfd 3 -screen 0 "${geometry}x24" -nolisten tcp 3>"$work/display" >"$work/log" 2>&1 &
xvfb=$!
# Xvfb writes the number once it accepts clients. A loaded machine may take seconds: 60 s at most.
for _ in $(seq 600); do
  [ -s "$work/display" ] && break
  kill -0 "$xvfb" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$work/display" ]; then
  echo "own_xvfb.sh: Xvfb did not start:" >&2
  cat "$work/log" >&2
  exit 1
fi
status=0
DISPLAY=":$(cat "$work/display")" "$@" || status=$?
exit "$status"
