/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Index search (getInd, getIndNeigh, time range) on thousands of random in-memory tables against
// the brute-force oracle; plus the byte format and the record scanner, white box.
#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

extern "C" {
#include "fs/format.h"
#include "fs/index.h"
#include "fs/scan.h"
#include "fs/table.h"
}

#include "oracle.h"

namespace {

struct Table {
  std::vector<oracle::Block> blocks;  // ground truth
  std::vector<fs_entry_t> entries;    // what the core keeps
  uint32_t head = 0;
};

struct StreamGen {
  uint32_t id;
  int64_t start, period;
  uint32_t gop, offset;
  int64_t stop;  // no frames after this
};

// Frames of several cameras as a recorder receives them: each stream in its own time order, the
// streams interleaved by arrival time; blocks filled in write order with wrap, some made void.
// A block holds 1..max_per_block frames, so it names at most that many streams.
Table random_table(std::mt19937_64 &rng, uint32_t max_streams, uint32_t max_per_block = 12) {
  auto uni = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  Table tab;
  const uint32_t n = (uint32_t)uni(2, 40);
  const uint32_t n_streams = (uint32_t)uni(1, max_streams);
  std::vector<StreamGen> gens;
  const int64_t base = 1700000000000;
  for (uint32_t s = 0; s < n_streams; s++) {
    StreamGen g{(uint32_t)uni(0, 3) * 100 + s,
                base + uni(0, 2000),
                uni(20, 200),
                (uint32_t)uni(1, 30),
                0,
                0};
    g.offset = (uint32_t)uni(0, g.gop - 1);
    g.stop = uni(0, 4) == 0 ? g.start + uni(0, 20000) : INT64_MAX;
    gens.push_back(g);
  }
  struct Arrival {
    int64_t at;
    oracle::Frame f;
  };
  std::vector<Arrival> arrivals;
  const uint32_t per_block_max = (uint32_t)uni(1, max_per_block);
  const uint64_t want_frames = (uint64_t)uni(1, 3 * n) * per_block_max;
  for (const StreamGen &g : gens) {
    int64_t last_arrival = 0, t = g.start;
    for (uint64_t k = 0; k < want_frames; k++) {
      t += g.period + uni(0, g.period / 4);
      if (t > g.stop) break;
      int64_t at = std::max(last_arrival + 1, t + uni(0, 40));
      last_arrival = at;
      arrivals.push_back({at, {g.id, t, (k + g.offset) % g.gop == 0}});
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival &a, const Arrival &b) { return a.at < b.at; });
  if (arrivals.size() > want_frames) arrivals.resize(want_frames);

  tab.blocks.assign(n, oracle::Block{});
  tab.entries.assign(n, fs_entry_t{});
  for (auto &e : tab.entries) fs_entry_set_void(&e, 0);
  uint64_t seq = 0;
  size_t i = 0;
  uint32_t cur = 0;
  while (i < arrivals.size()) {
    cur = (uint32_t)(seq % n);
    seq++;
    oracle::Block &b = tab.blocks[cur];
    b = oracle::Block{};
    b.is_void = false;
    fs_entry_set_void(&tab.entries[cur], seq);
    uint32_t take = (uint32_t)uni(1, per_block_max);
    uint32_t end = FS_BLOCK_HEADER_SIZE;
    for (uint32_t k = 0; k < take && i < arrivals.size(); k++, i++) {
      const oracle::Frame &f = arrivals[i].f;
      b.frames.push_back(f);
      fs_record_t r{};
      r.stream_id = f.stream;
      r.seq = seq;
      r.mstime = f.t;
      r.flags = f.keyframe ? 1u : 0u;
      r.codec = 1;
      r.kind = FS_KIND_ENCODED;
      r.length = 100;
      end += fs_record_size(r.length);
      fs_entry_add(&tab.entries[cur], &r, end);
    }
  }
  tab.head = cur;
  // Blocks made void anywhere (fsck voided them, a crash): their frames are gone.
  for (uint32_t b = 0; b < n; b++) {
    bool drop = uni(0, 9) == 0 || (b == tab.head && uni(0, 4) == 0);
    if (drop && !tab.blocks[b].is_void) {
      tab.blocks[b] = oracle::Block{};
      fs_entry_set_void(&tab.entries[b], tab.entries[b].seq);
    }
  }
  return tab;
}

std::vector<uint32_t> impl_get_ind(const Table &t, int64_t t0, int64_t t1) {
  std::vector<uint32_t> out(t.entries.size() + 1);
  int n = fs_index_search(t.entries.data(), (uint32_t)t.entries.size(), t.head, t0, t1, out.data(),
                          (uint32_t)out.size());
  EXPECT_GE(n, 0);
  out.resize(n > 0 ? n : 0);
  return out;
}

std::vector<uint32_t> impl_neigh(const Table &t, int64_t ts, uint32_t k) {
  std::vector<uint32_t> out(t.entries.size() + 1);
  int n = fs_index_neigh(t.entries.data(), (uint32_t)t.entries.size(), t.head, ts, k, out.data(),
                         (uint32_t)out.size());
  EXPECT_GE(n, 0);
  out.resize(n > 0 ? n : 0);
  return out;
}

// Query times: around the range, exactly on frames and keyframes, and in between.
std::vector<std::pair<int64_t, int64_t>> queries(std::mt19937_64 &rng, const Table &t) {
  auto [lo, hi] = oracle::time_range(t.blocks);
  if (!lo) lo = hi = 1700000000000;
  std::vector<int64_t> times;
  for (const auto &b : t.blocks)
    for (const auto &f : b.frames) times.push_back(f.t);
  auto uni = [&](int64_t a, int64_t b) {
    return std::uniform_int_distribution<int64_t>(a, b)(rng);
  };
  std::vector<std::pair<int64_t, int64_t>> q;
  for (int i = 0; i < 14; i++) {
    int64_t t0 = (i % 2 == 0 || times.empty()) ? uni(lo - 300, hi + 300)
                                               : times[(size_t)uni(0, (int64_t)times.size() - 1)];
    int64_t span = i % 3 == 0 ? 0 : i % 3 == 1 ? uni(0, 500) : uni(0, hi - lo + 1000);
    q.push_back({t0, t0 + span});
  }
  q.push_back({lo, hi});
  q.push_back({lo - 1, lo - 1});
  q.push_back({hi + 1, hi + 1});
  return q;
}

// `widest` (when given) gets the most streams any one block of the tables named.
void check_tables(uint64_t seed, int n_tables, uint32_t max_streams, uint32_t max_per_block = 12,
                  uint32_t *widest = nullptr) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < n_tables; i++) {
    Table t = random_table(rng, max_streams, max_per_block);
    for (const fs_entry_t &e : t.entries) {
      if (widest) *widest = std::max<uint32_t>(*widest, e.n_streams);
      EXPECT_FALSE(e.flags & FS_ENTRY_OVERFLOW) << "table " << i << ": exactness needs no overflow";
    }
    auto [lo, hi] = oracle::time_range(t.blocks);
    int64_t first, last;
    fs_index_time_range(t.entries.data(), (uint32_t)t.entries.size(), &first, &last);
    ASSERT_EQ(first, lo) << "table " << i;
    ASSERT_EQ(last, hi) << "table " << i;
    for (auto [t0, t1] : queries(rng, t)) {
      ASSERT_EQ(impl_get_ind(t, t0, t1), oracle::get_ind(t.blocks, t.head, t0, t1))
          << "seed " << seed << " table " << i << " n " << t.blocks.size() << " head " << t.head
          << " t0 " << t0 << " t1 " << t1;
      uint32_t k = (uint32_t)(t0 % 4 + 4) % 4;
      ASSERT_EQ(impl_neigh(t, t0, k), oracle::get_ind_neigh(t.blocks, t.head, t0, k))
          << "seed " << seed << " table " << i << " t " << t0 << " k " << k;
    }
  }
}

