/* SPDX-License-Identifier: LGPL-2.1-or-later */
// codec-ffmpeg and DECODE_ONLY frames: their pictures keep what the frame says of itself and the
// picture's shape (the planes may be left unwritten, plugin.h), and the picture shown after them
// is the one decoding everything gives.
#include <gtest/gtest.h>

#include <vector>

#include "media_support.h"

using namespace media_test;

namespace {

// A frame read from a source, its payload copied.
struct Stored {
  valkka_frame_t frame;
  std::vector<uint8_t> data;
};

std::vector<Stored> read_gop(int frames) {
  Source source("source-synthetic", "synthetic://5",
                {{"realtime", "0"}, {"seconds", "2"}, {"width", "320"}, {"height", "180"}});
  EXPECT_EQ(source.open_error(), 0) << source.open_message();
  std::vector<Stored> out;
  for (int i = 0; i < frames + 1 && source.open_error() == 0; i++) {  // CONFIG first
    EXPECT_EQ(source.read(), 0) << valkka_last_error();
    Stored s{source.frame(), {source.frame().data, source.frame().data + source.frame().size}};
    out.push_back(std::move(s));
  }
  for (Stored &s : out) s.frame.data = s.data.data();
  return out;
}

// Decodes the frames, all but the last DECODE_ONLY when `hide`.
std::vector<Picture> decode(const std::vector<Stored> &frames, bool hide) {
  Decoder decoder(VALKKA_CODEC_H264);
  EXPECT_EQ(decoder.open_error(), 0) << valkka_last_error();
  for (size_t i = 0; i < frames.size(); i++) {
    valkka_frame_t f = frames[i].frame;
    if (hide && f.kind == VALKKA_FRAME_ENCODED && i + 1 < frames.size())
      f.flags |= VALKKA_FRAME_DECODE_ONLY;
    EXPECT_EQ(decoder.send(f), 0) << valkka_last_error();
  }
  EXPECT_EQ(decoder.drain(), VALKKA_EOS);
  return decoder.pictures();
}

}  // namespace

TEST(MediaDecodeOnly, PicturesKeepTheirFramesMetadataAndTheShownOneIsExact) {
  const std::vector<Stored> frames = read_gop(20);
  ASSERT_EQ(frames.size(), 21u);
  const std::vector<Picture> all = decode(frames, false);
  const std::vector<Picture> hidden = decode(frames, true);
  ASSERT_EQ(all.size(), 20u);
  ASSERT_EQ(hidden.size(), all.size());
  for (size_t i = 0; i < all.size(); i++) {
    SCOPED_TRACE(i);
    EXPECT_EQ(hidden[i].width, 320u);
    EXPECT_EQ(hidden[i].height, 180u);
    EXPECT_EQ(hidden[i].pixfmt, all[i].pixfmt);
    EXPECT_EQ(hidden[i].mstime, all[i].mstime);
    EXPECT_EQ(hidden[i].slot, all[i].slot);
    EXPECT_EQ(hidden[i].flags, all[i].flags | (i + 1 < all.size() ? VALKKA_FRAME_DECODE_ONLY : 0));
    EXPECT_EQ(hidden[i].color_range, all[i].color_range);
  }
  // The last picture, decoded after 19 hidden ones, is the picture decoding all of them shows.
  EXPECT_DOUBLE_EQ(hidden.back().mean_y, all.back().mean_y);
  EXPECT_DOUBLE_EQ(hidden.back().mean_u, all.back().mean_u);
  EXPECT_DOUBLE_EQ(hidden.back().mean_v, all.back().mean_v);
  EXPECT_NE(all.back().mean_y, all.front().mean_y);  // the pictures do change over the GOP
}
