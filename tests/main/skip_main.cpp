/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The main of the GoogleTest suites: GoogleTest's own, except that a run where a test was skipped
// (GTEST_SKIP: a codec or a device this machine lacks) and none failed exits with
// VALKKA_TEST_SKIPPED, which ctest reports as a skip (SKIP_RETURN_CODE) instead of a pass.
// ci/test.sh then fails on a skip it does not expect.
#include <gtest/gtest.h>

#ifndef VALKKA_TEST_SKIPPED
#error "VALKKA_TEST_SKIPPED: the exit code tests/CMakeLists.txt gives ctest as SKIP_RETURN_CODE"
#endif

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  if (failed) return failed;
  return ::testing::UnitTest::GetInstance()->skipped_test_count() > 0 ? VALKKA_TEST_SKIPPED : 0;
}