TEST(FsIndexOracle, MultiFsRandomTables) { check_tables(20240501, 5000, 4); }

TEST(FsIndexOracle, SingleFsRandomTables) { check_tables(7, 3000, 1); }

// A 16-camera kiosk and more: up to FS_ENTRY_STREAMS streams in one block, every one named, so
// the answer must be exactly the oracle's.
TEST(FsIndexOracle, UpTo32StreamsPerBlockExact) {
  uint32_t widest = 0;
  check_tables(1616, 300, 16, 48, &widest);
  EXPECT_EQ(widest, 16u);
  widest = 0;
  check_tables(3232, 300, FS_ENTRY_STREAMS, 96, &widest);
  EXPECT_EQ(widest, FS_ENTRY_STREAMS) << "the generator never filled a block with 32 streams";
}

// More streams than a table entry names (FORMAT.md: the 33rd and later streams of a block count
// in its totals only). The answer must still hold every block the oracle requires for the data
// and for every stream the table names wherever it appears; the per-stream guarantee for a stream
// hidden in an overflowing block is documented as not given.
TEST(FsIndexOracle, OverflowingBlocksStaySound) {
  std::mt19937_64 rng(99);
  int overflowing = 0, checked = 0;
  for (int i = 0; i < 300; i++) {
    Table t = random_table(rng, FS_ENTRY_STREAMS + 12, 64);
    const uint32_t n = (uint32_t)t.blocks.size();
    std::vector<uint32_t> hidden;  // streams some live block holds without naming them
    for (uint32_t b = 0; b < n; b++) {
      const fs_entry_t &e = t.entries[b];
      overflowing += (e.flags & FS_ENTRY_OVERFLOW) != 0;
      for (const auto &f : t.blocks[b].frames) {
        bool named = false;
        for (uint32_t k = 0; k < e.n_streams; k++) named |= e.streams[k].id == f.stream;
        if (!named) hidden.push_back(f.stream);
      }
    }
    // The oracle over a copy without the hidden streams' keyframe duty: their frames stay (they
    // shape the blocks' time ranges) but no longer count as keyframes or as present streams.
    std::vector<oracle::Block> named = t.blocks;
    for (auto &b : named)
      for (auto &f : b.frames)
        if (std::find(hidden.begin(), hidden.end(), f.stream) != hidden.end())
          f.keyframe = false, f.stream = 0xFFFFFFFFu;
    for (auto [t0, t1] : queries(rng, t)) {
      auto got = impl_get_ind(t, t0, t1);
      for (uint32_t b : oracle::get_ind(named, t.head, t0, t1)) {
        checked++;
        ASSERT_NE(std::find(got.begin(), got.end(), b), got.end())
            << "table " << i << " t0 " << t0 << " t1 " << t1 << " misses block " << b;
      }
      for (size_t k = 1; k < got.size(); k++)  // a run: consecutive in write order
        ASSERT_LT(oracle::position(n, t.head, got[k - 1]), oracle::position(n, t.head, got[k]));
    }
  }
  EXPECT_GT(overflowing, 0) << "the generator made no overflowing block";
  EXPECT_GT(checked, 0);
}

