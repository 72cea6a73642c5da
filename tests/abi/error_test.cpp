/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Error codes: one table gives names and texts; the detailed message is per thread.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>

#include <valkka/valkka.h>

TEST(Error, EveryCodeHasItsOwnNameAndText) {
  std::set<std::string> names, texts;
  int n = 0;
#define CHECK_ONE(name, value, text)                             \
  EXPECT_STREQ(valkka_strerror(VALKKA_##name), text);            \
  EXPECT_STREQ(valkka_err_name(VALKKA_##name), "VALKKA_" #name); \
  EXPECT_LT(VALKKA_##name, 0);                                   \
  names.insert(valkka_err_name(value));                          \
  texts.insert(valkka_strerror(value));                          \
  n++;
  VALKKA_ERROR_TABLE(CHECK_ONE)
#undef CHECK_ONE
  EXPECT_EQ(names.size(), size_t(n));
  EXPECT_EQ(texts.size(), size_t(n));
  EXPECT_STREQ(valkka_strerror(0), "success");
  EXPECT_STREQ(valkka_strerror(-9999), "unknown error");
  EXPECT_STREQ(valkka_err_name(12345), "VALKKA_EUNKNOWN");
}

TEST(Error, LastErrorIsThreadLocal) {
  EXPECT_EQ(valkka_error_set(VALKKA_EIO, "disk %d failed", 3), VALKKA_EIO);
  EXPECT_STREQ(valkka_last_error(), "disk 3 failed");
  std::string other;
  std::thread t([&] {
    other = valkka_last_error();
    valkka_error_set(VALKKA_EINVAL, "elsewhere");
  });
  t.join();
  EXPECT_EQ(other, "");
  EXPECT_STREQ(valkka_last_error(), "disk 3 failed");
  valkka_error_clear();
  EXPECT_STREQ(valkka_last_error(), "");
}

TEST(Error, MessageMayQuoteThePreviousOne) {
  valkka_error_set(VALKKA_EIO, "inner");
  valkka_error_set(VALKKA_EIO, "outer: %s", valkka_last_error());
  EXPECT_STREQ(valkka_last_error(), "outer: inner");
}

TEST(Version, MatchesHeaders) {
  EXPECT_EQ(valkka_abi_version(), VALKKA_ABI_VERSION);
  EXPECT_STREQ(valkka_version_string(), VALKKA_TEST_PROJECT_VERSION);
  EXPECT_EQ(std::string(valkka_version_string()), std::to_string(VALKKA_VERSION_MAJOR) + "." +
                                                      std::to_string(VALKKA_VERSION_MINOR) + "." +
                                                      std::to_string(VALKKA_VERSION_PATCH));
}
