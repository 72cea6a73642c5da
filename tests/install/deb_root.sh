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
#                                   on an Xvfb of the test's own (its socket bound into ROOT),
#                                   then the site's sequence: the unit's command as the valkka
#                                   user until SIGTERM, the installed kiosk as its viewer (every
#                                   camera streaming, its picture within 1 s of now), a second
#                                   viewer killed with SIGKILL while it shows pictures, and the
#                                   recording without a gap (valkka play --json: one frame
#                                   interval between every two frames of each stream).
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

# Runs "$@" in ROOT in a mount namespace of its own, in the background, with the test's X socket
# bound in; writes the pid of "$@" (the bash that execs it keeps its pid) to PIDFILE. Killing the
# unshare kills it too (--kill-child). Its stdin is the caller's (a job's default is /dev/null).
in_root_bg() {
  local pidfile=$1 display=$2
  shift 2
  unshare --mount --kill-child bash -euc '
    root=$1 pidfile=$2 display=$3; shift 3
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
    echo $$ >"$pidfile"
    exec chroot "$root" env DISPLAY=":$display" "$@"' _ "$root" "$pidfile" "$display" "$@" <&0 &
}

# The pid a background start wrote to FILE, waited for (at most 10 s).
pid_of() {
  for _ in $(seq 100); do [ -s "$1" ] && break; sleep 0.1; done
  cat "$1"
}

fail() {
  echo "deb_root.sh: $*"
  exit 1
}

# Waits for the background job PID to end (at most SECONDS), then gives its exit status; 124 if
# it did not end.
wait_job() {
  for _ in $(seq $(($2 * 10))); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$1" 2>/dev/null && return 124
  wait "$1"
}