TEST(FsIndexOracle, WrapAtEveryPosition) {
  // One stream, one frame per block, every block a keyframe: getInd(t) is exactly the block of t,
  // wherever the write position is.
  for (uint32_t n = 2; n <= 9; n++) {
    for (uint32_t written = 1; written <= 3 * n; written++) {
      std::vector<fs_entry_t> entries(n);
      for (auto &e : entries) fs_entry_set_void(&e, 0);
      for (uint32_t k = 0; k < written; k++) {
        fs_entry_t &e = entries[k % n];
        fs_entry_set_void(&e, k + 1);
        fs_record_t r{};
        r.stream_id = 1, r.seq = k + 1, r.mstime = 1000 * (k + 1), r.flags = 1, r.kind = 1;
        fs_entry_add(&e, &r, 128);
      }
      const uint32_t head = (written - 1) % n;
      const uint32_t oldest = written > n ? written - n : 0;
      for (uint32_t k = oldest; k < written; k++) {
        uint32_t out[16];
        ASSERT_EQ(fs_index_search(entries.data(), n, head, 1000 * (k + 1), 1000 * (k + 1), out, 16),
                  1);
        EXPECT_EQ(out[0], k % n);
        // From the oldest to the newest: the whole ring in write order.
        int all =
            fs_index_search(entries.data(), n, head, 1000 * (oldest + 1), 1000 * written, out, 16);
        ASSERT_EQ(all, (int)(written - oldest));
        for (int j = 0; j < all; j++) EXPECT_EQ(out[j], (oldest + j) % n);
      }
    }
  }
}

fs_layout_t test_layout() {
  fs_layout_t l;
  uint8_t uuid[16];
  for (int i = 0; i < 16; i++) uuid[i] = (uint8_t)(i * 17 + 3);
  fs_layout_init(&l, uuid, 65536, 4);
  return l;
}

TEST(FsFormat, EntryRoundTripAndCrc) {
  fs_entry_t e;
  fs_entry_set_void(&e, 42);
  const uint32_t n = FS_ENTRY_STREAMS + 2;
  for (uint32_t s = 0; s < n; s++) {
    fs_record_t r{};
    r.stream_id = 100 + s, r.seq = 42, r.mstime = 5000 + s, r.flags = s % 2, r.codec = 2,
    r.kind = 1;
    fs_entry_add(&e, &r, 64 + 56 * (s + 1));
    // Slots fill up to the last one without overflow; the stream after them overflows.
    EXPECT_EQ(e.n_streams, std::min(s + 1, FS_ENTRY_STREAMS)) << "stream " << s;
    EXPECT_EQ((e.flags & FS_ENTRY_OVERFLOW) != 0, s >= FS_ENTRY_STREAMS) << "stream " << s;
  }
  EXPECT_EQ(FS_ENTRY_STREAMS, 32u);
  EXPECT_EQ(FS_ENTRY_SIZE, 1344u);
  EXPECT_EQ(e.frames, n);
  EXPECT_EQ(e.streams[FS_ENTRY_STREAMS - 1].id, 100 + FS_ENTRY_STREAMS - 1);
  uint8_t raw[FS_ENTRY_SIZE];
  fs_entry_encode(&e, raw);
  // Little-endian, field by field: max time at 8, sequence number at 32, slots from 64, 40 apart.
  const int64_t max_t = 5000 + n - 1;
  EXPECT_EQ(raw[8], (max_t & 0xff));
  EXPECT_EQ(raw[9], (max_t >> 8));
  EXPECT_EQ(raw[32], 42);
  EXPECT_EQ(raw[52], FS_ENTRY_STREAMS);
  EXPECT_EQ(raw[54], FS_ENTRY_OVERFLOW);
  EXPECT_EQ(raw[64 + 40 * 31], 100 + 31);
  fs_entry_t back;
  ASSERT_EQ(fs_entry_decode(raw, 65536, &back), 0);
  EXPECT_TRUE(fs_entry_equal(&e, &back));
  for (uint32_t byte = 0; byte < FS_ENTRY_SIZE; byte++) {
    uint8_t bad[FS_ENTRY_SIZE];
    memcpy(bad, raw, sizeof bad);
    bad[byte] ^= 0x10;
    EXPECT_NE(fs_entry_decode(bad, 65536, &back), 0) << "flip at " << byte << " not detected";
  }
}

