#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `systemd-analyze verify` of an installed unit, shared by systemd_unit.sh (the kiosk's user unit)
# and dist.sh (the recorder's system unit). The unit names its programs under the configured
# prefix, which verify requires to exist: it is verified with a temporary install's prefix in
# its place, and with that install's man pages. verify names every line it ignores (an unknown key, a value it cannot parse) but
# still exits 0, so any output of it fails. Each SECTION/KEY=VALUE after that is a line the unit
# must hold in that section, once.
# Usage: verify_unit.sh --user|--system UNIT CONFIGURED_PREFIX INSTALL_PREFIX [SECTION/KEY=VALUE...]
set -euo pipefail
mode=$1 unit=$2 configured=$3 installed=$4
shift 4
command -v systemd-analyze >/dev/null ||
  { echo "systemd-analyze is missing: ci/deps.sh installs it (Debian package systemd)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|$configured/|$installed/|g" "$unit" >"$work/$(basename "$unit")"
# A user manager's runtime directory of its own: verify needs one, and the test needs no session.
mkdir -m 700 "$work/runtime"
# verify runs man(1) for each man: page of Documentation=: the install's pages must be there.
man=$(find "$installed" -type d -name man1 -printf '%h\n' | head -n 1)
out=$(MANPATH=$man XDG_RUNTIME_DIR="$work/runtime" systemd-analyze "$mode" verify \
  "$work/$(basename "$unit")" 2>&1) ||
  { echo "$out"; echo "systemd-analyze verify failed"; exit 1; }
[ -z "$out" ] || { echo "$out"; echo "systemd-analyze verify ignored part of the unit"; exit 1; }

for want in "$@"; do
  section=${want%%/*} line=${want#*/}
  key=${line%%=*}
  got=$(awk -v s="[$section]" -v k="$key" '/^\[/ {in_s = ($0 == s)}
    in_s && index($0, k "=") == 1 {print substr($0, length(k) + 2)}' "$unit")
  [ "$got" = "${line#*=}" ] || { echo "[$section] $key is '$got', not '${line#*=}'"; exit 1; }
done
