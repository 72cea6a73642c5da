#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README "Unattended kiosk (systemd)": qml-shell/systemd/valkka-kiosk.service is a user unit that
# systemd accepts as it is, starts the installed kiosk full screen with the graphical session and
# restarts it 5 s after a failure. `systemd-analyze verify` names every line it ignores (an
# unknown key, a value it cannot parse) but still exits 0, so any output of it fails the test.
set -euo pipefail
build=$1 unit=$2
command -v systemd-analyze >/dev/null ||
  { echo "systemd-analyze is missing: ci/deps.sh installs it (Debian package systemd)"; exit 1; }
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT

# The unit names /usr/local/bin/valkka-kiosk, which verify requires to exist: the same unit with
# a temporary install's prefix in its place.
cmake --install "$build" --prefix "$prefix" >/dev/null
grep -q '^ExecStart=/usr/local/bin/valkka-kiosk --fullscreen$' "$unit" ||
  { echo "ExecStart is not the installed kiosk full screen:"; grep '^ExecStart' "$unit"; exit 1; }
sed "s|/usr/local/|$prefix/|g" "$unit" >"$work/valkka-kiosk.service"
# A user manager's runtime directory of its own: verify needs one, and the test needs no session.
mkdir -m 700 "$work/runtime"
out=$(XDG_RUNTIME_DIR="$work/runtime" systemd-analyze --user verify \
  "$work/valkka-kiosk.service" 2>&1) ||
  { echo "$out"; echo "systemd-analyze verify failed"; exit 1; }
[ -z "$out" ] || { echo "$out"; echo "systemd-analyze verify ignored part of the unit"; exit 1; }

# One value per key, each in its section.
value() {  # SECTION KEY
  awk -v s="[$1]" -v k="$2" '/^\[/ {in_s = ($0 == s)} in_s && index($0, k "=") == 1 {
    print substr($0, length(k) + 2)}' "$unit"
}
check() {  # SECTION KEY EXPECTED
  local got
  got=$(value "$1" "$2")
  [ "$got" = "$3" ] || { echo "[$1] $2 is '$got', not '$3'"; exit 1; }
}
check Service Restart on-failure
check Service RestartSec 5
check Service Type simple
check Unit PartOf graphical-session.target
check Unit After graphical-session.target
check Install WantedBy graphical-session.target
echo "valkka-kiosk.service verified; restarts 5 s after a failure"
