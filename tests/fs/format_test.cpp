/* SPDX-License-Identifier: LGPL-2.1-or-later */
// White-box regressions of the record format and recovery found by the fuzz targets
// (tests/fuzz): blocks crafted with the core's own encoder, then scanned in memory or recovered
// from disk through the public API.
#include <fstream>

#include "fs_test_util.h"

extern "C" {
#include "fs/format.h"
#include "fs/scan.h"
#include "fs/table.h"
}

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;
const uint32_t kBlock = 65536;

// Encodes one record of use `seq` at `at` in `block`; returns the offset just past it.
uint32_t put_record(const fs_layout_t &layout, std::vector<uint8_t> &block, uint32_t at,
                    uint64_t seq, uint16_t kind, int64_t mstime, uint32_t flags, uint32_t size) {
  auto data = payload(1, (uint64_t)mstime, size);
  fs_record_t r{};
  r.stream_id = 1;
  r.seq = seq;
  r.mstime = mstime;
  r.flags = flags;
  r.codec = VALKKA_CODEC_H264;
  r.kind = kind;
  r.length = size;
  fs_record_encode(&layout, &r, data.data(), block.data() + at);
  return at + fs_record_size(size);
}

// The layout of the FS in `dir` (its uuid from valkka_fs_get_info).
bool layout_of(const std::string &dir, fs_layout_t *layout) {
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  if (!fs) return false;
  const valkka_fs_info_t info = info_of(fs);
  valkka_fs_close(fs);
  uint8_t uuid[16];
  for (int i = 0; i < 16; i++)
    uuid[i] = (uint8_t)std::stoul(std::string(info.uuid + 2 * i, 2), nullptr, 16);
  fs_layout_init(layout, uuid, info.block_size, info.n_blocks);
  return true;
}

// Writes `block` as block 0, use 1, of the FS in `dir`, as a recorder leaves it when it dies
// while the block's entry still says "being written" (void, carrying use 1).
void being_written(const std::string &dir, const std::vector<uint8_t> &block) {
  fs_entry_t entry;
  fs_entry_set_void(&entry, 1);
  uint8_t raw[FS_ENTRY_SIZE];
  fs_entry_encode(&entry, raw);
  std::fstream blocks(dir + "/blocks", std::ios::in | std::ios::out | std::ios::binary);
  blocks.write(reinterpret_cast<const char *>(block.data()), (std::streamsize)block.size());
  std::fstream table(dir + "/blocktable", std::ios::in | std::ios::out | std::ios::binary);
  table.write(reinterpret_cast<const char *>(raw), sizeof raw);
}

// Found by tests/fuzz/fuzz_records (regressions/fuzz_records/record-mstime-negative): a record
// with valid checksums and a time <= 0 counted as valid, and the entry rebuilt from its block had
// a min time <= 0, which no entry may have: recovery rebuilt it at every open and fsck called it
// bad after every repair. Such records are now invalid, like a wrong kind.
TEST(FsFormat, FrameRecordsWithoutTimeAreInvalid) {
  fs_layout_t layout;
  const uint8_t uuid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  fs_layout_init(&layout, uuid, kBlock, 4);
  std::vector<uint8_t> block(kBlock, 0);
  fs_block_header_encode(&layout, 0, 1, block.data());
  uint32_t at = FS_BLOCK_HEADER_SIZE;
  at = put_record(layout, block, at, 1, FS_KIND_CONFIG, T0, 0, 36);
  at = put_record(layout, block, at, 1, FS_KIND_ENCODED, -3805547585393186610, 0, 138);
  at = put_record(layout, block, at, 1, FS_KIND_ENCODED, 0, VALKKA_FRAME_KEYFRAME, 50);
  at = put_record(layout, block, at, 1, FS_KIND_ENCODED, T0 + 40, VALKKA_FRAME_KEYFRAME, 2016);

  fs_record_t r;
  EXPECT_FALSE(fs_record_parse(&layout, block.data() + FS_BLOCK_HEADER_SIZE + 88,
                               kBlock - FS_BLOCK_HEADER_SIZE - 88, &r));
  fs_rebuild_t rb;
  fs_block_rebuild(&layout, 0, block.data(), 0, 0, nullptr, nullptr, &rb);
  EXPECT_EQ(rb.records, 2u);
  EXPECT_EQ(rb.bad_records, 1u);  // the two records without a time: one stretch
  EXPECT_EQ(rb.entry.min_ms, T0);
  EXPECT_EQ(rb.entry.max_ms, T0 + 40);
  EXPECT_EQ(rb.end, at);
  uint8_t raw[FS_ENTRY_SIZE];
  fs_entry_encode(&rb.entry, raw);
  fs_entry_t back;
  ASSERT_EQ(fs_entry_decode(raw, kBlock, &back), 0);
  EXPECT_TRUE(fs_entry_equal(&rb.entry, &back));
}

