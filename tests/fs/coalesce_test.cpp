/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The writer thread gathers records into one write per segment or per 50 ms (FORMAT.md,
// "Writing" 3-4): nothing claims a frame before its bytes are in the file. Each check reads
// through a second, read-only open of the directory, which sees only what reached the file.
#include <chrono>
#include <map>
#include <thread>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;
// How long a condition the writer brings about within 50 ms may take on a loaded machine.
constexpr auto kBound = std::chrono::seconds(20);

// Every frame `fs` reads, blocks in write order.
std::vector<Got> read_all(valkka_fs_t *fs) {
  std::vector<valkka_fs_block_t> table = read_table(fs);
  std::map<uint64_t, uint32_t> by_seq;
  for (const auto &b : table)
    if (!(b.flags & VALKKA_FS_BLOCK_VOID)) by_seq[b.seq] = b.index;
  std::vector<Got> got;
  for (const auto &[seq, index] : by_seq)
    EXPECT_GE(valkka_fs_read_block(fs, index, collect, &got), 0) << valkka_last_error();
  return got;
}

// The frames another open of `dir` reads now.
std::vector<Got> read_elsewhere(const std::string &dir) {
  valkka_fs_t *ro = open_fs(dir, VALKKA_FS_READONLY);
  EXPECT_NE(ro, nullptr) << valkka_last_error();
  if (!ro) return {};
  std::vector<Got> got = read_all(ro);
  EXPECT_EQ(info_of(ro).bad_records, 0u);
  valkka_fs_close(ro);
  return got;
}

valkka_fs_stream_stats_t stats_of(valkka_fs_t *fs, uint32_t stream) {
  valkka_fs_stream_stats_t s{};
  s.struct_size = sizeof s;
  EXPECT_EQ(valkka_fs_get_stream_stats(fs, stream, &s), 0) << valkka_last_error();
  return s;
}

// Frame k of the tests below: stream 1 or 2 by turns, sizes from 200 bytes to `largest`.
uint32_t stream_of(int k) { return 1 + (uint32_t)(k % 2); }
uint32_t size_of(int k, uint32_t largest) { return 200 + (uint32_t)(k * 7919u % (largest - 200)); }

// A fresh MultiFS in `dir`, opened for writing (sync interval `sync_ms`, 0: the default).
valkka_fs_t *fresh_fs(const std::string &dir, uint32_t block_size, uint32_t n_blocks,
                      uint32_t sync_ms = 0) {
  EXPECT_EQ(create_fs(dir, VALKKA_FS_MULTI, block_size, n_blocks), 0) << valkka_last_error();
  valkka_fs_open_params_t op{};
  op.struct_size = sizeof op;
  op.sync_interval_ms = sync_ms;
  valkka_fs_t *fs = nullptr;
  EXPECT_EQ(valkka_fs_open(dir.c_str(), &op, &fs), 0) << valkka_last_error();
  return fs;
}

// Frames the table of `fs` says its blocks hold.
uint64_t claimed(valkka_fs_t *fs) {
  uint64_t n = 0;
  for (const auto &b : read_table(fs))
    if (!(b.flags & VALKKA_FS_BLOCK_VOID)) n += b.frames;
  return n;
}

void writer_start(valkka_fs_t *fs) {
  valkka_fs_writer_params_t wp{};
  wp.struct_size = sizeof wp;
  wp.queue_length = 4096;
  ASSERT_EQ(valkka_fs_writer_start(fs, &wp), 0) << valkka_last_error();
}

// Sinks `n` frames, stops the writer: a read-only open reads every one of them, in order.
void stop_writes_everything(uint32_t block_size, int n, uint32_t largest) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  valkka_fs_t *fs = fresh_fs(dir, block_size, 64);
  ASSERT_NE(fs, nullptr);
  ASSERT_EQ(valkka_fs_map(fs, 0, 1), 0);
  ASSERT_EQ(valkka_fs_map(fs, 1, 2), 0);
  writer_start(fs);
  for (int k = 0; k < n; k++) {
    auto data = payload(stream_of(k), k, size_of(k, largest));
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + k, k % 25 < 2, data, stream_of(k) - 1);
    ASSERT_EQ(valkka_fs_sink(fs, &f), 0) << "frame " << k;
  }
  ASSERT_EQ(valkka_fs_writer_stop(fs), 0);
  EXPECT_EQ(stats_of(fs, 1).frames + stats_of(fs, 2).frames, (uint64_t)n);
  // The writing open is still open: only the file can have told the other one.
  std::vector<Got> got = read_elsewhere(dir);
  ASSERT_EQ(got.size(), (size_t)n);
  for (int k = 0; k < n; k++) {
    EXPECT_EQ(got[k].stream_id, stream_of(k)) << "frame " << k;
    EXPECT_EQ(got[k].mstime, T0 + k) << "frame " << k;
    EXPECT_EQ(got[k].data, payload(stream_of(k), k, size_of(k, largest))) << "frame " << k;
  }
  EXPECT_GT(info_of(fs).current_seq, 2u) << "the frames should have filled several blocks";
  valkka_fs_close(fs);
}

