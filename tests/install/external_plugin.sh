#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
build=$1 src=$2 cc=$3
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib* | head -n 1)
for f in include/valkka/valkka.h include/valkka/plugin.h; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
ls "$libdir"/libvalkka.so.1 >/dev/null
[ -d "$libdir/valkka/plugins" ] || { echo "no plugin dir installed"; exit 1; }
soname=$(objdump -p "$libdir/libvalkka.so.1" | awk '/SONAME/ {print $2}')
[ "$soname" = libvalkka.so.1 ] || { echo "soname is '$soname'"; exit 1; }

# A copy of the plugin source, away from the tree, built with the installed prefix only. The
# sanitizer flags of the running build are kept out: the plugin is an ordinary third-party build.
cp "$src"/hello_source.c "$src"/Makefile "$work"/
PKG_CONFIG_PATH="$libdir/pkgconfig" make -s -C "$work" CC="$cc" CFLAGS=-O2 >/dev/null
out=$("$prefix"/bin/valkka plugin-info "$work"/source-hello.so)
echo "$out"
grep -q '^name: *source-hello$' <<<"$out"
grep -q '^kind: *source$' <<<"$out"
# The ABI version of the installed headers the plugin was built with.
abi=$(awk '/#define VALKKA_ABI_MAJOR/ {major = $3} /#define VALKKA_ABI_MINOR/ {minor = $3}
           END {print major "\\." minor}' "$prefix/include/valkka/defs.h")
grep -q "^ABI: *$abi\$" <<<"$out"

# The same plugin through the CMake package (find_package(valkka)), loaded the same way.
cp "$src"/CMakeLists.txt "$work"/
cmake -S "$work" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS=-O2 >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
grep -q "valkka $(sed -n 's/^Version: //p' "$libdir/pkgconfig/valkka.pc"), plugins in " \
  "$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/cmake-build" >/dev/null
out=$("$prefix"/bin/valkka plugin-info "$work"/cmake-build/source-hello.so)
grep -q '^name: *source-hello$' <<<"$out"
echo "external plugin built against $prefix (pkg-config and find_package) and loaded"
