/* SPDX-License-Identifier: LGPL-2.1-or-later */
// ValkkaFS through the public API on real files: create, append, read back, configuration
// re-writes, resume after reopen, index search against the oracle, and ten wraps of a tiny FS.
#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "fs_test_util.h"
#include "oracle.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;

struct Written {
  uint32_t stream;
  uint32_t kind;
  int64_t mstime;
  bool keyframe;
  std::vector<uint8_t> data;
};

// Appends one frame and remembers it.
int append(valkka_fs_t *fs, std::vector<Written> &log, uint32_t stream, uint32_t kind,
           int64_t mstime, bool keyframe, uint32_t size, uint64_t tag) {
  std::vector<uint8_t> data = payload(stream, tag, size);
  valkka_frame_t f = frame_of(kind, mstime, keyframe, data);
  int err = valkka_fs_append(fs, stream, &f);
  if (!err) log.push_back({stream, kind, mstime, keyframe, data});
  return err;
}

std::vector<Got> read_block(valkka_fs_t *fs, uint32_t b) {
  std::vector<Got> got;
  int n = valkka_fs_read_block(fs, b, collect, &got);
  EXPECT_GE(n, 0) << valkka_last_error();
  EXPECT_EQ((size_t)(n < 0 ? 0 : n), got.size());
  return got;
}

// Every keyframe is preceded in its block by a CONFIG record of its stream since the stream's
// previous keyframe there: decoding can start at any keyframe.
void expect_config_before_keyframes(const std::vector<Got> &frames, const char *where) {
  std::map<uint32_t, bool> config_seen;
  for (const Got &g : frames) {
    if (g.kind == VALKKA_FRAME_CONFIG) config_seen[g.stream_id] = true;
    if (g.kind == VALKKA_FRAME_ENCODED && (g.flags & VALKKA_FRAME_KEYFRAME)) {
      EXPECT_TRUE(config_seen[g.stream_id]) << where << ": keyframe at " << g.mstime
                                            << " of stream " << g.stream_id << " lacks its config";
      config_seen[g.stream_id] = false;
    }
  }
}

TEST(FsStore, CreateWritesTheDescribedFiles) {
  TempDir tmp;
  std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 6), 0) << valkka_last_error();
  std::ifstream json(dir + "/valkkafs.json");
  std::stringstream text;
  text << json.rdbuf();
  for (const char *key : {"\"format\": \"valkkafs\"", "\"version\": 2", "\"kind\": \"multi\"",
                          "\"block_size\": 65536", "\"n_blocks\": 6", "\"data\": \"blocks\"",
                          "\"backend\": \"storage-multifs\"", "\"created\": \"", "\"uuid\": \""})
    EXPECT_NE(text.str().find(key), std::string::npos) << key << " in " << text.str();
  struct stat st;
  ASSERT_EQ(stat((dir + "/blocks").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 6 * 65536);
  ASSERT_EQ(stat((dir + "/blocktable").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 6 * kEntrySize);
  EXPECT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 6), VALKKA_EEXIST);

  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  valkka_fs_info_t info = info_of(fs);
  EXPECT_EQ(info.kind, (uint32_t)VALKKA_FS_MULTI);
  EXPECT_EQ(info.block_size, 65536u);
  EXPECT_EQ(info.n_blocks, 6u);
  EXPECT_EQ(info.blocks_used, 0u);
  EXPECT_EQ(info.blocks_void, 6u);
  EXPECT_EQ(info.first_ms, 0);
  EXPECT_EQ(info.current_seq, 0u);
  EXPECT_EQ(strlen(info.uuid), 32u);
  EXPECT_NE(text.str().find(info.uuid), std::string::npos);
  uint32_t blocks[4];
  EXPECT_EQ(valkka_fs_get_ind(fs, T0, T0 + 1000, blocks, 4), 0);
  valkka_fs_close(fs);
  valkka_fs_close(nullptr);
}

