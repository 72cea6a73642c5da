#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README "Install": what `cmake --install` puts beside the programs (dist/), installed into a
# temporary prefix and each file put to its use: every man page renders without a warning and
# valkka(1) has a section for every command `valkka help` lists; the recorder's unit passes
# `systemd-analyze verify`; systemd-sysusers makes the user of the sysusers file; the example
# config records; the desktop file validates; the completion scripts parse, and bash's
# completes what it should.
# Usage: dist.sh BUILD_DIR CMAKE_INSTALL_PREFIX CMAKE_INSTALL_FULL_BINDIR CMAKE_INSTALL_MANDIR
#        CMAKE_INSTALL_DATADIR SYSTEM_UNIT_DIR SYSUSERS_DIR KIOSK(ON|OFF)
set -euo pipefail
build=$1 configured=$2 bindir=$3 mandir=$4 datadir=$5 unitdir=$6 sysusersdir=$7 kiosk=$8
here=$(dirname "$0")
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
fail() { echo "$*"; exit 1; }
cmake --install "$build" --prefix "$prefix" >/dev/null
valkka=$prefix/bin/valkka
plugins=$(find "$prefix" -type d -path '*/valkka/plugins' | head -n 1)
export LD_LIBRARY_PATH=$(dirname "$(find "$prefix" -name libvalkka.so.1 | head -n 1)")

# Man pages: installed, and rendered by man(1) with groff's warnings on, none of them given.
pages=(man1/valkka.1 man5/valkka-cameras.json.5 man5/valkkafs.5)
[ "$kiosk" = ON ] && pages+=(man1/valkka-kiosk.1)
# Installed gzip'd; the checks below read the text from copies in $work/man.
mkdir -p "$work/man/man1" "$work/man/man5"
for page in "${pages[@]}"; do
  file=$prefix/$mandir/$page.gz
  [ -s "$file" ] || fail "$page.gz is not installed in $prefix/$mandir"
  warnings=$(MANWIDTH=80 man --warnings -l "$file" 2>&1 >/dev/null) || fail "man -l $page failed"
  [ -z "$warnings" ] || fail "man $page warns: $warnings"
  gzip -dc "$file" >"$work/man/$page"
done
commands=$("$valkka" help | awk '$1 == "valkka" {print $2}')
[ -n "$commands" ] || fail "valkka help lists no command"
for command in $commands; do
  grep -qx "\.SS valkka $command" "$work/man/man1/valkka.1" ||
    fail "valkka.1 has no section for valkka $command"
done

# Every option a command's usage names is in its page (the usage printed whether or not the
# command takes --help yet), as the bold *--option* of scdoc.
options_documented() {  # PAGE: the options on stdin, each to be found in PAGE
  local option
  for option in $(grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -qF -- "\fB$option\fR" "$1" || fail "$(basename "$1") does not name $option"
  done
}
for command in $commands; do "$valkka" "$command" --help 2>&1 || true; done |
  options_documented "$work/man/man1/valkka.1"
{ "$valkka" fs create --help 2>&1 || true; } | options_documented "$work/man/man1/valkka.1"
if [ "$kiosk" = ON ]; then
  usage=$("$prefix/bin/valkka-kiosk" --help | head -n 1)
  [ "${usage%% \[*}" = "Usage: valkka-kiosk" ] || fail "valkka-kiosk --help begins '$usage'"
  "$prefix/bin/valkka-kiosk" --help | options_documented "$work/man/man1/valkka-kiosk.1"
fi

# bash completion: parses, and completes the commands, the fs subcommands and a config file.
completions=$prefix/$datadir/bash-completion/completions
bash -n "$completions/valkka" || fail "the bash completion of valkka does not parse"
complete_words() {  # FUNCTION FILE WORD...: what FUNCTION completes for the last WORD
  (cd "$work" && bash -c 'function=$1 file=$2; shift 2; source "$file"
    COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)); "$function"; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$@" | grep -v '^-' | sort | tr '\n' ' ')
}
got=$(complete_words _valkka "$completions/valkka" valkka fs '')
[ "$got" = "create fsck inspect " ] || fail "bash completes 'valkka fs ' to '$got'"
want=$(printf '%s\n' $commands help | sort | tr '\n' ' ')
got=$(complete_words _valkka "$completions/valkka" valkka '')
[ "$got" = "$want" ] || fail "bash completes 'valkka ' to '$got', not the commands: '$want'"
touch "$work/cams.json"
# `--config=c`: bash splits the word at '=' (COMP_WORDBREAKS) into three.
got=$(complete_words _valkka "$completions/valkka" valkka record --config = c)
[ "$got" = "cams.json " ] || fail "bash completes 'valkka record --config=c' to '$got'"
command -v zsh >/dev/null || fail "zsh is missing: ci/deps.sh installs it"
zsh -n "$prefix/$datadir/zsh/vendor-completions/_valkka" ||
  fail "the zsh completion of valkka does not parse"
