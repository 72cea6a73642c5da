#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The .deb packages of ci/package.sh installed into a clean Debian 12 root, made by mmdebstrap
# from the package mirror this machine uses (its apt sources), and used there as a site would:
#   deb_root.sh prepare ROOT        makes ROOT: Debian's essential set, apt, and the tools the test
#                                   itself runs (gcc, make, pkg-config, man-db). What the packages
#                                   depend on is downloaded into its apt cache, not installed.
#   deb_root.sh test ROOT DEB...    installs the packages with apt (their Depends fetch the rest),
#                                   then: valkka --version, man -w valkka, 5 s of a synthetic
#                                   camera recorded by the installed unit's command line as the
#                                   valkka user, tests/external-plugin built against the installed
#                                   libvalkka-dev and loaded by the installed valkka, and the
#                                   installed kiosk recording and showing 4 synthetic cameras
#                                   on an Xvfb of the test's own (its socket bound into ROOT).
# ci/test.sh starts `prepare` when it starts (it is mostly downloading) and runs `test` last.
# Runs as root. The test's mounts (/proc, /dev) live in a mount namespace of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "deb_root.sh: needs root (mmdebstrap, chroot)" >&2; exit 1; }
mode=${1:-} root=${2:-}
[ -n "$mode" ] && [ -n "$root" ] || { echo "usage: $0 prepare|test ROOT [DEB...]" >&2; exit 2; }
shift 2

# The suites this machine installs from (Debian 12, with its updates and security suites): the
# packages were built against those libraries, so their Depends may name versions from them.
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || sources=/etc/apt/sources.list

# What the packages depend on at run time (the libraries the build links, the QML modules);
# prepare only downloads them, so apt still has to resolve every one from the packages' Depends.
runtime=(libavcodec59 libavformat59 libavutil57 libswscale6 libswresample4 libva2 libva-drm2
  libjansson4 zlib1g libqt6core6 libqt6gui6 libqt6qml6 libqt6quick6 libqt6multimedia6
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtmultimedia libjansson-dev zlib1g-dev)

in_root() {
  unshare --mount --fork bash -euc '
    root=$1; shift
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    exec chroot "$root" "$@"' _ "$root" "$@"
}