// Found by tests/fuzz/fuzz_blocks (regressions/fuzz_blocks/torn-record-hides-records): recovery
// resumed writing over a torn record (header intact, payload not), whose length the scan had
// stepped over without looking inside. New records covered only its start; the next scan walked
// on into the rest of it and found records of the same use there, so the FS the writer left did
// not check clean. Recovery now clears the torn record before writing over it. (A block holding
// records gets no more after a restart, Writing 7: here the torn record is the block's first.)
TEST(FsFormat, RecoveryClearsATornRecordBeforeWritingOverIt) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, kBlock, 4), 0) << valkka_last_error();
  fs_layout_t layout;
  ASSERT_TRUE(layout_of(dir, &layout));

  // Block 0, use 1: a torn keyframe of 2000 bytes whose payload holds what passes for a record of
  // the same use.
  std::vector<uint8_t> block(kBlock, 0);
  fs_block_header_encode(&layout, 0, 1, block.data());
  const uint32_t torn = FS_BLOCK_HEADER_SIZE;
  const uint32_t torn_end =
      put_record(layout, block, torn, 1, FS_KIND_ENCODED, T0 + 40, VALKKA_FRAME_KEYFRAME, 2000);
  put_record(layout, block, torn + 512, 1, FS_KIND_ENCODED, T0 + 80, 0, 100);
  ASSERT_LT(torn + 512 + fs_record_size(100), torn_end);
  being_written(dir, block);

  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  auto data = payload(2, 0, 100);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + 120, false, data);
  ASSERT_EQ(valkka_fs_append(fs, 2, &f), 0) << valkka_last_error();
  valkka_fs_close(fs);

  valkka_fs_fsck_report_t r{};
  r.struct_size = sizeof r;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &r), 0) << valkka_last_error();
  fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr);
  std::vector<Got> got;
  EXPECT_EQ(valkka_fs_read_block(fs, 0, collect, &got), 1);  // the new frame alone
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].mstime, T0 + 120);
  EXPECT_EQ(got[0].data, data);
  valkka_fs_close(fs);
}

// Found by bench/fuzz-long's run of tests/fuzz/fuzz_blocks (regressions/fuzz_blocks/
// pad-records-only): a block being written that held only PAD records (what fsck --repair leaves
// of damage) under a damaged header counted as "nothing of this use reached the block", so
// writing restarted at the header, over the first PAD record; what was left of that record then
// lay before the next PAD record as damage. PAD records are the use's own: the block keeps them
// (its header rewritten), and writing goes on in the next block (Writing 7).
TEST(FsFormat, RecoveryResumesPastPadRecords) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, kBlock, 4), 0) << valkka_last_error();
  fs_layout_t layout;
  ASSERT_TRUE(layout_of(dir, &layout));
  std::vector<uint8_t> block(kBlock, 0);  // a zeroed, so damaged, header
  uint32_t at = put_record(layout, block, FS_BLOCK_HEADER_SIZE, 1, FS_KIND_PAD, 0, 0, 1000);
  put_record(layout, block, at, 1, FS_KIND_PAD, 0, 0, 16);
  being_written(dir, block);

  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  auto data = payload(2, 0, 300);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0, true, data);
  ASSERT_EQ(valkka_fs_append(fs, 2, &f), 0) << valkka_last_error();
  valkka_fs_close(fs);

  valkka_fs_fsck_report_t r{};
  r.struct_size = sizeof r;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &r), 0) << valkka_last_error();
  EXPECT_EQ(r.bad_records + r.bad_entries + r.bad_headers, 0u);
  fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr);
  valkka_fs_block_t b[4] = {};
  b[0].struct_size = sizeof b[0];
  ASSERT_EQ(valkka_fs_read_table(fs, b, 4), 4);
  EXPECT_EQ(b[0].bytes_used, 0u);  // PAD records count nowhere
  EXPECT_EQ(b[1].bytes_used, FS_BLOCK_HEADER_SIZE + fs_record_size(300));
  std::vector<Got> got;
  EXPECT_EQ(valkka_fs_read_block(fs, 0, collect, &got), 0);
  uint8_t header[FS_BLOCK_HEADER_SIZE] = {};
  uint64_t seq = 0;
  std::ifstream(dir + "/blocks", std::ios::binary).read(reinterpret_cast<char *>(header), 64);
  EXPECT_TRUE(fs_block_header_check(&layout, 0, header, &seq));  // rewritten
  EXPECT_EQ(seq, 1u);
  EXPECT_EQ(valkka_fs_read_block(fs, 1, collect, &got), 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, data);
  valkka_fs_close(fs);
}

