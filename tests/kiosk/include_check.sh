#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shell's include check: passes on the shell's sources, and fails on a file that includes a
# header of core-c/src (by quoted path, by an -I-style name, or by a relative path).
# Usage: include_check.sh CMAKE SCRIPT SHELL_SRC REPO_ROOT
set -euo pipefail
cmake=$1 script=$2 shell_src=$3 root=$4

"$cmake" -DSHELL_SRC="$shell_src" -DCORE_TREE="$root" -P "$script" \
  || { echo "include_check: the shell's own sources fail the check" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$shell_src"/*.h "$tmp"/
for bad in '#include "../../core-c/src/util/queue.h"' '#include <util/queue.h>' \
           '#include <fs_internal.h>' '#include "core-c/src/fs/format.h"' '#include <live_internal.h>'; do
  printf '%s\n#include <valkka/live.h>\n#include <QObject>\n#include <vector>\n' "$bad" > "$tmp/bad.cpp"
  if "$cmake" -DSHELL_SRC="$tmp" -DCORE_TREE="$root" -DFILES="$tmp/bad.cpp" -P "$script" 2>/dev/null; then
    echo "include_check: '$bad' was not refused" >&2
    exit 1
  fi
done
printf '#include <valkka/live.h>\n#include <QtQuick/QQuickItem>\n#include <cstdint>\n#include <sys/socket.h>\n#include "kiosk.h"\n' > "$tmp/good.cpp"
"$cmake" -DSHELL_SRC="$tmp" -DCORE_TREE="$root" -DFILES="$tmp/good.cpp" -P "$script" \
  || { echo "include_check: allowed includes were refused" >&2; exit 1; }
echo "include_check: ok"
