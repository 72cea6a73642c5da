/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Logging: levels, the callback, and parsing of VALKKA_LOG values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <valkka/valkka.h>

namespace {
struct Captured {
  std::vector<std::string> lines;
};
void capture(void *user, valkka_log_level_t level, const char *module, const char *message) {
  static_cast<Captured *>(user)->lines.push_back(std::to_string(level) + " " + module + " " +
                                                 message);
}
}  // namespace

TEST(Log, CallbackReceivesMessagesAtOrAboveTheLevel) {
  Captured got;
  valkka_log_set_callback(capture, &got);
  ASSERT_EQ(valkka_log_set_level(VALKKA_LOG_INFO), 0);
  valkka_log(VALKKA_LOG_DEBUG, "test", "hidden %d", 1);
  valkka_log(VALKKA_LOG_INFO, "test", "shown %d", 2);
  valkka_log(VALKKA_LOG_ERROR, nullptr, "no module");
  valkka_log_set_callback(nullptr, nullptr);
  valkka_log_set_level(VALKKA_LOG_WARN);
  ASSERT_EQ(got.lines.size(), 2u);
  EXPECT_EQ(got.lines[0], "1 test shown 2");
  EXPECT_EQ(got.lines[1], "3 valkka no module");
}

TEST(Log, ParsesLevelNames) {
  valkka_log_level_t level;
  EXPECT_EQ(valkka_log_level_parse("debug", &level), 0);
  EXPECT_EQ(level, VALKKA_LOG_DEBUG);
  EXPECT_EQ(valkka_log_level_parse("WARN", &level), 0);
  EXPECT_EQ(level, VALKKA_LOG_WARN);
  EXPECT_EQ(valkka_log_level_parse("loud", &level), VALKKA_EINVAL);
  EXPECT_NE(std::string(valkka_last_error()).find("loud"), std::string::npos);
  EXPECT_EQ(valkka_log_set_level(static_cast<valkka_log_level_t>(42)), VALKKA_EINVAL);
}