if [ "$kiosk" = ON ]; then
  bash -n "$completions/valkka-kiosk" || fail "the bash completion of valkka-kiosk does not parse"
  got=$(complete_words _valkka_kiosk "$completions/valkka-kiosk" valkka-kiosk --layout '')
  [ "$got" = "1 2x2 3x3 4x4 " ] || fail "bash completes 'valkka-kiosk --layout ' to '$got'"
  zsh -n "$prefix/$datadir/zsh/vendor-completions/_valkka-kiosk" ||
    fail "the zsh completion of valkka-kiosk does not parse"
fi

# The recorder's system unit: verified with the install's prefix, and its essentials.
"$here/verify_unit.sh" --system "$prefix/$unitdir/valkka-record.service" "$configured" "$prefix" \
  "Service/ExecStart=$bindir/valkka record --config /etc/valkka/cameras.json --status-interval 60" \
  Service/Type=notify Service/NotifyAccess=main Service/WatchdogSec=30 \
  'Service/ExecReload=/bin/kill -HUP $MAINPID' Service/User=valkka Service/Group=valkka \
  Service/StateDirectory=valkka Service/ConfigurationDirectory=valkka Service/ProtectSystem=strict \
  Service/Restart=on-failure Service/KillSignal=SIGTERM Install/WantedBy=multi-user.target

# The sysusers file, applied to an empty root: the user, its home, its groups.
command -v systemd-sysusers >/dev/null || fail "systemd-sysusers is missing (Debian package systemd)"
mkdir -p "$work/sysroot/etc" "$work/sysroot/usr/lib/sysusers.d"
cp "$prefix/$sysusersdir/valkka.conf" "$work/sysroot/usr/lib/sysusers.d/"
out=$(systemd-sysusers --root="$work/sysroot" 2>&1) || fail "systemd-sysusers: $out"
awk -F: '$1 == "valkka" && $6 == "/var/lib/valkka" && $5 == "valkka recorder" {found = 1}
  END {exit !found}' "$work/sysroot/etc/passwd" ||
  fail "sysusers made no valkka user with home /var/lib/valkka: $(cat "$work/sysroot/etc/passwd")"
for group in render video; do
  grep -Eq "^$group:[^:]*:[0-9]+:(.*,)?valkka(,|$)" "$work/sysroot/etc/group" ||
    fail "valkka is not in group $group: $(cat "$work/sysroot/etc/group")"
done

# The example config records as it is, but for its FS's place and size.
example=$prefix/$datadir/doc/valkka/examples/cameras.json
grep -q '"dir": "/var/lib/valkka/fs"' "$example" || fail "the example does not record to /var/lib/valkka/fs"
sed -e "s|\"/var/lib/valkka/fs\"|\"$work/fs\"|" -e 's|"blocks": 2048|"blocks": 16|' "$example" \
  >"$work/cameras.json"
grep -q "\"$work/fs\"" "$work/cameras.json" && grep -q '"blocks": 16' "$work/cameras.json" ||
  fail "the example's FS is not where the test moves it: $(cat "$example")"
chmod 600 "$work/cameras.json"
VALKKA_PLUGIN_PATH=$plugins "$valkka" record --config "$work/cameras.json" --duration 2 \
  >"$work/record.out" 2>"$work/record.err" ||
  fail "valkka record of the example failed: $(cat "$work/record.err")"
! grep -q 'unknown key\|warning' "$work/record.err" || fail "the example draws: $(cat "$work/record.err")"
streams=$("$valkka" fs inspect --json "$work/fs" | grep -o '"name": *"synthetic [01]"' | sort -u |
  wc -l)
[ "$streams" -eq 2 ] || fail "the example's FS holds not both cameras: $("$valkka" fs inspect "$work/fs")"

if [ "$kiosk" = ON ]; then
  command -v desktop-file-validate >/dev/null ||
    fail "desktop-file-validate is missing: ci/deps.sh installs it (desktop-file-utils)"
  out=$(desktop-file-validate "$prefix/$datadir/applications/valkka-kiosk.desktop" 2>&1) ||
    fail "valkka-kiosk.desktop: $out"
  [ -z "$out" ] || fail "valkka-kiosk.desktop: $out"
fi
echo "dist files installed: ${#pages[@]} man pages, completion, unit, sysusers, example, desktop"