TEST(FsStore, AppendReadBackWithConfigBeforeEveryKeyframe) {
  TempDir tmp;
  std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 8), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::vector<Written> log;
  // The source sends its configuration once; the FS repeats it before later keyframes.
  ASSERT_EQ(append(fs, log, 3, VALKKA_FRAME_CONFIG, T0, false, 40, 0), 0);
  for (int k = 0; k < 120; k++)
    ASSERT_EQ(
        append(fs, log, 3, VALKKA_FRAME_ENCODED, T0 + 40 * k, k % 10 == 0, 1500 + k * 7, k + 1), 0)
        << valkka_last_error();
  valkka_fs_info_t info = info_of(fs);
  EXPECT_GE(info.blocks_used, 3u);
  std::vector<Got> all;
  for (uint32_t b = 0; b < info.n_blocks; b++) {
    auto frames = read_block(fs, b);
    expect_config_before_keyframes(frames, "block");
    all.insert(all.end(), frames.begin(), frames.end());
  }
  std::vector<Got> encoded;
  for (const Got &g : all)
    if (g.kind == VALKKA_FRAME_ENCODED) encoded.push_back(g);
  ASSERT_EQ(encoded.size(), 120u);
  for (size_t k = 0; k < encoded.size(); k++) {
    EXPECT_EQ(encoded[k].stream_id, 3u);
    EXPECT_EQ(encoded[k].mstime, log[k + 1].mstime);
    EXPECT_EQ(encoded[k].data, log[k + 1].data) << "frame " << k;
  }
  for (const Got &g : all)
    if (g.kind == VALKKA_FRAME_CONFIG) {
      EXPECT_EQ(g.data, log[0].data);
    }
  valkka_fs_stream_stats_t st{};
  st.struct_size = sizeof st;
  ASSERT_EQ(valkka_fs_get_stream_stats(fs, 3, &st), 0);
  EXPECT_EQ(st.frames, 121u);
  EXPECT_EQ(valkka_fs_get_stream_stats(fs, 4, &st), VALKKA_ENOENT);

  valkka_fs_stream_info_t streams[4]{};
  streams[0].struct_size = sizeof streams[0];
  ASSERT_EQ(valkka_fs_get_streams(fs, streams, 4), 1);
  EXPECT_EQ(streams[0].stream_id, 3u);
  EXPECT_EQ(streams[0].frames, 120u);
  EXPECT_EQ(streams[0].codec, (uint32_t)VALKKA_CODEC_H264);
  EXPECT_EQ(streams[0].first_ms, T0);
  EXPECT_EQ(streams[0].last_ms, T0 + 40 * 119);
  valkka_fs_close(fs);
}

// A writer opened again keeps the block the last one was writing as it is and starts the next
// (FORMAT.md, Writing 7): no block spans the time the FS was closed.
TEST(FsStore, ReopenStartsTheNextBlock) {
  TempDir tmp;
  std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0);
  std::vector<Written> log;
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  for (int k = 0; k < 5; k++) ASSERT_EQ(append(fs, log, 1, 1, T0 + k, k == 0, 1000, k), 0);
  uint32_t block = info_of(fs).current_block;
  valkka_fs_close(fs);
  fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_EQ(info_of(fs).current_block, block);
  for (int k = 5; k < 10; k++) ASSERT_EQ(append(fs, log, 1, 1, T0 + k, false, 1000, k), 0);
  const uint32_t next = (block + 1) % 4;
  EXPECT_EQ(info_of(fs).current_block, next);
  auto got = read_block(fs, block);
  auto more = read_block(fs, next);
  ASSERT_EQ(got.size(), 5u);
  ASSERT_EQ(more.size(), 5u);
  got.insert(got.end(), more.begin(), more.end());
  for (int k = 0; k < 10; k++) EXPECT_EQ(got[k].data, log[k].data);
  // A second writable open of the same FS is refused while this one lives.
  int err = 0;
  EXPECT_EQ(open_fs(dir, 0, nullptr, &err), nullptr);
  EXPECT_EQ(err, VALKKA_EBUSY);
  EXPECT_STRNE(valkka_last_error(), "");
  // A read-only one is fine and sees the same.
  valkka_fs_t *ro = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(ro, nullptr) << valkka_last_error();
  EXPECT_EQ(read_block(ro, block).size() + read_block(ro, next).size(), 10u);
  valkka_fs_close(ro);
  valkka_fs_close(fs);
}

TEST(FsStore, SingleFsHoldsOneStream) {
  TempDir tmp;
  std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_SINGLE, 65536, 4), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::vector<Written> log;
  ASSERT_EQ(append(fs, log, 7, 1, T0, true, 100, 0), 0);
  EXPECT_EQ(append(fs, log, 8, 1, T0 + 1, true, 100, 1), VALKKA_EINVAL);
  EXPECT_NE(std::string(valkka_last_error()).find("stream 8 refused"), std::string::npos)
      << valkka_last_error();
  EXPECT_EQ(valkka_fs_map(fs, 0, 9), VALKKA_EINVAL);
  EXPECT_EQ(valkka_fs_map(fs, 0, 7), 0);
  ASSERT_EQ(append(fs, log, 7, 1, T0 + 2, false, 100, 2), 0);
  valkka_fs_close(fs);
  // The rule survives a reopen: the FS remembers its stream.
  fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(append(fs, log, 8, 1, T0 + 3, true, 100, 3), VALKKA_EINVAL);
  EXPECT_EQ(append(fs, log, 7, 1, T0 + 3, true, 100, 3), 0);
  valkka_fs_close(fs);
}

