/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Random byte flips in the blocktable and the blocks (seeded, several hundred trials): open and
// fsck report them, fsck --repair rebuilds, and reading skips damaged records and never returns
// a payload that was not written.
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <tuple>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;
using Key = std::tuple<uint32_t, uint32_t, int64_t>;  // stream, kind, mstime

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void spill(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

struct Base {
  std::string json, table, blocks, ranges;
  std::map<Key, std::vector<uint8_t>> written;
  size_t n_records = 0;                               // records a clean read delivers
  std::vector<std::pair<size_t, size_t>> free_space;  // [from, to) in `blocks`, past each end
};

// A small FS written past one wrap by two streams, closed cleanly.
Base make_base(const std::string &dir) {
  Base base;
  EXPECT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 8), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  EXPECT_NE(fs, nullptr);
  std::mt19937_64 rng(3);
  for (int k = 0; k < 260; k++) {
    uint32_t stream = 1 + k % 2;
    int64_t t = T0 + 33 * k;
    bool key = k % 16 < 2;
    if (key) {
      auto cfg = payload(stream, 1000000, 32);
      valkka_frame_t c = frame_of(VALKKA_FRAME_CONFIG, t, false, cfg);
      EXPECT_EQ(valkka_fs_append(fs, stream, &c), 0);
      base.written[Key{stream, VALKKA_FRAME_CONFIG, t}] = cfg;
    }
    auto data = payload(stream, k, 500 + (uint32_t)(rng() % 4000));
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, t, key, data);
    EXPECT_EQ(valkka_fs_append(fs, stream, &f), 0);
    base.written[Key{stream, VALKKA_FRAME_ENCODED, t}] = data;
  }
  for (const auto &b : read_table(fs)) {
    std::vector<Got> got;
    if (!(b.flags & VALKKA_FS_BLOCK_VOID)) valkka_fs_read_block(fs, b.index, collect, &got);
    base.n_records += got.size();
    size_t from = (size_t)b.index * 65536 + (b.bytes_used ? b.bytes_used : 0);
    size_t to = ((size_t)b.index + 1) * 65536;
    if (b.bytes_used && to - from >= 8) base.free_space.push_back({from, to});
  }
  valkka_fs_close(fs);
  base.json = slurp(dir + "/valkkafs.json");
  base.table = slurp(dir + "/blocktable");
  base.blocks = slurp(dir + "/blocks");
  base.ranges = slurp(dir + "/ranges");
  return base;
}

// Reads everything; every payload must be one that was written. Returns the records delivered.
size_t read_all_checked(valkka_fs_t *fs, const Base &base, int trial) {
  size_t n = 0;
  for (const auto &b : read_table(fs)) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    std::vector<Got> got;
    int r = valkka_fs_read_block(fs, b.index, collect, &got);
    EXPECT_GE(r, 0) << valkka_last_error();
    for (const Got &g : got) {
      auto it = base.written.find(Key{g.stream_id, g.kind, g.mstime});
      if (g.kind == VALKKA_FRAME_CONFIG && it == base.written.end()) {
        // A configuration the FS re-wrote before a keyframe carries the keyframe's time.
        EXPECT_EQ(g.data, payload(g.stream_id, 1000000, 32)) << "trial " << trial;
        n++;
        continue;
      }
      EXPECT_NE(it, base.written.end())
          << "trial " << trial << ": a record never written, at " << g.mstime;
      if (it != base.written.end()) {
        EXPECT_EQ(g.data, it->second) << "trial " << trial << ": corrupt payload delivered";
      }
    }
    n += got.size();
  }
  return n;
}