case "$mode" in
  prepare)
    rm -rf "$root"
    mkdir -p "$(dirname "$root")"
    # The host's apt cache goes in first (hard links where it can), so packages this machine has
    # already downloaded are not downloaded again; apt checks each against the mirror's hashes.
    mmdebstrap --quiet --variant=apt --skip=download/empty \
      --include=passwd,man-db,gcc,make,pkg-config,libc6-dev,ca-certificates \
      --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
      --setup-hook='find /var/cache/apt/archives -maxdepth 1 -name "*.deb" -exec \
        cp -l -t "$1/var/cache/apt/archives" {} + 2>/dev/null || find \
        /var/cache/apt/archives -maxdepth 1 -name "*.deb" -exec \
        cp -t "$1/var/cache/apt/archives" {} +' \
      --customize-hook='chroot "$1" apt-get install --download-only -y -qq \
        --no-install-recommends '"${runtime[*]}"' >/dev/null' \
      --skip=cleanup/apt/cache --skip=cleanup/apt/lists \
      bookworm "$root" "$sources"
    echo "deb_root.sh: root ready at $root"
    ;;
  test)
    [ $# -gt 0 ] || { echo "deb_root.sh test: no packages given" >&2; exit 2; }
    [ -x "$root/usr/bin/apt-get" ] ||
      { echo "deb_root.sh: no root at $root (run prepare first)" >&2; exit 1; }
    rm -rf "$root/tmp/debs" "$root/tmp/external-plugin"
    mkdir -p "$root/tmp/debs"
    cp "$@" "$root/tmp/debs/"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    in_root sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends /tmp/debs/*.deb >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }'
    for pkg in libvalkka1 libvalkka-dev valkka valkka-kiosk; do
      in_root dpkg-query -W -f='${Status}\n' "$pkg" | grep -q 'install ok installed' ||
        { echo "deb_root.sh: $pkg is not installed"; exit 1; }
    done
    echo "--- valkka --version"
    in_root valkka --version
    echo "--- man -w valkka"
    in_root man -w valkka
    in_root man -w 5 valkkafs >/dev/null
    echo "--- the recorder's user and unit"
    in_root getent passwd valkka
    unit=$root/lib/systemd/system/valkka-record.service
    [ -f "$unit" ] || unit=$root/usr/lib/systemd/system/valkka-record.service
    exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
    echo "ExecStart=$exec_start"
    [ -n "$exec_start" ] || { echo "deb_root.sh: the unit has no ExecStart"; exit 1; }
    # The unit's config is the administrator's: here the package's example (synthetic cameras
    # recording to /var/lib/valkka, which the first start creates).
    # It may hold camera passwords: the recorder's own, readable by nobody else.
    in_root install -D -o valkka -g valkka -m 600 /usr/share/doc/valkka/examples/cameras.json \
      /etc/valkka/cameras.json
    echo "--- 5 s recorded as the valkka user"
    in_root runuser -u valkka -- $exec_start --duration 5
    inspect=$(in_root runuser -u valkka -- valkka fs inspect /var/lib/valkka/fs)
    echo "$inspect"
    cameras=$(grep -c '^    id [0-9]* .* [1-9][0-9]* frames in ' <<<"$inspect" || true)
    [ "$cameras" -ge 2 ] || { echo "deb_root.sh: the example's cameras did not record"; exit 1; }
    echo "--- the kiosk: 4 synthetic cameras recorded and shown, on an X server of the test's own"
    xdisplay=$(mktemp)
    Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$xdisplay" >/dev/null 2>&1 &
    xvfb=$!
    trap 'kill "$xvfb" 2>/dev/null || true; rm -f "$xdisplay"' EXIT
    for _ in $(seq 100); do [ -s "$xdisplay" ] && break; sleep 0.1; done
    [ -s "$xdisplay" ] || { echo "deb_root.sh: Xvfb did not start"; exit 1; }
    rm -rf "$root/tmp/kiosk" && mkdir -p "$root/tmp/kiosk" "$root/tmp/.X11-unix"
    install -d -m 700 "$root/tmp/kiosk/run"
    unshare --mount --fork bash -euc '
      root=$1 display=$2
      mount --rbind /dev "$root/dev"
      mount -t proc proc "$root/proc"
      mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
      exec chroot "$root" env DISPLAY=":$display" XDG_DATA_HOME=/tmp/kiosk \
        XDG_RUNTIME_DIR=/tmp/kiosk/run valkka-kiosk --fs-size 16777216 \
        --screenshot /tmp/kiosk/wall.png --after 3' _ "$root" "$(cat "$xdisplay")"
    state=$root/tmp/kiosk/wall.json
    [ -s "$root/tmp/kiosk/wall.png" ] && [ -s "$state" ] || { echo "no kiosk screenshot"; exit 1; }
    streaming=$(grep -o '"state": *"streaming"' "$state" | wc -l)
    [ "$streaming" -eq 4 ] && ! grep -q '"presented": *0[,}]' "$state" ||
      { echo "deb_root.sh: the kiosk did not show 4 cameras: $(cat "$state")"; exit 1; }
    echo "--- tests/external-plugin against the installed libvalkka-dev"
    cp -r tests/external-plugin "$root/tmp/external-plugin"
    in_root make -s -C /tmp/external-plugin CFLAGS=-O2
    in_root valkka plugin-info /tmp/external-plugin/source-hello.so
    echo "deb_root.sh: the packages install and work in a clean Debian 12 root"
    ;;
  *) echo "usage: $0 prepare|test ROOT [DEB...]" >&2; exit 2 ;;
esac
