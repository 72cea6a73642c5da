#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Proves check_layout.sh can fail: it says the same of a copy of ROOT as of ROOT itself, it
# rejects each deliberate violation and names the file, and it accepts the allowed includes.
# Violations go into a small synthetic tree, clean by construction, so that the verdicts do not
# depend on the state of the real tree.
#
#   self_test.sh ROOT
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 ROOT" >&2
  exit 2
fi
root=$1
check=$(cd "$(dirname "$0")" && pwd)/check_layout.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
cases=0

run_check() {
  rc=0
  out=$(bash "$check" "$1" 2>&1) || rc=$?
}

fail() {
  echo "FAIL: $1"
  [ -z "${2:-}" ] || sed 's/^/    /' <<<"$2"
  failed=1
}

# 1. The copy reproduces the real tree's verdict, violations included.
mkdir "$work/copy"
for tree in core-c plugins qml-shell abi; do
  if [ -d "$root/$tree" ]; then
    cp -r "$root/$tree" "$work/copy/"
  fi
done
run_check "$root"
real_rc=$rc real_out=$out
run_check "$work/copy"
cases=$((cases + 1))
if [ "$real_rc" -gt 1 ]; then
  fail "real tree: check_layout.sh did not run (exit $real_rc)" "$real_out"
elif [ "$rc" != "$real_rc" ] || [ "$out" != "$real_out" ]; then
  fail "copy of the real tree: exit $rc, not $real_rc, or other output" \
    "$(diff <(echo "$real_out") <(echo "$out") || true)"
else
  echo "ok: copy of the real tree reproduces its verdict (exit $real_rc)"
fi

put() {
  mkdir -p "${1%/*}"
  printf '%s\n' "${@:2}" >"$1"
}

# The layout the restructure makes, with one file of each kind and nothing wrong.
make_tree() {
  local t=$1
  put "$t/abi/valkka/plugin.h" '#pragma once'
  put "$t/abi/valkka/valkka.h" '#pragma once' 'int valkka_thing_open(void);'
  put "$t/core-c/src/fs/fs_internal.h" '#pragma once'
  put "$t/core-c/src/fs/format.h" '#pragma once'
  put "$t/core-c/src/fs/a.c" '#include "fs/fs_internal.h"' '#include "fs/format.h"'
  put "$t/core-c/src/util/queue.h" '#pragma once' 'int queue_push(void);'
  put "$t/core-c/src/util/thread.h" '#pragma once'
  put "$t/core-c/src/util/url_redact.c" '#include <string.h>' '#include "util/queue.h"'
  put "$t/core-c/src/manager/b.c" '#include <stdio.h>' '#include "util/queue.h"' '#include "fs/format.h"'
  put "$t/plugins/media-common/media_shared.h" '#pragma once'
  put "$t/plugins/p/p.h" '#pragma once'
  put "$t/plugins/p/p.c" '#include <valkka/plugin.h>' '#include "p.h"' '#include "media_shared.h"'
  put "$t/plugins/p/CMakeLists.txt" 'valkka_add_plugin(p SOURCES p.c LIBS valkka_media_common)'
  put "$t/core-c/cli/cli.h" '#pragma once'
  put "$t/core-c/cli/main.c" '#include <valkka/valkka.h>' '#include "cli.h"'
  put "$t/core-c/cli/CMakeLists.txt" 'add_executable(valkka-cli main.c)' \
    'target_include_directories(valkka-cli PRIVATE ${VALKKA_ABI_DIR})'
  put "$t/qml-shell/src/k.h" '#pragma once'
  put "$t/qml-shell/src/k.cpp" '#include <QObject>' '#include <valkka/valkka.h>' '#include "k.h"'
  put "$t/qml-shell/CMakeLists.txt" 'add_executable(k src/k.cpp)'
}

# Each case: a fresh tree plus "file|line" pairs, each line appended to its file.
new_case() {
  cases=$((cases + 1))
  tree=$work/case$cases
  make_tree "$tree"
  local pair
  for pair in "$@"; do
    mkdir -p "$(dirname "$tree/${pair%%|*}")"
    printf '%s\n' "${pair#*|}" >>"$tree/${pair%%|*}"
  done
}

expect_violation() {
  local what=$1 pair=$2 file=${2%%|*} line
  new_case "$pair"
  run_check "$tree"
  local named=""
  while IFS= read -r line; do
    if [[ $line == "$file:"[0-9]*": "* ]]; then
      named=yes
    fi
  done <<<"$out"
  if [ "$rc" -ne 1 ]; then
    fail "$what: exit $rc, not 1" "$out"
  elif [ -z "$named" ]; then
    fail "$what: $file is not named" "$out"
  else
    echo "ok: $what -> $(grep -m1 "^$file:" <<<"$out")"
  fi
}

