/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A suite that skips, as one does on a machine without an encoder or a device: built but never
// run by the suites themselves; tests/main/skip_policy_test.sh runs it under ctest to check that
// the skip reaches ctest as a skip and that ci/test.sh's check_skips fails on it.
#include <gtest/gtest.h>

TEST(SkipPolicy, PassesBesideTheSkip) { SUCCEED(); }

TEST(SkipPolicy, SkipsAsAMissingEncoderWould) { GTEST_SKIP() << "no such encoder here"; }