// Blocks of 64 KiB: segments of a quarter block, and a write at each block switch.
TEST(FsCoalesce, WriterStopLeavesEveryQueuedFrameInTheFileSmallBlocks) {
  stop_writes_everything(65536, 400, 3000);
}

// Blocks of 1 MiB: several writes of a segment (256 KiB) each per block.
TEST(FsCoalesce, WriterStopLeavesEveryQueuedFrameInTheFileLargeBlocks) {
  stop_writes_everything(1u << 20, 700, 9000);
}

// Frames go in a few at a time; as soon as the writing open's table claims them, its own read of
// the block must find them, and as soon as the counters say they are accepted, another open of
// the directory must read them. The sync interval is far away, so only the 50 ms bound
// writes them.
TEST(FsCoalesce, AFrameIsAcceptedOnlyOnceAnotherOpenReadsIt) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  valkka_fs_t *fs = fresh_fs(dir, 1u << 20, 8, 600000);
  ASSERT_NE(fs, nullptr);
  ASSERT_EQ(valkka_fs_map(fs, 0, 1), 0);
  writer_start(fs);
  uint64_t sunk = 0;
  for (int round = 0; round < 12; round++) {
    for (int i = 0; i <= round % 4; i++, sunk++) {
      auto data = payload(1, sunk, 1000 + (uint32_t)sunk);
      valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + (int64_t)sunk, sunk % 10 == 0, data);
      ASSERT_EQ(valkka_fs_sink(fs, &f), 0);
    }
    // The writing open's table claims written records only: as soon as it claims the frames,
    // its own read of the block finds each record the entry names.
    auto until = std::chrono::steady_clock::now() + kBound;
    while (claimed(fs) < sunk && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    const valkka_fs_block_t cur = read_table(fs)[info_of(fs).current_block];
    std::vector<Got> here;
    EXPECT_EQ(valkka_fs_read_block(fs, cur.index, collect, &here), (int)cur.records)
        << "round " << round << ": the table claimed records not in the file";
    EXPECT_EQ(info_of(fs).bad_records, 0u) << "round " << round;
    until = std::chrono::steady_clock::now() + kBound;
    while (stats_of(fs, 1).frames < sunk && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    ASSERT_EQ(stats_of(fs, 1).frames, sunk) << "round " << round << ": never written";
    std::vector<Got> elsewhere = read_elsewhere(dir);
    ASSERT_EQ(elsewhere.size(), sunk) << "round " << round << ": counted before it was written";
    EXPECT_EQ(elsewhere.back().data, payload(1, sunk - 1, 1000 + (uint32_t)(sunk - 1)));
  }
  valkka_fs_close(fs);
}