expect_ok() {
  local what=$1
  shift
  new_case "$@"
  run_check "$tree"
  if [ "$rc" -ne 0 ] || [ "$out" != "layout: ok" ]; then
    fail "$what: exit $rc, expected layout: ok" "$out"
  else
    echo "ok: $what passes"
  fi
}

expect_ok "synthetic tree"

expect_violation "manager/ includes fs/'s private header" \
  'core-c/src/manager/b.c|#include "fs/fs_internal.h"'
expect_violation "a plugin includes a core header" \
  'plugins/p/p.c|#include "util/queue.h"'
expect_violation "the CLI includes a core header by a relative path" \
  'core-c/cli/main.c|#include "../src/fs/format.h"'
expect_violation "qml-shell includes a core header with angle brackets" \
  'qml-shell/src/k.cpp|#include <util/thread.h>'
expect_violation "a core header declares an internal helper with the public prefix" \
  'core-c/src/util/queue.h|int valkka_queue_pop(void);'
expect_violation "a core header names an internal type with the public prefix" \
  'core-c/src/util/queue.h|} valkka_queue_t;'
expect_ok "a core header repeating a public declaration" \
  'core-c/src/fs/format.h|int valkka_thing_open(void);'
expect_violation "a plugin compiles a core source" \
  'plugins/p/CMakeLists.txt|target_sources(p PRIVATE ${CMAKE_SOURCE_DIR}/core-c/src/util/url_redact.c)'
expect_violation "manager/ includes fs/'s private header by a relative path" \
  'core-c/src/manager/b.c|#include "../fs/fs_internal.h"'
expect_violation "manager/ includes fs/'s private header by its bare name" \
  'core-c/src/manager/b.c|#include "fs_internal.h"'
expect_violation "a plugin includes a core header through core-c/src" \
  'plugins/p/p.c|#include "../../core-c/src/util/queue.h"'
expect_violation "a plugin adds core-c/src as an include directory" \
  'plugins/p/CMakeLists.txt|target_include_directories(p PRIVATE ${CMAKE_SOURCE_DIR}/core-c/src)'
expect_violation "the CLI adds ../src as an include directory" \
  'core-c/cli/CMakeLists.txt|target_include_directories(valkka-cli PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/../src)'
expect_violation "a plugin links the core's white-box library" \
  'plugins/p/CMakeLists.txt|target_link_libraries(p PRIVATE valkka_internal)'
expect_violation "a plugin sets FFmpeg's log callback" \
  'plugins/p/p.c|static void f(void) { av_log_set_callback(NULL); }'
expect_violation "the core sets FFmpeg's log callback" \
  'core-c/src/fs/a.c|void f(void) { av_log_set_callback (cb); }'
expect_ok "the CLI and the kiosk set FFmpeg's log callback" \
  'core-c/cli/main.c|void f(void) { av_log_set_callback(cb); }' \
  'qml-shell/src/k.cpp|void f() { av_log_set_callback(cb); }'

expect_ok "allowed includes" \
  'core-c/src/fs/c.c|#include "fs/fs_internal.h"' \
  'core-c/src/manager/d.c|#include "util/queue.h"' \
  'plugins/p/q.c|#include <valkka/plugin.h>'
expect_ok "a bare include of the folder's own private header" \
  'core-c/src/fs/a.c|#include "fs_internal.h"'
expect_ok "a plugin includes shared plugin code by folder" \
  'plugins/p/p.c|#include "media-common/media_shared.h"'
expect_ok "CMake comments and header-name globs mention core-c/src" \
  'qml-shell/CMakeLists.txt|# nothing of core-c/src is compiled here' \
  'qml-shell/cmake/check.cmake|file(GLOB_RECURSE _h ${CORE_TREE}/core-c/src/*.h) #[[ core-c/src' \
  'qml-shell/cmake/check.cmake|../../core-c/src ]]'
expect_ok "build directories are not the layout" \
  'plugins/p/build-asan/gen.c|#include "util/queue.h"' \
  'plugins/p/build/CMakeLists.txt|add_library(x ${CMAKE_SOURCE_DIR}/core-c/src/util/url_redact.c)'

if [ $failed -ne 0 ]; then
  echo "layout self test: FAILED"
  exit 1
fi
echo "layout self test: all $cases cases passed"
