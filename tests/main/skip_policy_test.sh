#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The skip policy end to end: a GoogleTest suite that skips (skip_always, through the suites' own
# main) is reported by ctest as skipped, not passed; ci/check-skips.sh fails on that skip unless
# VALKKA_ALLOWED_SKIPS names the suite, and passes a run without skips.
# Usage: skip_policy_test.sh SKIP_ALWAYS_BINARY CHECK_SKIPS_SCRIPT SKIP_RETURN_CODE
set -euo pipefail
binary=$1 checker=$2 code=$3
check_skips() { "$checker" "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A ctest project needs no configure: ctest reads CTestTestfile.cmake as it is.
run_ctest() {
  mkdir -p "$work/$1"
  printf '%s\n' "$2" > "$work/$1/CTestTestfile.cmake"
  (cd "$work/$1" && ctest --output-on-failure) > "$work/$1/out.txt" 2>&1 || true
}
run_ctest skipping "add_test(encoder_probe \"$binary\")
set_tests_properties(encoder_probe PROPERTIES SKIP_RETURN_CODE $code)"
run_ctest passing "add_test(plain_pass \"$binary\" --gtest_filter=SkipPolicy.PassesBesideTheSkip)
set_tests_properties(plain_pass PROPERTIES SKIP_RETURN_CODE $code)"

fail() { echo "skip_policy_test: $*"; cat "$work/skipping/out.txt"; exit 1; }
grep -q 'encoder_probe .*\*\*\*Skipped' "$work/skipping/out.txt" || fail "ctest did not report the skip"
grep -q 'plain_pass .*Passed' "$work/passing/out.txt" || fail "the passing suite did not pass"
if VALKKA_ALLOWED_SKIPS=rtsp_vaapi check_skips "$work/skipping/out.txt" > "$work/said.txt"; then
  fail "check_skips passed a skip it does not allow"
fi
grep -q 'should not cause: encoder_probe' "$work/said.txt" || fail "check_skips did not name it"
VALKKA_ALLOWED_SKIPS="rtsp_vaapi encoder_probe" check_skips "$work/skipping/out.txt" > /dev/null ||
  fail "check_skips failed a skip it allows"
check_skips "$work/passing/out.txt" > /dev/null || fail "check_skips failed a run without skips"
echo "skip policy: a skip is reported as one, and refused unless allowed"
