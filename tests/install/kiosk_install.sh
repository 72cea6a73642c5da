#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README "Install": `cmake --install` puts bin/valkka-kiosk beside bin/valkka and every plugin of
# the build in lib/valkka/plugins. The installed kiosk links the installed libvalkka, and each
# installed plugin loads.
set -euo pipefail
build=$1
shift
# The plugins the build installs (plugins/CMakeLists.txt's valkka_add_plugin targets).
plugins=("$@")
[ "${#plugins[@]}" -gt 0 ] || { echo "no plugins named"; exit 1; }
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/valkka bin/valkka-kiosk; do
  [ -x "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
[ -f "$prefix/lib/libvalkka.so.1" ] || { echo "not installed: lib/libvalkka.so.1"; exit 1; }
for p in "${plugins[@]}"; do
  [ -f "$prefix/lib/valkka/plugins/$p.so" ] ||
    { echo "not installed: lib/valkka/plugins/$p.so"; exit 1; }
done

# The installed kiosk runs against the installed library, not the build tree's.
version=$(env -u LD_LIBRARY_PATH "$prefix/bin/valkka-kiosk" --version)
echo "$version"
grep -q '^valkka-kiosk [0-9][^ ]* (ABI [0-9]*\.[0-9]*)$' <<<"$version"
lib=$(env -u LD_LIBRARY_PATH ldd "$prefix/bin/valkka-kiosk" |
  awk '$1 == "libvalkka.so.1" {print $3}')
[ -n "$lib" ] && [ "$(realpath "$lib")" = "$(realpath "$prefix/lib/libvalkka.so.1")" ] ||
  { echo "the kiosk loads libvalkka from '$lib'"; exit 1; }

# Each installed plugin loads into the installed `valkka`. Named by $VALKKA_PLUGIN_PATH: the
# directory the library searches by itself is the configured prefix's (VALKKA_PLUGIN_INSTALL_DIR,
# /usr/local/lib/valkka/plugins by default), not this temporary one's.
listed=$(VALKKA_PLUGIN_PATH="$prefix/lib/valkka/plugins" env -u LD_LIBRARY_PATH \
  "$prefix/bin/valkka" plugins)
echo "$listed"
for p in "${plugins[@]}"; do
  awk -v p="$p" '$2 == p {found = 1} END {exit !found}' <<<"$listed" ||
    { echo "the installed valkka does not list $p"; exit 1; }
done
echo "valkka-kiosk and ${#plugins[@]} plugins installed in $prefix"