# Checks the wall state (the kiosk's --screenshot JSON, indented) in FILE: NAMES (one a line)
# are the tiles' names, each streaming with pictures presented, the picture's record time
# within 1 s of the time the state was taken.
check_viewer_state() {
  local file=$1 names=$2
  [ "$(grep -o '"name": *"[^"]*"' "$file" | sed 's/.*: *//' | sort)" = "$(sort <<<"$names")" ] ||
    fail "the viewer's tiles are not the recorder's cameras: $(cat "$file")"
  awk -v n="$(wc -l <<<"$names")" '
    function num(s) { gsub(/[^0-9.e+-]/, "", s); return s + 0 }
    /"taken_ms":/ { taken = num($2) }
    /"frame_ms":/ { frame[++f] = num($2) }
    /"presented":/ { shown[++p] = num($2) }
    /"state": *"streaming"/ { streaming++ }
    END {
      ok = f == n && p == n && streaming == n
      for (i = 1; i <= f; i++) {
        lag = taken - frame[i]
        printf "tile %d: %d pictures presented, its picture %d ms before the state\n", i - 1,
          shown[i], lag
        if (shown[i] < 1 || lag > 1000 || lag < -1000) ok = 0
      }
      exit !ok
    }' "$file" || fail "the viewer does not show the cameras live: $(cat "$file")"
}

# The site's sequence: the unit's command as the valkka user, long-running; the installed kiosk
# as its viewer on the same FS (every camera live); the viewer killed with SIGKILL while it shows
# pictures; the recording, stopped with SIGTERM, has no gap. DISPLAY is the test's Xvfb.
site_sequence() {
  local display=$1 work=$root/tmp/site fs=/var/lib/valkka/fs
  # The example's synthetic cameras run at 25 fps.
  local interval_ms=40
  echo "--- the site: the recorder service's command, the installed kiosk as its viewer"
  rm -rf "$work" && mkdir -p "$work"
  install -d -m 700 "$work/run"
  rm -f "$root$fs/status.json"  # the 5 s run's: it says that recorder stopped
  local names start_ms
  names=$(grep -o '"name": *"[^"]*"' "$root/etc/valkka/cameras.json" | sed 's/.*: *//')
  start_ms=$(date +%s%3N)
  # No --duration: as the unit runs it, until SIGTERM.
  # shellcheck disable=SC2086 # the unit's command line, split as systemd splits it here
  in_root_bg "$work/recorder.pid" "$display" setpriv --reuid=valkka --regid=valkka \
    --init-groups --reset-env $exec_start >"$work/recorder.out" 2>"$work/recorder.err"
  local recorder_job=$! recorder
  started+=("$recorder_job")
  recorder=$(pid_of "$work/recorder.pid")
  started+=("$recorder")
  # Recording: its status file names this process, every camera streaming (at most 30 s).
  local status=$root$fs/status.json
  local recording=""
  for _ in $(seq 300); do
    [ -s "$status" ] && grep -q "\"pid\": *$recorder\b" "$status" &&
      [ "$(grep -o '"state": *"streaming"' "$status" | wc -l)" -eq "$(wc -l <<<"$names")" ] &&
      recording=1 && break
    kill -0 "$recorder" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$recording" ] || fail "the recorder did not record: $(cat "$work/recorder.err")"
  cat "$status"

  echo "--- valkka-kiosk --viewer of the recorder's FS: every camera live"
  in_root_bg "$work/viewer.pid" "$display" XDG_DATA_HOME=/tmp/site XDG_RUNTIME_DIR=/tmp/site/run \
    valkka-kiosk --viewer --fs "$fs" --screenshot /tmp/site/viewer.png --after 3 \
    2>"$work/viewer.err"
  local viewer_job=$!
  started+=("$viewer_job")
  # --after 3 ends it; bounded all the same.
  wait_job "$viewer_job" 60 || fail "the viewer failed: $(cat "$work/viewer.err")"
  [ -s "$work/viewer.png" ] && [ -s "$work/viewer.json" ] ||
    fail "no viewer screenshot: $(cat "$work/viewer.err")"
  check_viewer_state "$work/viewer.json" "$names"

  echo "--- the viewer killed with SIGKILL while it shows pictures; the recording goes on whole"
  mkfifo "$work/control"
  exec 4<>"$work/control"  # held open: the kiosk's end of input would quit it
  in_root_bg "$work/viewer2.pid" "$display" XDG_DATA_HOME=/tmp/site XDG_RUNTIME_DIR=/tmp/site/run \
    valkka-kiosk --viewer --fs "$fs" --test-control <"$work/control" >"$work/control.out" \
    2>"$work/viewer2.err"
  viewer_job=$!
  started+=("$viewer_job")
  local viewer shown=""
  viewer=$(pid_of "$work/viewer2.pid")
  # Every tile has presented a second of pictures (at most 60 s).
  for _ in $(seq 120); do
    echo state >&4
    sleep 0.5
    shown=$(grep '^state ' "$work/control.out" | tail -n 1 | grep -o '"presented":[0-9.e+]*' |
      sed 's/.*://' || true)
    [ "$(wc -l <<<"$shown")" -eq "$(wc -l <<<"$names")" ] &&
      awk '$1 < 25 { low = 1 } END { exit low }' <<<"$shown" && break
    shown=""
    kill -0 "$viewer" 2>/dev/null || break
  done
  [ -n "$shown" ] ||
    fail "the viewer showed no pictures: $(tail -n 1 "$work/control.out"; cat "$work/viewer2.err")"
  kill -9 "$viewer"
  wait_job "$viewer_job" 10 || true
  exec 4>&-
  local killed_ms
  killed_ms=$(date +%s%3N)
  # Two more seconds of recording after the viewer died.
  sleep 2
  kill -0 "$recorder" 2>/dev/null || fail "killing the viewer stopped the recorder"
  kill -TERM "$recorder"
  wait_job "$recorder_job" 30 ||
    fail "the recorder did not stop cleanly: $(cat "$work/recorder.err")"
  grep -q '"stopped"' "$status" || fail "status.json does not say it stopped"

  # Every frame of the run, through the installed player: for each stream, every frame one
  # interval after the one before, from the recorder's start to after the viewer's death.
  in_root runuser -u valkka -- valkka play --fs "$fs" --from "$start_ms" --speed max --json \
    >"$work/frames.json"
  awk -v from="$start_ms" -v step="$interval_ms" -v killed="$killed_ms" \
    -v n="$(wc -l <<<"$names")" '
    function num(key,   s) {
      if (!match($0, "\"" key "\":[0-9]+")) return -1
      s = substr($0, RSTART, RLENGTH); sub(/.*:/, "", s); return s + 0
    }
    { id = num("stream"); t = num("mstime") }
    id < 0 || t < from { next }
    (id in last) && t - last[id] != step {
      printf "stream %d: %d ms from %.0f to %.0f\n", id, t - last[id], last[id], t; bad = 1
    }
    { if (!(id in first)) first[id] = t; last[id] = t; frames[id]++ }
    END {
      for (id in first) {
        streams++
        printf "stream %d: %d frames over %d ms\n", id, frames[id], last[id] - first[id]
        if (last[id] <= killed) { printf "stream %d ends before the viewer died\n", id; bad = 1 }
      }
      exit bad || streams != n
    }' "$work/frames.json" || fail "the recording has a gap (above)"
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
    # What the test started in the background, ended however it exits.
    started=("$xvfb")
    trap 'kill "${started[@]}" 2>/dev/null || true; rm -f "$xdisplay"' EXIT
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
    site_sequence "$(cat "$xdisplay")"
    echo "--- tests/external-plugin against the installed libvalkka-dev"
    cp -r tests/external-plugin "$root/tmp/external-plugin"
    in_root make -s -C /tmp/external-plugin CFLAGS=-O2
    in_root valkka plugin-info /tmp/external-plugin/source-hello.so
    echo "deb_root.sh: the packages install and work in a clean Debian 12 root"
    ;;
  *) echo "usage: $0 prepare|test ROOT [DEB...]" >&2; exit 2 ;;
esac