TEST(FsStore, FrameLargerThanABlockIsRefusedAndRecordingGoesOn) {
  TempDir tmp;
  std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0);
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  std::vector<Written> log;
  ASSERT_EQ(append(fs, log, 1, 1, T0, true, 1000, 0), 0);
  EXPECT_EQ(append(fs, log, 1, 1, T0 + 1, false, 70000, 1), VALKKA_ETOOBIG);
  EXPECT_NE(std::string(valkka_last_error()).find("does not fit"), std::string::npos);
  // The largest payload a block holds still goes in (in a block of its own).
  EXPECT_EQ(append(fs, log, 1, 1, T0 + 2, false, 65536 - 64 - 48, 2), 0) << valkka_last_error();
  EXPECT_EQ(append(fs, log, 1, 1, T0 + 3, false, 1000, 3), 0);
  valkka_fs_stream_stats_t st{};
  st.struct_size = sizeof st;
  ASSERT_EQ(valkka_fs_get_stream_stats(fs, 1, &st), 0);
  EXPECT_EQ(st.too_big, 1u);
  EXPECT_EQ(st.frames, 3u);
  size_t n = 0;
  for (uint32_t b = 0; b < 4; b++) n += read_block(fs, b).size();
  EXPECT_EQ(n, 3u);
  valkka_fs_close(fs);
}

// Builds the oracle's view of an FS from what reading its blocks gives back.
std::vector<oracle::Block> oracle_view(valkka_fs_t *fs) {
  auto table = read_table(fs);
  std::vector<oracle::Block> blocks(table.size());
  for (uint32_t b = 0; b < table.size(); b++) {
    if (table[b].flags & VALKKA_FS_BLOCK_VOID) continue;
    blocks[b].is_void = false;
    for (const Got &g : read_block(fs, b))
      blocks[b].frames.push_back(
          {g.stream_id, g.mstime,
           g.kind == VALKKA_FRAME_ENCODED && (g.flags & VALKKA_FRAME_KEYFRAME)});
  }
  return blocks;
}

void compare_with_oracle(valkka_fs_t *fs, std::mt19937_64 &rng, int n_queries) {
  auto blocks = oracle_view(fs);
  const uint32_t head = info_of(fs).current_block;
  auto [lo, hi] = oracle::time_range(blocks);
  int64_t first = -1, last = -1;
  ASSERT_EQ(valkka_fs_time_range(fs, &first, &last), 0);
  EXPECT_EQ(first, lo);
  EXPECT_EQ(last, hi);
  std::uniform_int_distribution<int64_t> t(lo - 100, hi + 100), span(0, 3000);
  for (int q = 0; q < n_queries; q++) {
    int64_t t0 = t(rng), t1 = t0 + (q % 3 ? span(rng) : 0);
    std::vector<uint32_t> got(blocks.size());
    int n = valkka_fs_get_ind(fs, t0, t1, got.data(), (uint32_t)got.size());
    ASSERT_GE(n, 0);
    got.resize(n);
    ASSERT_EQ(got, oracle::get_ind(blocks, head, t0, t1)) << "t0 " << t0 << " t1 " << t1;
    got.assign(blocks.size(), 0);
    n = valkka_fs_get_ind_neigh(fs, t0, 2, got.data(), (uint32_t)got.size());
    ASSERT_GE(n, 0);
    got.resize(n);
    ASSERT_EQ(got, oracle::get_ind_neigh(blocks, head, t0, 2)) << "t " << t0;
  }
}

void index_end_to_end(uint32_t kind, uint32_t n_streams, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 4; round++) {
    TempDir tmp;
    std::string dir = tmp.sub("fs");
    const uint32_t n_blocks = 3 + (uint32_t)(rng() % 10);
    ASSERT_EQ(create_fs(dir, kind, 65536, n_blocks), 0) << valkka_last_error();
    valkka_fs_t *fs = open_fs(dir);
    ASSERT_NE(fs, nullptr) << valkka_last_error();
    std::vector<Written> log;
    const int frames = 100 + (int)(rng() % 1200);
    std::vector<int64_t> next(n_streams);
    for (uint32_t s = 0; s < n_streams; s++) next[s] = T0 + (int64_t)(rng() % 500);
    for (int k = 0; k < frames; k++) {
      uint32_t s = (uint32_t)(rng() % n_streams);
      next[s] += 20 + (int64_t)(rng() % 60);
      bool key = rng() % (8 + 4 * s) == 0;
      if (key && rng() % 2) {
        ASSERT_EQ(append(fs, log, 10 + s, VALKKA_FRAME_CONFIG, next[s], false, 30, k), 0);
      }
      ASSERT_EQ(append(fs, log, 10 + s, VALKKA_FRAME_ENCODED, next[s], key, 200 + rng() % 3000, k),
                0)
          << valkka_last_error();
    }
    compare_with_oracle(fs, rng, 60);
    for (const valkka_fs_block_t &blk : read_table(fs)) {
      EXPECT_LE(blk.n_streams, n_streams);
      EXPECT_FALSE(blk.flags & VALKKA_FS_BLOCK_OVERFLOW) << "block " << blk.index;
    }
    valkka_fs_close(fs);
    // The table as persisted answers the same.
    fs = open_fs(dir, VALKKA_FS_READONLY);
    ASSERT_NE(fs, nullptr) << valkka_last_error();
    compare_with_oracle(fs, rng, 30);
    valkka_fs_close(fs);
  }
}

