#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs every Debian package the project needs: build, tests, sanitizers, FFmpeg, libva,
# GStreamer's RTSP server, Qt 6 and Xvfb. Idempotent: when everything is there it prints nothing.
# Usage: ci/deps.sh [GROUP...]. A GROUP adds packages only one script needs, so the others do not
# install them: stress (stress-ng, the load of ci/stress.sh), package (ci/package.sh's checks).
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev clang-format
  # core and plugins
  libjansson-dev zlib1g-dev libcurl4-openssl-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
  libva-dev
  # tests (tzdata: the zones of tests/manager/cli_time_test.cpp and the kiosk's timeline test)
  libgtest-dev libgmock-dev tzdata
  libgstreamer1.0-dev libgstrtspserver-1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  # an RTSP server not of ours, UDP only: the camera of tests/record/vlc_test.cpp
  vlc-bin vlc-plugin-base
  # an FS served over HTTP: Debian's lighttpd (tests/support/http_server.cpp), the certificates
  # and client of the HTTP tests (the openssl and curl CLIs), python3 for the faulty server of
  # tests/support/http_faulty.py; lighttpd's TLS module is only a Recommends of it, which this
  # script does not install
  lighttpd lighttpd-mod-openssl openssl curl python3
  # the kiosk shell and its tests under a real X server
  qt6-base-dev qt6-declarative-dev qt6-multimedia-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtmultimedia libgl1-mesa-dri xvfb xauth
  # real keyboard and mouse events to the kiosk's window: tests/kiosk/input_test.cpp
  xdotool
  # the kiosk's sound in tests/kiosk/sound_test.cpp: a PulseAudio server of the test's own
  pulseaudio pulseaudio-utils
  # systemd-analyze: tests/install/systemd_unit.sh verifies the kiosk's unit
  systemd
  # man pages: scdoc builds them (dist/man), man-db renders them in tests/install/dist.sh
  scdoc man-db
  # tests/install/dist.sh: the desktop file's validator, and zsh to parse the zsh completion
  desktop-file-utils zsh
)
for group in "$@"; do
  case "$group" in
    stress) packages+=(stress-ng) ;;
    # ci/package.sh: lintian, hardening-check (devscripts), the clean root of the install test
    package) packages+=(lintian devscripts mmdebstrap) ;;
    *) echo "ci/deps.sh: unknown group '$group' (known: stress, package)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    echo "ci/deps.sh: missing packages (${missing[*]}) and not root; install them as root" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "ci/deps.sh: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's chatter goes to a log that is shown only when something fails.
if ! { "${SUDO[@]}" apt-get update -qq && \
       "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } </dev/null >"$log" 2>&1; then
  cat "$log" >&2
  echo "ci/deps.sh: package installation failed" >&2
  exit 1
fi