// Found by tests/fuzz/fuzz_blocktable (regressions/fuzz_blocktable/seq-wraps): a table entry with
// a valid crc and the sequence number 2^64 - 1 made recovery resume writing under it; the next
// block got 2^64 - 1 + 1 = 0, "never written", so what was written there was lost. Sequence
// numbers of 2^63 and more are now damage, in entries, block headers and records alike.
TEST(FsFormat, SequenceNumbersStayBelowTwoToThe63) {
  fs_layout_t layout;
  const uint8_t uuid[16] = {9};
  fs_layout_init(&layout, uuid, kBlock, 4);
  for (uint64_t seq : {UINT64_C(1) << 63, UINT64_MAX}) {
    fs_entry_t e;
    fs_entry_set_void(&e, seq);
    uint8_t raw[FS_ENTRY_SIZE];
    fs_entry_encode(&e, raw);
    fs_entry_t back;
    EXPECT_EQ(fs_entry_decode(raw, kBlock, &back), VALKKA_ECORRUPT);
    std::vector<uint8_t> block(kBlock, 0);
    fs_block_header_encode(&layout, 0, seq, block.data());
    uint64_t got = 0;
    EXPECT_FALSE(fs_block_header_check(&layout, 0, block.data(), &got));
    put_record(layout, block, FS_BLOCK_HEADER_SIZE, seq, FS_KIND_ENCODED, T0, 0, 100);
    fs_record_t r;
    EXPECT_FALSE(fs_record_parse(&layout, block.data() + FS_BLOCK_HEADER_SIZE,
                                 kBlock - FS_BLOCK_HEADER_SIZE, &r));
  }

  // On disk: every frame appended after opening such a table reads back.
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, kBlock, 4), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  auto data = payload(2, 0, 20000);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0, true, data);
  ASSERT_EQ(valkka_fs_append(fs, 2, &f), 0);
  valkka_fs_close(fs);
  {
    fs_entry_t e;
    fs_entry_set_void(&e, UINT64_MAX);
    uint8_t raw[FS_ENTRY_SIZE];
    fs_entry_encode(&e, raw);
    std::fstream table(dir + "/blocktable", std::ios::in | std::ios::out | std::ios::binary);
    table.seekp(FS_ENTRY_SIZE);
    table.write(reinterpret_cast<const char *>(raw), sizeof raw);
  }
  fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_EQ(info_of(fs).entries_rebuilt, 1u);
  for (int k = 1; k <= 5; k++) {
    f.mstime = T0 + 40 * k;
    ASSERT_EQ(valkka_fs_append(fs, 2, &f), 0) << valkka_last_error();
  }
  valkka_fs_close(fs);
  valkka_fs_fsck_report_t rep{};
  rep.struct_size = sizeof rep;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &rep), 0) << valkka_last_error();
  fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr);
  std::vector<Got> got;
  for (const auto &b : read_table(fs))
    if (!(b.flags & VALKKA_FS_BLOCK_VOID)) valkka_fs_read_block(fs, b.index, collect, &got);
  ASSERT_EQ(got.size(), 6u);
  for (int k = 0; k < 6; k++) EXPECT_EQ(got[k].mstime, T0 + 40 * k);
  valkka_fs_close(fs);
}

}  // namespace