TEST(FsCorruption, RandomByteFlips) {
  TempDir tmp;
  const std::string base_dir = tmp.sub("base"), dir = tmp.sub("fs");
  Base base = make_base(base_dir);
  ASSERT_GT(base.n_records, 100u);
  ASSERT_FALSE(base.free_space.empty());
  {
    valkka_fs_fsck_report_t r{};
    r.struct_size = sizeof r;
    ASSERT_EQ(valkka_fs_fsck(base_dir.c_str(), 0, &r), 0)
        << "the base FS must be clean: " << valkka_last_error();
  }
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  std::mt19937_64 rng(20240601);
  int reported = 0, silent = 0;
  for (int trial = 0; trial < 300; trial++) {
    std::string table = base.table, blocks = base.blocks;
    const int flips = 1 + (int)(rng() % 4);
    // A third of the trials damage the table only, one in six only the free space after the
    // records of blocks (which must stay harmless and unreported), the rest the blocks anywhere.
    const int kind = (int)(rng() % 6);
    const bool in_table = kind < 2, in_free = kind == 2;
    for (int i = 0; i < flips; i++) {
      std::string &target = in_table ? table : blocks;
      size_t at = rng() % target.size();
      if (in_free) {
        auto [from, to] = base.free_space[rng() % base.free_space.size()];
        at = from + rng() % (to - from);
      }
      target[at] = (char)(target[at] ^ (uint8_t)(1 + rng() % 255));
    }
    spill(dir + "/valkkafs.json", base.json);
    spill(dir + "/blocktable", table);
    spill(dir + "/blocks", blocks);
    // A trial's repair rewrites the ranges of what it lost: each trial starts from the base's.
    spill(dir + "/ranges", base.ranges);

    valkka_fs_fsck_report_t check{};
    check.struct_size = sizeof check;
    int err = valkka_fs_fsck(dir.c_str(), 0, &check);
    ASSERT_TRUE(err == 0 || err == VALKKA_ECORRUPT) << valkka_last_error();
    EXPECT_EQ(check.blocks_checked, 8u);
    if (in_table) {
      EXPECT_GT(check.bad_entries, 0u) << "trial " << trial << ": table flip unseen";
    }
    if (in_free) {
      EXPECT_EQ(err, 0) << "trial " << trial
                        << ": a flip in free space reported: " << valkka_last_error();
    }
    if (err) {
      reported++;
      EXPECT_STRNE(valkka_last_error(), "");
    }

    // A read-only open recovers in memory; reading never yields a damaged payload, and an FS
    // fsck calls clean reads back everything.
    valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
    ASSERT_NE(fs, nullptr) << "trial " << trial << ": " << valkka_last_error();
    if (in_table) {
      EXPECT_GT(info_of(fs).entries_rebuilt, 0u) << "trial " << trial;
    }
    size_t n = read_all_checked(fs, base, trial);
    if (!err) {
      silent++;
      EXPECT_EQ(n, base.n_records) << "trial " << trial << ": fsck clean but frames missing";
    }
    valkka_fs_close(fs);

    valkka_fs_fsck_report_t fix{};
    fix.struct_size = sizeof fix;
    ASSERT_EQ(valkka_fs_fsck(dir.c_str(), 1, &fix), 0) << valkka_last_error();
    EXPECT_EQ(fix.entries_rebuilt, check.bad_entries) << "trial " << trial;
    valkka_fs_fsck_report_t again{};
    again.struct_size = sizeof again;
    EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &again), 0)
        << "trial " << trial << ": not clean after repair: " << valkka_last_error();

    // After repair: a writable open, a clean read, and recording goes on.
    fs = open_fs(dir);
    ASSERT_NE(fs, nullptr) << valkka_last_error();
    size_t after = read_all_checked(fs, base, trial);
    EXPECT_EQ(info_of(fs).bad_records, 0u) << "trial " << trial;
    EXPECT_LE(after, base.n_records);
    auto data = payload(9, trial, 700);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + 100000 + trial, true, data);
    EXPECT_EQ(valkka_fs_append(fs, 9, &f), 0) << valkka_last_error();
    valkka_fs_close(fs);
  }
  EXPECT_GT(reported, 100);
  EXPECT_GT(silent, 20) << "flips in free space must stay harmless";
}

}  // namespace

