#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README "The valkka command": with $VALKKA_PLUGIN_PATH unset, plugins are found in the plugin
# directory fixed when the build was configured (CMAKE_INSTALL_FULL_LIBDIR/valkka/plugins). The
# test installs to a temporary prefix and, in a mount namespace of its own (nothing outside it
# sees the mounts), puts that install's plugins at the configured directory; the installed
# `valkka plugins` must list them from there, and name that directory when it finds none (exit 1).
set -euo pipefail
build=$1 configured=$2
shift 2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
plugins=$(ls -d "$prefix"/lib*/valkka/plugins | head -n 1)
valkka="$prefix/bin/valkka"

status=0
out=$(env -u VALKKA_PLUGIN_PATH "$valkka" plugins 2>&1) || status=$?
# Unless the configured directory holds plugins on this machine, the search names it.
if [ -z "$(ls -A "$configured" 2>/dev/null)" ]; then
  [ "$out" = "valkka: plugins: no plugins found in \$VALKKA_PLUGIN_PATH or $configured" ] &&
    [ "$status" = 1 ] || { echo "with no plugins anywhere: '$out', exit $status"; exit 1; }
fi

# Root here (CI), or root of a user namespace of its own elsewhere.
unshare_args=(--mount)
[ "$(id -u)" -eq 0 ] || unshare_args+=(--map-root-user)
command -v unshare >/dev/null || { echo "unshare (util-linux) is missing"; exit 1; }
# The configured directory's nearest existing ancestor gets an empty tmpfs in the namespace, in
# which the directory is made and the install's plugins bound onto it.
ancestor=$configured
while [ ! -d "$ancestor" ]; do ancestor=$(dirname "$ancestor"); done
case "$prefix/" in
  "$ancestor"/*) echo "the configured plugin directory $configured is above $prefix"; exit 1 ;;
esac
[ "$ancestor" != / ] && [ "$ancestor" != /usr ] ||
  { echo "no directory near $configured to mount over ($ancestor)"; exit 1; }
listed=$(unshare "${unshare_args[@]}" bash -euc '
  ancestor=$1 configured=$2 plugins=$3 valkka=$4
  if [ "$ancestor" != "$configured" ]; then
    mount -t tmpfs tmpfs "$ancestor"
    mkdir -p "$configured"
  fi
  mount --bind "$plugins" "$configured"
  env -u VALKKA_PLUGIN_PATH "$valkka" plugins' _ "$ancestor" "$configured" "$plugins" "$valkka")
echo "$listed"
for name in "$@"; do
  grep -q "^[a-z]* *$name  *.* $configured/$name\.so$" <<<"$listed" ||
    { echo "$name is not listed from $configured"; exit 1; }
done
echo "the installed valkka found its $# plugins in $configured"