TEST(FsStore, IndexSearchOnRealFilesMatchesTheOracleMulti) {
  index_end_to_end(VALKKA_FS_MULTI, 3, 11);
}

TEST(FsStore, IndexSearchOnRealFilesMatchesTheOracleSingle) {
  index_end_to_end(VALKKA_FS_SINGLE, 1, 12);
}

// As many cameras as a table entry names (VALKKA_FS_BLOCK_STREAMS): blocks of 64 KiB hold dozens
// of these frames, so most blocks name many streams, none overflows, and getInd stays exact.
TEST(FsStore, IndexSearchOnRealFilesMatchesTheOracle32Streams) {
  index_end_to_end(VALKKA_FS_MULTI, VALKKA_FS_BLOCK_STREAMS, 13);
}

std::vector<Got> encoded_only(const std::vector<Got> &frames) {
  std::vector<Got> out;
  for (const Got &g : frames)
    if (g.kind == VALKKA_FRAME_ENCODED) out.push_back(g);
  return out;
}

// 8 blocks of 64 KiB through ten full wraps. After every block switch a read-only open (what a
// player in another process sees) must find each non-void block holding exactly the frames
// written into that use of it: no entry claims data that is being overwritten.
TEST(FsStore, TenWrapsOfATinyFs) {
  TempDir tmp;
  std::string dir = tmp.sub("fs");
  const uint32_t n_blocks = 8;
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, n_blocks), 0);
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  std::map<std::pair<uint32_t, uint64_t>, std::vector<Written>> by_use;  // (block, seq)
  std::vector<Written> log;
  std::mt19937_64 rng(5);
  uint64_t last_seq = 0;
  int64_t t = T0, last_first = 0;
  int switches = 0;
  for (uint64_t k = 0; info_of(fs).current_seq <= 10 * n_blocks; k++) {
    ASSERT_LT(k, 100000u);
    uint32_t stream = 1 + (uint32_t)(k % 2);
    t += 20;
    bool key = k % 12 < 2;
    if (key) {
      ASSERT_EQ(append(fs, log, stream, VALKKA_FRAME_CONFIG, t, false, 24, k), 0);
    }
    ASSERT_EQ(append(fs, log, stream, VALKKA_FRAME_ENCODED, t, key, 1000 + rng() % 5000, k), 0);
    valkka_fs_info_t info = info_of(fs);
    by_use[{info.current_block, info.current_seq}].push_back(log.back());
    if (info.current_seq == last_seq) continue;
    last_seq = info.current_seq;
    switches++;
    EXPECT_GE(info.first_ms, last_first) << "the time range moves forward";
    last_first = info.first_ms;

    valkka_fs_t *ro = open_fs(dir, VALKKA_FS_READONLY);
    ASSERT_NE(ro, nullptr) << valkka_last_error();
    for (const valkka_fs_block_t &b : read_table(ro)) {
      if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
      auto it = by_use.find({b.index, b.seq});
      ASSERT_NE(it, by_use.end()) << "block " << b.index << " claims use " << b.seq;
      auto all = read_block(ro, b.index);
      expect_config_before_keyframes(all, "wrapped block");
      auto got = encoded_only(all);
      // The block being written included: recovery scans it, so nothing appended is missing.
      ASSERT_EQ(got.size(), it->second.size()) << "block " << b.index << " use " << b.seq;
      for (size_t i = 0; i < got.size(); i++) {
        ASSERT_EQ(got[i].data, it->second[i].data) << "block " << b.index << " record " << i;
        ASSERT_EQ(got[i].mstime, it->second[i].mstime);
      }
    }
    valkka_fs_close(ro);
  }
  EXPECT_GE(switches, 80);
  // Reading every non-void block of the live FS gives back exactly what went into it.
  for (const valkka_fs_block_t &b : read_table(fs)) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    auto got = encoded_only(read_block(fs, b.index));
    const auto &want = by_use[{b.index, b.seq}];
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); i++) ASSERT_EQ(got[i].data, want[i].data);
  }
  valkka_fs_close(fs);
}

}  // namespace
