/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The FS the storage-http tests serve (two named streams over 10 of 16 blocks, a status.json
// beside it), made once per suite, and the reads they compare it by.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "../fs/fs_test_util.h"

namespace httptest {

using namespace fstest;

inline const int64_t T0 = 1700000000000;

inline bool same(const Got &a, const Got &b) {
  return a.kind == b.kind && a.stream_id == b.stream_id && a.flags == b.flags &&
         a.mstime == b.mstime && a.data == b.data;
}

// An FS of two named streams over 10 of its 16 blocks, and a status.json beside it.
class HttpStorage : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    dir_ = tmp_->sub("fs");
    ASSERT_EQ(create_fs(dir_, VALKKA_FS_MULTI, 65536, 16), 0) << valkka_last_error();
    valkka_fs_t *fs = open_fs(dir_);
    ASSERT_NE(fs, nullptr) << valkka_last_error();
    ASSERT_EQ(valkka_fs_name_stream(fs, 1, "front", 0), 0) << valkka_last_error();
    ASSERT_EQ(valkka_fs_name_stream(fs, 2, "back", 0), 0) << valkka_last_error();
    for (uint64_t k = 0; info_of(fs).current_seq < 10; k++) {
      for (uint32_t s = 1; s <= 2; s++) {
        auto data = payload(s, k, 1000 + (uint32_t)(k % 7) * 300);
        valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + (int64_t)k * 40, k % 25 == 0, data);
        ASSERT_EQ(valkka_fs_append(fs, s, &f), 0) << valkka_last_error();
      }
    }
    valkka_fs_close(fs);
    write_status("{\"state\": \"recording\"}\n");
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static void write_status(const std::string &text) {
    FILE *f = fopen((dir_ + "/status.json").c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text.c_str(), f);
    fclose(f);
  }

  // valkka_fs_open of `url` with storage-http's `options`; nullptr with *err set on failure.
  static valkka_fs_t *open_url(const std::string &url, int *err,
                               const std::vector<valkka_option_t> &options = {}) {
    valkka_fs_open_params_t p{};
    p.struct_size = sizeof p;
    p.options = options.empty() ? nullptr : options.data();
    p.n_options = options.size();
    valkka_fs_t *fs = nullptr;
    *err = valkka_fs_open(url.c_str(), &p, &fs);
    return *err ? nullptr : fs;
  }

  static std::vector<Got> frames_of(valkka_fs_t *fs, uint32_t block, int *rc = nullptr) {
    std::vector<Got> got;
    int r = valkka_fs_read_block(fs, block, collect, &got);
    if (rc) *rc = r;
    return got;
  }

  // Every frame of the local FS, block by block.
  static std::vector<std::vector<Got>> local_frames() {
    valkka_fs_t *fs = open_fs(dir_, VALKKA_FS_READONLY);
    EXPECT_NE(fs, nullptr) << valkka_last_error();
    std::vector<std::vector<Got>> all;
    for (uint32_t b = 0; fs && b < 16; b++) all.push_back(frames_of(fs, b));
    valkka_fs_close(fs);
    return all;
  }

  static inline TempDir *tmp_ = nullptr;
  static inline std::string dir_;
};

}  // namespace httptest
