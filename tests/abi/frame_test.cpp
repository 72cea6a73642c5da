/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Frames: payloads, growth, picture layouts and deep copies.
#include <gtest/gtest.h>

#include <cstring>

#include <valkka/valkka.h>

TEST(Frame, PayloadGrowsAndKeepsBytes) {
  valkka_frame_t *f = valkka_frame_new(4);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->struct_size, sizeof(valkka_frame_t));
  const char text[] = "0123456789";
  ASSERT_EQ(valkka_frame_set_payload(f, text, sizeof text), 0);
  EXPECT_GE(f->capacity, sizeof text);
  EXPECT_EQ(std::memcmp(f->data, text, sizeof text), 0);
  ASSERT_EQ(valkka_frame_reserve(f, 1000), 0);
  EXPECT_EQ(std::memcmp(f->data, text, sizeof text), 0);
  EXPECT_EQ(valkka_frame_set_payload(f, nullptr, 3), VALKKA_EINVAL);
  valkka_frame_free(f);
  valkka_frame_free(nullptr);
}

TEST(Frame, PictureLayouts) {
  valkka_frame_t *f = valkka_frame_new(0);
  ASSERT_EQ(valkka_frame_set_picture(f, 641, 361, VALKKA_PIXFMT_YUV420P), 0);
  EXPECT_EQ(f->kind, uint32_t(VALKKA_FRAME_DECODED));
  EXPECT_EQ(f->n_planes, 3u);
  EXPECT_EQ(f->strides[0], 641);
  EXPECT_EQ(f->strides[1], 321);
  EXPECT_EQ(f->size, 641u * 361 + 2u * 321 * 181);
  EXPECT_EQ(f->planes[1], f->planes[0] + 641 * 361);
  ASSERT_EQ(valkka_frame_set_picture(f, 640, 360, VALKKA_PIXFMT_NV12), 0);
  EXPECT_EQ(f->n_planes, 2u);
  EXPECT_EQ(f->strides[1], 640);
  EXPECT_EQ(f->planes[2], nullptr);
  EXPECT_EQ(valkka_frame_set_picture(f, 0, 360, VALKKA_PIXFMT_NV12), VALKKA_EINVAL);
  EXPECT_EQ(valkka_frame_set_picture(f, 64, 64, static_cast<valkka_pixfmt_t>(9)), VALKKA_EINVAL);
  valkka_frame_free(f);
}

TEST(Frame, CopyRebasesPlanes) {
  valkka_frame_t *a = valkka_frame_new(0), *b = valkka_frame_new(0);
  ASSERT_EQ(valkka_frame_set_picture(a, 32, 16, VALKKA_PIXFMT_YUV420P), 0);
  for (uint32_t i = 0; i < a->size; i++) a->data[i] = uint8_t(i * 7);
  a->mstime = 1234;
  a->slot = 5;
  ASSERT_EQ(valkka_frame_copy(b, a), 0);
  EXPECT_EQ(b->mstime, 1234);
  EXPECT_EQ(b->slot, 5u);
  EXPECT_NE(b->data, a->data);
  for (int p = 0; p < 3; p++) EXPECT_EQ(b->planes[p] - b->data, a->planes[p] - a->data);
  EXPECT_EQ(std::memcmp(a->data, b->data, a->size), 0);
  valkka_frame_free(a);
  valkka_frame_free(b);
}

TEST(Frame, CodecNames) {
  EXPECT_STREQ(valkka_codec_name(VALKKA_CODEC_H264), "H264");
  EXPECT_STREQ(valkka_codec_name(VALKKA_CODEC_H265), "H265");
  EXPECT_STREQ(valkka_codec_name(static_cast<valkka_codec_t>(77)), "none");
}
