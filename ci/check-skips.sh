#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Fails when ctest's output (the file given) shows a skip other than for hardware a machine may
# lack. A skipped suite did not run (tests/main/skip_main.cpp). Only a skip for such hardware is
# expected (VALKKA_ALLOWED_SKIPS, default the VA-API device test); any other, such as an encoder
# missing from the installed packages, fails. Used by ci/test.sh and ci/stress.sh.
# Usage: ci/check-skips.sh CTEST_OUTPUT_FILE
set -euo pipefail
allowed=" ${VALKKA_ALLOWED_SKIPS-rtsp_vaapi} "
bad=0
for name in $(sed -n 's/.*Test *#[0-9]*: \([^ ]*\) .*\*\*\*Skipped.*/\1/p' "$1"); do
  case "$allowed" in
    *" $name "*) echo "skipped, as this machine lacks its hardware: $name" ;;
    *) echo "skipped, which the installed packages should not cause: $name" && bad=1 ;;
  esac
done
exit "$bad"