TEST(FsFormat, ScannerSkipsDamageAndStaleRecords) {
  fs_layout_t l = test_layout();
  std::vector<uint8_t> block(l.block_size, 0);
  fs_block_header_encode(&l, 2, 7, block.data());
  uint64_t seq = 0;
  ASSERT_TRUE(fs_block_header_check(&l, 2, block.data(), &seq));
  EXPECT_EQ(seq, 7u);
  EXPECT_FALSE(fs_block_header_check(&l, 3, block.data(), &seq));
  // Five records of use 7, then a record of use 6 (an older use of the block).
  std::vector<uint32_t> offsets;
  uint32_t pos = FS_BLOCK_HEADER_SIZE;
  std::vector<uint8_t> payload(300);
  for (int i = 0; i < 6; i++) {
    for (auto &b : payload) b = (uint8_t)(i * 31 + 1);
    fs_record_t r{};
    r.stream_id = 1, r.seq = i < 5 ? 7 : 6, r.mstime = 1000 + i, r.kind = 1,
    r.length = (uint32_t)payload.size() - i;
    fs_record_encode(&l, &r, payload.data(), block.data() + pos);
    offsets.push_back(pos);
    pos += fs_record_size(r.length);
  }
  block[offsets[1] + 2] ^= 0xff;                       // header of record 1
  block[offsets[3] + FS_RECORD_HEADER_SIZE + 5] ^= 1;  // payload of record 3
  struct Seen {
    std::vector<int64_t> times;
    std::vector<std::pair<uint32_t, bool>> bad;
  } seen;
  fs_scan_ops_t ops{};
  ops.record = [](void *u, uint32_t, const fs_record_t *r, const uint8_t *) {
    static_cast<Seen *>(u)->times.push_back(r->mstime);
    return 0;
  };
  ops.bad = [](void *u, uint32_t off, uint32_t, bool trailing) {
    static_cast<Seen *>(u)->bad.push_back({off, trailing});
  };
  ops.user = &seen;
  uint32_t end = 0;
  fs_scan_records(&l, block.data(), l.block_size, 7, &ops, &end);
  EXPECT_EQ(seen.times, (std::vector<int64_t>{1000, 1002, 1004}));
  ASSERT_EQ(seen.bad.size(), 3u);
  EXPECT_EQ(seen.bad[0], std::make_pair(offsets[1], false));
  EXPECT_EQ(seen.bad[1], std::make_pair(offsets[3], false));
  EXPECT_EQ(seen.bad[2], std::make_pair(offsets[5], true));  // the stale tail is free space
  EXPECT_EQ(end, offsets[5]);
  EXPECT_EQ(fs_scan_max_seq(&l, block.data(), l.block_size), 7u);

  fs_rebuild_t rb;
  fs_block_rebuild(&l, 2, block.data(), 0, 0, nullptr, nullptr, &rb);
  EXPECT_TRUE(rb.header_ok);
  EXPECT_EQ(rb.seq, 7u);
  EXPECT_EQ(rb.entry.records, 3u);
  EXPECT_EQ(rb.bad_records, 2u);
  EXPECT_EQ(rb.end, offsets[5]);
  // A damaged header: the use comes from the records.
  block[10] ^= 1;
  fs_block_rebuild(&l, 2, block.data(), 0, 0, nullptr, nullptr, &rb);
  EXPECT_FALSE(rb.header_ok);
  EXPECT_EQ(rb.seq, 7u);
  EXPECT_EQ(rb.entry.records, 3u);
}

}  // namespace
