/* SPDX-License-Identifier: LGPL-2.1-or-later */
// valkka_size_parse: the one reader of byte sizes ("2G", "512M") for the CLI, configs, the kiosk.
#include <gtest/gtest.h>

#include <string>

#include <valkka/valkka.h>

namespace {

TEST(SizeParse, TakesBytesAndPowersOf1024) {
  const struct {
    const char *text;
    uint64_t bytes;
  } good[] = {
      {"0", 0},
      {"1048576", 1048576},
      {"64K", 64ull << 10},
      {"64k", 64ull << 10},
      {"64KiB", 64ull << 10},
      {"1MB", 1ull << 20},
      {"512M", 512ull << 20},
      {"2G", 2ull << 30},
      {"3t", 3ull << 40},
      {"18446744073709551615", UINT64_MAX},
      {"16777215T", 16777215ull << 40},
  };
  for (const auto &g : good) {
    uint64_t bytes = 7;
    EXPECT_EQ(valkka_size_parse(g.text, &bytes), 0) << g.text << ": " << valkka_last_error();
    EXPECT_EQ(bytes, g.bytes) << g.text;
  }
}

TEST(SizeParse, RefusesWhatIsNotASize) {
  for (const char *bad : {"", "G", "-1", "+1", " 1", "1 ", "1X", "1GG", "1.5G", "1Gx", "0x10"}) {
    uint64_t bytes = 7;
    EXPECT_EQ(valkka_size_parse(bad, &bytes), VALKKA_EINVAL) << "'" << bad << "'";
    EXPECT_EQ(bytes, 7u) << bad;
    EXPECT_EQ(std::string(valkka_last_error()),
              "size '" + std::string(bad) +
                  "': expected bytes with an optional K, M, G or T suffix");
  }
  uint64_t bytes = 7;
  EXPECT_EQ(valkka_size_parse("16777216T", &bytes), VALKKA_ERANGE);
  EXPECT_EQ(valkka_size_parse("18446744073709551616", &bytes), VALKKA_ERANGE);
  EXPECT_EQ(bytes, 7u);
  EXPECT_EQ(valkka_size_parse(nullptr, &bytes), VALKKA_EINVAL);
  EXPECT_EQ(valkka_size_parse("1", nullptr), VALKKA_EINVAL);
}

}  // namespace
