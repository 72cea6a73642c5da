#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README "Unattended kiosk (systemd)": valkka-kiosk.service (dist/systemd, configured with the
# install prefix) is a user unit that systemd accepts as it is (verify_unit.sh), starts the
# installed kiosk full screen with the graphical session and restarts it 5 s after a failure.
# Usage: systemd_unit.sh BUILD_DIR CONFIGURED_UNIT CMAKE_INSTALL_PREFIX CMAKE_INSTALL_FULL_BINDIR
set -euo pipefail
build=$1 unit=$2 configured=$3 bindir=$4
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
grep -q "^ExecStart=$bindir/valkka-kiosk --fullscreen\$" "$unit" ||
  { echo "ExecStart is not the installed kiosk full screen:"; grep '^ExecStart' "$unit"; exit 1; }
"$(dirname "$0")/verify_unit.sh" --user "$unit" "$configured" "$prefix" \
  Service/Restart=on-failure Service/RestartSec=5 Service/Type=simple \
  Unit/PartOf=graphical-session.target Unit/After=graphical-session.target \
  Install/WantedBy=graphical-session.target
echo "valkka-kiosk.service verified; restarts 5 s after a failure"
