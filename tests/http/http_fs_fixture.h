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

  // The FS read through `remote` is the local one: info, table, stream names, every frame.
  static void expect_same_as_local(valkka_fs_t *remote) {
    valkka_fs_t *local = open_fs(dir_, VALKKA_FS_READONLY);
    ASSERT_NE(local, nullptr) << valkka_last_error();

    valkka_fs_info_t ri = info_of(remote), li = info_of(local);
    EXPECT_STREQ(ri.uuid, li.uuid);
    EXPECT_EQ(ri.n_blocks, li.n_blocks);
    EXPECT_EQ(ri.blocks_used, li.blocks_used);
    EXPECT_EQ(ri.current_seq, li.current_seq);
    EXPECT_EQ(ri.first_ms, li.first_ms);
    EXPECT_EQ(ri.last_ms, li.last_ms);
    EXPECT_GE(li.blocks_used, 9u);

    auto rt = read_table(remote), lt = read_table(local);
    ASSERT_EQ(rt.size(), lt.size());
    for (size_t i = 0; i < rt.size(); i++) {
      EXPECT_EQ(rt[i].seq, lt[i].seq) << i;
      EXPECT_EQ(rt[i].flags, lt[i].flags) << i;
      EXPECT_EQ(rt[i].frames, lt[i].frames) << i;
      EXPECT_EQ(rt[i].bytes_used, lt[i].bytes_used) << i;
      EXPECT_EQ(rt[i].min_ms, lt[i].min_ms) << i;
      EXPECT_EQ(rt[i].max_ms, lt[i].max_ms) << i;
    }
    valkka_fs_stream_info_t rs[4]{}, ls[4]{};
    rs[0].struct_size = ls[0].struct_size = sizeof rs[0];
    ASSERT_EQ(valkka_fs_get_streams(remote, rs, 4), 2);
    ASSERT_EQ(valkka_fs_get_streams(local, ls, 4), 2);
    EXPECT_STREQ(rs[0].name, "front");
    EXPECT_STREQ(rs[1].name, "back");

    size_t frames = 0;
    for (uint32_t b = 0; b < li.n_blocks; b++) {
      auto r = frames_of(remote, b), l = frames_of(local, b);
      ASSERT_EQ(r.size(), l.size()) << "block " << b;
      for (size_t i = 0; i < r.size(); i++) EXPECT_TRUE(same(r[i], l[i])) << b << "/" << i;
      frames += r.size();
    }
    EXPECT_GT(frames, 250u);
    EXPECT_EQ(info_of(remote).bad_records, 0u);
    valkka_fs_close(local);
  }

  static inline TempDir *tmp_ = nullptr;
  static inline std::string dir_;
};

}  // namespace httptest
