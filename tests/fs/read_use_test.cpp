/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Reading one use of a block (valkka_fs_read_block_use): a reader that learned of a block from a
// table copy (the manager's loader) must not get a later use's records under its name. And a block
// being written read on from where the last read ended (valkka_fs_read_block_from): only the new
// records, which with the earlier ones are the whole use's.
#include <vector>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;

// Reads use `use` of `block`, counting the frames delivered into *frames.
int read_use_probe(valkka_fs_t *fs, uint32_t block, uint64_t use, int *frames) {
  *frames = 0;
  return valkka_fs_read_block_use(
      fs, block, use,
      [](void *user, const valkka_frame_t *) {
        ++*static_cast<int *>(user);
        return 0;
      },
      frames);
}

TEST(FsReadUse, AReusedBlockIsNotReadAsItsOldUse) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  uint64_t k = 0;
  auto append_until = [&](uint64_t seq) {
    for (; info_of(fs).current_seq < seq; k++) {
      auto data = payload(1, k, 1000);
      valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + (int64_t)k, k % 25 == 0, data);
      ASSERT_EQ(valkka_fs_append(fs, 1, &f), 0) << valkka_last_error();
    }
  };
  append_until(2);  // block 0 holds use 1, finished
  int frames = 0;
  const int in_use_1 = read_use_probe(fs, 0, 1, &frames);
  EXPECT_GT(in_use_1, 0);
  EXPECT_EQ(frames, in_use_1);
  append_until(5);  // round the FS: block 0 now holds use 5
  EXPECT_EQ(read_use_probe(fs, 0, 1, &frames), VALKKA_ENOENT);
  EXPECT_EQ(frames, 0) << "nothing of the new use is delivered as the old one";
  EXPECT_GT(read_use_probe(fs, 0, 5, &frames), 0);
  EXPECT_GT(read_use_probe(fs, 0, 0, &frames), 0) << "0: whichever use the block holds";
  valkka_fs_close(fs);
}

// The mstimes a read delivers, appended to *out.
int read_from(valkka_fs_t *fs, uint32_t block, uint64_t use, uint32_t *offset,
              std::vector<int64_t> *out) {
  return valkka_fs_read_block_from(
      fs, block, use, offset,
      [](void *user, const valkka_frame_t *f) {
        static_cast<std::vector<int64_t> *>(user)->push_back(f->mstime);
        return 0;
      },
      out);
}

TEST(FsReadUse, AGrowingBlockIsReadOnFromWhereTheLastReadEnded) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 20, 4), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  uint64_t k = 0;
  auto append = [&](int n) {
    for (int i = 0; i < n; i++, k++) {
      auto data = payload(1, k, 1000);
      valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + (int64_t)k, k % 25 == 0, data);
      ASSERT_EQ(valkka_fs_append(fs, 1, &f), 0) << valkka_last_error();
    }
  };
  append(30);
  const uint64_t use = info_of(fs).current_seq;
  std::vector<int64_t> pieces, whole;
  uint32_t offset = 0;
  const int first = read_from(fs, 0, use, &offset, &pieces);
  EXPECT_EQ(first, 30);
  EXPECT_GT(offset, 64u);
  const uint32_t after_first = offset;
  EXPECT_EQ(read_from(fs, 0, use, &offset, &pieces), 0) << "nothing new: nothing read";
  EXPECT_EQ(offset, after_first);
  append(20);
  EXPECT_EQ(read_from(fs, 0, use, &offset, &pieces), 20) << "only the records added since";
  EXPECT_GT(offset, after_first);
  uint32_t from_start = 0;
  EXPECT_EQ(read_from(fs, 0, use, &from_start, &whole), 50);
  EXPECT_EQ(pieces, whole) << "the pieces are the whole use, in order, once";
  EXPECT_EQ(from_start, offset);
  // An offset not of this use (past its end) reads it whole.
  uint32_t wrong = 1 << 19;
  std::vector<int64_t> again;
  EXPECT_EQ(read_from(fs, 0, use, &wrong, &again), 50);
  EXPECT_EQ(again, whole);
  EXPECT_EQ(info_of(fs).bad_records, 0u);
  valkka_fs_close(fs);
}

}  // namespace