namespace {

// Found by tests/fuzz/fuzz_blocks (regressions/fuzz_blocks/repair-short-stretch): damage shorter
// than a record header between two valid records (here: bytes slipped in after the block header)
// was left by fsck --repair, which covers damage with PAD records only, so the FS never checked
// clean again. Repair now zeroes such a stretch, and scans take short zero filler for no damage.
TEST(FsCorruption, RepairCleansDamageShorterThanARecordHeader) {
  for (size_t slipped : {8, 16, 40}) {
    SCOPED_TRACE(slipped);
    TempDir tmp;
    const std::string dir = tmp.sub("fs");
    ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
    valkka_fs_t *fs = open_fs(dir);
    ASSERT_NE(fs, nullptr);
    for (int k = 0; k < 20; k++) {
      auto data = payload(1, k, 700);
      valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + 40 * k, k == 0, data);
      ASSERT_EQ(valkka_fs_append(fs, 1, &f), 0) << valkka_last_error();
    }
    valkka_fs_close(fs);

    // Records do not name their offsets: moved back by whole words they stay valid.
    std::string blocks = slurp(dir + "/blocks");
    std::string moved = blocks.substr(0, 64) + std::string(slipped, '\xa5') +
                        blocks.substr(64, 65536 - 64 - slipped) + blocks.substr(65536);
    spill(dir + "/blocks", moved);

    valkka_fs_fsck_report_t r{};
    r.struct_size = sizeof r;
    EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &r), VALKKA_ECORRUPT);
    EXPECT_EQ(r.bad_records, 1u);
    r = valkka_fs_fsck_report_t{};
    r.struct_size = sizeof r;
    ASSERT_EQ(valkka_fs_fsck(dir.c_str(), 1, &r), 0) << valkka_last_error();
    r = valkka_fs_fsck_report_t{};
    r.struct_size = sizeof r;
    EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &r), 0) << valkka_last_error();
    EXPECT_EQ(r.bad_records + r.bad_entries + r.bad_headers, 0u);

    fs = open_fs(dir, VALKKA_FS_READONLY);
    ASSERT_NE(fs, nullptr);
    std::vector<Got> got;
    EXPECT_EQ(valkka_fs_read_block(fs, 0, collect, &got), 20);
    for (int k = 0; k < 20 && k < (int)got.size(); k++)
      EXPECT_EQ(got[k].data, payload(1, k, 700)) << "frame " << k;
    EXPECT_EQ(info_of(fs).bad_records, 0u);
    valkka_fs_close(fs);
  }
}

// The ranges index beside the table: fsck compares each finished block's entry with the one its
// records make. A flipped byte is damage; an entry never written (all zero) is not, readers take
// the table's slots; --repair writes both, and the FS checks clean with the writer's bytes back.
TEST(FsCorruption, FsckChecksAndRepairsTheRangesIndex) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 8), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  for (int k = 0; k < 300; k++) {  // about 4 blocks, each with a gap of 2 s in its middle
    auto data = payload(1, k, 700);
    const int64_t t = T0 + 40 * k + (k % 40 >= 20 ? 2000 : 0) + k / 40 * 2000;
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, t, k % 25 == 0, data);
    ASSERT_EQ(valkka_fs_append(fs, 1, &f), 0) << valkka_last_error();
  }
  valkka_fs_close(fs);
  auto fsck = [&](int repair, valkka_fs_fsck_report_t *r) {
    *r = valkka_fs_fsck_report_t{};
    r->struct_size = sizeof *r;
    return valkka_fs_fsck(dir.c_str(), repair, r);
  };
  valkka_fs_fsck_report_t r;
  ASSERT_EQ(fsck(0, &r), 0) << "the writer's entries are the ones fsck makes: "
                            << valkka_last_error();
  EXPECT_EQ(r.bad_ranges, 0u);
  ASSERT_GE(r.blocks_checked, 3u);

  const size_t entry = 1560;  // FORMAT.md, "Ranges index"
  const std::string written = slurp(dir + "/ranges");
  ASSERT_GE(written.size(), 3 * entry);
  std::string damaged = written;
  damaged[0 * entry + 40] ^= 0x10;  // inside entry 0's first range
  std::fill(damaged.begin() + entry, damaged.begin() + 2 * entry, '\0');  // entry 1 never written
  spill(dir + "/ranges", damaged);
  EXPECT_EQ(fsck(0, &r), VALKKA_ECORRUPT);
  EXPECT_EQ(r.bad_ranges, 1u);
  EXPECT_EQ(r.bad_entries + r.bad_headers + r.bad_records, 0u);
  EXPECT_EQ(r.ranges_rebuilt, 0u);
  EXPECT_EQ(slurp(dir + "/ranges"), damaged) << "a check without --repair wrote";

  ASSERT_EQ(fsck(1, &r), 0) << valkka_last_error();
  EXPECT_EQ(r.bad_ranges, 1u);
  EXPECT_EQ(r.ranges_rebuilt, 2u);
  EXPECT_EQ(slurp(dir + "/ranges"), written);
  EXPECT_EQ(fsck(0, &r), 0) << valkka_last_error();
  EXPECT_EQ(r.bad_ranges + r.ranges_rebuilt, 0u);
}

}  // namespace
