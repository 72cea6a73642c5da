/* SPDX-License-Identifier: LGPL-2.1-or-later */
// source-synthetic's substreams: `synthetic://N/sub` is camera N at half the options' size (a
// config's camera shares its options with its substream), the same picture as the main's, and a
// URL with anything else after the number is refused.
#include <gtest/gtest.h>

#include <cmath>

#include "media_support.h"

using namespace media_test;

namespace {

// The first picture of `url` with the 1280x720 options the default wall gives its cameras.
Picture first_picture_of(const std::string &url) {
  Source source("source-synthetic", url,
                {{"realtime", "0"}, {"seconds", "1"}, {"width", "1280"}, {"height", "720"}});
  EXPECT_EQ(source.open_error(), 0) << source.open_message();
  Decoder decoder(VALKKA_CODEC_H264);
  EXPECT_EQ(decoder.open_error(), 0) << valkka_last_error();
  for (int i = 0; i < 2 && source.open_error() == 0; i++) {  // CONFIG, then the keyframe
    EXPECT_EQ(source.read(), 0) << valkka_last_error();
    EXPECT_EQ(decoder.send(source.frame()), 0) << valkka_last_error();
  }
  EXPECT_EQ(decoder.drain(), VALKKA_EOS);
  return decoder.pictures().empty() ? Picture{} : decoder.pictures()[0];
}

}  // namespace

TEST(MediaSyntheticSub, TheSubstreamIsTheSamePictureAtHalfTheSize) {
  const Picture main = first_picture_of("synthetic://1"),
                sub = first_picture_of("synthetic://1/sub");
  EXPECT_EQ(main.width, 1280u);
  EXPECT_EQ(main.height, 720u);
  EXPECT_EQ(sub.width, 640u);
  EXPECT_EQ(sub.height, 360u);
  const Picture other = first_picture_of("synthetic://2/sub");
  const auto distance = [](const Picture &p, const Picture &q) {
    return std::sqrt((p.mean_y - q.mean_y) * (p.mean_y - q.mean_y) +
                     (p.mean_u - q.mean_u) * (p.mean_u - q.mean_u) +
                     (p.mean_v - q.mean_v) * (p.mean_v - q.mean_v));
  };
  EXPECT_LT(distance(main, sub), 5.0) << "camera 1's substream does not look like camera 1";
  EXPECT_GT(distance(sub, other), 10.0) << "cameras 1 and 2's substreams look alike";
}

TEST(MediaSyntheticSub, RefusesAnythingElseAfterTheNumber) {
  for (const char *url : {"synthetic://1/main", "synthetic://1/sub/", "synthetic://1sub"}) {
    Source source("source-synthetic", url, {});
    EXPECT_EQ(source.open_error(), VALKKA_EINVAL) << url;
    EXPECT_NE(source.open_message().find("then nothing or /sub"), std::string::npos)
        << source.open_message();
  }
}