// The sink's contract: once frames + too_big + errors reach n, the first n frames were handled,
// and those accepted are written. A refused frame behind a buffered one must not make the sum
// run ahead of the file.
TEST(FsCoalesce, ARefusedFrameIsCountedBehindTheBufferedOnes) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  valkka_fs_t *fs = fresh_fs(dir, 65536, 8);
  ASSERT_NE(fs, nullptr);
  ASSERT_EQ(valkka_fs_map(fs, 0, 1), 0);
  writer_start(fs);
  for (int round = 0; round < 6; round++) {
    auto good = payload(1, round, 500);
    auto huge = payload(1, 1000 + round, 70000); /* more than a 64 KiB block holds */
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + round, true, good);
    valkka_frame_t g = frame_of(VALKKA_FRAME_ENCODED, T0 + round, false, huge);
    ASSERT_EQ(valkka_fs_sink(fs, &f), 0);
    ASSERT_EQ(valkka_fs_sink(fs, &g), 0);
    const uint64_t handled = 2u * round + 1;  // the good frame of this round and all before
    const auto until = std::chrono::steady_clock::now() + kBound;
    valkka_fs_stream_stats_t s = stats_of(fs, 1);
    while (s.frames + s.too_big + s.errors < handled && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      s = stats_of(fs, 1);
    }
    ASSERT_GE(s.frames + s.too_big + s.errors, handled) << "round " << round;
    EXPECT_EQ(read_elsewhere(dir).size(), (size_t)round + 1) << "round " << round;
  }
  ASSERT_EQ(valkka_fs_writer_stop(fs), 0);
  EXPECT_EQ(stats_of(fs, 1).too_big, 6u);
  valkka_fs_close(fs);
}

// valkka_fs_append writes through: each frame is in the file when the call returns.
TEST(FsCoalesce, AppendIsWrittenThroughOnReturn) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  valkka_fs_t *fs = fresh_fs(dir, 1u << 20, 8);
  ASSERT_NE(fs, nullptr);
  for (int k = 0; k < 5; k++) {
    auto data = payload(7, k, 3000);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + k, k == 0, data);
    ASSERT_EQ(valkka_fs_append(fs, 7, &f), 0) << valkka_last_error();
    EXPECT_EQ(stats_of(fs, 7).frames, (uint64_t)k + 1);
    std::vector<Got> got = read_elsewhere(dir);
    ASSERT_EQ(got.size(), (size_t)k + 1) << "frame " << k << " was not in the file on return";
    EXPECT_EQ(got.back().data, data);
  }
  valkka_fs_close(fs);
}

// A record larger than a segment (a quarter of a 64 KiB block) as the first one a writer makes:
// at once after an open that resumes inside a block, then after a block switch.
TEST(FsCoalesce, ARecordLargerThanASegmentComesWholeAfterReopen) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  valkka_fs_t *fs = fresh_fs(dir, 65536, 8);
  ASSERT_NE(fs, nullptr);
  auto small = payload(3, 0, 100);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0, true, small);
  ASSERT_EQ(valkka_fs_append(fs, 3, &f), 0) << valkka_last_error();
  valkka_fs_close(fs);
  ASSERT_NE(fs = open_fs(dir), nullptr) << valkka_last_error();
  for (int k = 1; k <= 4; k++) {
    auto big = payload(3, k, 40000);
    valkka_frame_t g = frame_of(VALKKA_FRAME_ENCODED, T0 + k, false, big);
    ASSERT_EQ(valkka_fs_append(fs, 3, &g), 0) << valkka_last_error();
  }
  std::vector<Got> got = read_elsewhere(dir);
  ASSERT_EQ(got.size(), 5u);
  for (int k = 1; k <= 4; k++) EXPECT_EQ(got[k].data, payload(3, k, 40000)) << "frame " << k;
  valkka_fs_close(fs);
}

}  // namespace
