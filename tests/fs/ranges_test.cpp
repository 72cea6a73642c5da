/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Recorded ranges at frame truth: a restarted writer starts a block of its own (nothing lost),
// and valkka_fs_get_ranges equals the ranges computed from reading every frame, locally and over
// a reader that follows the writer.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "fs_test_util.h"

namespace {

using fstest::TempDir;

constexpr uint32_t kBlockSize = 65536;

// Writes `n` frames of `stream`, `step_ms` apart from `t0`, a keyframe every 25.
void write_frames(valkka_fs_t *fs, uint32_t stream, int64_t t0, int n, int64_t step_ms,
                  uint64_t *counter) {
  for (int i = 0; i < n; i++) {
    auto data = fstest::payload(stream, (*counter)++, 300);
    valkka_frame_t f = fstest::frame_of(VALKKA_FRAME_ENCODED, t0 + i * step_ms, i % 25 == 0, data);
    ASSERT_EQ(valkka_fs_append(fs, stream, &f), 0) << valkka_last_error();
  }
}

// Every ENCODED frame of the FS as (block, stream, mstime), block by block in write order.
struct Seen {
  uint32_t block;
  uint32_t stream;
  int64_t mstime;
};

std::vector<Seen> read_all(valkka_fs_t *fs) {
  std::vector<Seen> out;
  auto table = fstest::read_table(fs);
  std::vector<const valkka_fs_block_t *> order;
  for (const auto &b : table)
    if (!(b.flags & VALKKA_FS_BLOCK_VOID)) order.push_back(&b);
  std::sort(order.begin(), order.end(), [](auto *a, auto *b) { return a->seq < b->seq; });
  for (const auto *b : order) {
    std::vector<fstest::Got> got;
    EXPECT_GE(valkka_fs_read_block_use(fs, b->index, b->seq, fstest::collect, &got), 0)
        << valkka_last_error();
    for (const auto &g : got)
      if (g.kind == VALKKA_FRAME_ENCODED) out.push_back({b->index, g.stream_id, g.mstime});
  }
  return out;
}

TEST(FsRanges, ARestartedWriterStartsABlockOfItsOwnAndLosesNothing) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(fstest::create_fs(dir, VALKKA_FS_MULTI, kBlockSize, 64), 0) << valkka_last_error();
  uint64_t counter = 0;
  std::vector<std::pair<int64_t, int64_t>> sessions = {{1000000, 1000000 + 40 * 30},
                                                       {2000000, 2000000 + 40 * 30},
                                                       {3000000, 3000000 + 40 * 30}};
  for (const auto &s : sessions) {
    valkka_fs_t *fs = fstest::open_fs(dir);
    ASSERT_NE(fs, nullptr) << valkka_last_error();
    // 30 frames of 300 bytes: far less than a block, so only the restart can start a new one.
    write_frames(fs, 7, s.first, 30, 40, &counter);
    valkka_fs_close(fs);
  }
  valkka_fs_t *fs = fstest::open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  auto seen = read_all(fs);
  ASSERT_EQ(seen.size(), 90u) << "every frame of the three sessions is there";
  std::map<uint32_t, std::set<size_t>> sessions_of_block;
  for (const auto &f : seen)
    for (size_t i = 0; i < sessions.size(); i++)
      if (f.mstime >= sessions[i].first && f.mstime < sessions[i].second)
        sessions_of_block[f.block].insert(i);
  EXPECT_EQ(sessions_of_block.size(), 3u) << "each session in a block of its own";
  for (const auto &b : sessions_of_block) EXPECT_EQ(b.second.size(), 1u) << "block " << b.first;
  valkka_fs_close(fs);

  valkka_fs_fsck_report_t report{};
  report.struct_size = sizeof report;
  ASSERT_EQ(valkka_fs_fsck(dir.c_str(), 0, &report), 0) << valkka_last_error();
  EXPECT_EQ(report.bad_entries, 0u);
  EXPECT_EQ(report.bad_records, 0u);
}

using Ranges = std::vector<std::pair<int64_t, int64_t>>;

// The ranges of every stream as the frames say: a new range where the step from the stream's
// previous frame is longer than twice its frame interval or 1 s (FORMAT.md, "Ranges").
std::map<uint32_t, Ranges> ranges_of_frames(const std::vector<Seen> &frames) {
  std::map<uint32_t, Ranges> out;
  std::map<uint32_t, int64_t> interval;
  for (const auto &f : frames) {
    Ranges &r = out[f.stream];
    const int64_t step = r.empty() ? 0 : f.mstime - r.back().second;
    if (!r.empty() && step <= std::max<int64_t>(1000, 2 * interval[f.stream])) {
      if (step > 0) interval[f.stream] = step;
      r.back().second = f.mstime;
    } else {
      r.push_back({f.mstime, f.mstime});
    }
  }
  return out;
}

Ranges ranges_of_fs(valkka_fs_t *fs, uint32_t stream) {
  valkka_fs_range_t probe{};
  probe.struct_size = sizeof probe;
  const int n = valkka_fs_get_ranges(fs, stream, INT64_MIN, INT64_MAX, &probe, 0);
  EXPECT_GE(n, 0) << valkka_last_error();
  std::vector<valkka_fs_range_t> got(n > 0 ? (size_t)n : 0);
  if (n > 0) {
    got[0].struct_size = sizeof got[0];
    EXPECT_EQ(valkka_fs_get_ranges(fs, stream, INT64_MIN, INT64_MAX, got.data(), (uint32_t)n), n);
  }
  Ranges out;
  for (const auto &r : got) out.push_back({r.first_ms, r.last_ms});
  return out;
}

void expect_ranges_of_frames(valkka_fs_t *fs, const char *who) {
  const auto truth = ranges_of_frames(read_all(fs));
  ASSERT_EQ(truth.size(), 3u) << who;
  for (const auto &s : truth)
    EXPECT_EQ(ranges_of_fs(fs, s.first), s.second) << who << ": stream " << s.first;
}

// One recorder session of three 25 fps cameras from `t0` for `seconds`: camera 2 cut for 5 s
// from 8 s on, camera 3 silent for 1.5 s from 4 s (a gap) and for 0.8 s from 15 s (no gap).
void record_session(valkka_fs_t *fs, int64_t t0, int seconds, uint64_t *counter) {
  for (int64_t t = 0; t < seconds * 1000; t += 40) {
    for (uint32_t cam = 1; cam <= 3; cam++) {
      if (cam == 2 && t >= 8000 && t < 13000) continue;
      if (cam == 3 && ((t >= 4000 && t < 5500) || (t >= 15000 && t < 15800))) continue;
      auto data = fstest::payload(cam, (*counter)++, 300);
      valkka_frame_t f = fstest::frame_of(VALKKA_FRAME_ENCODED, t0 + t, t % 1000 == 0, data);
      ASSERT_EQ(valkka_fs_append(fs, cam, &f), 0) << valkka_last_error();
    }
  }
}

constexpr int64_t kT0 = 1700000000000;

// A new FS and a first recorder session from kT0 for 20 s, closed. 256 KiB blocks: a camera's
// 5 s cut (375 records of the others) falls inside one block.
void first_session(const std::string &dir, uint64_t *counter) {
  ASSERT_EQ(fstest::create_fs(dir, VALKKA_FS_MULTI, 262144, 32), 0) << valkka_last_error();
  valkka_fs_t *fs = fstest::open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  record_session(fs, kT0, 20, counter);
  valkka_fs_close(fs);
}

TEST(FsRanges, RangesEqualTheFramesLocallyAndToAFollower) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  uint64_t counter = 0;
  ASSERT_NO_FATAL_FAILURE(first_session(dir, &counter));
  valkka_fs_t *fs = nullptr;
  // The recorder stopped; 40 s later it starts again.

  valkka_fs_t *follower = fstest::open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(follower, nullptr) << valkka_last_error();
  fs = fstest::open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  // Asked before the second session too: the answers after it are not the first ones kept.
  EXPECT_EQ(ranges_of_fs(fs, 1), (Ranges{{kT0, kT0 + 19960}}));
  EXPECT_EQ(ranges_of_fs(follower, 1), (Ranges{{kT0, kT0 + 19960}}));
  record_session(fs, kT0 + 60000, 20, &counter);
  expect_ranges_of_frames(fs, "the writer");
  ASSERT_GE(valkka_fs_refresh(follower), 0) << valkka_last_error();
  expect_ranges_of_frames(follower, "a follower");
  valkka_fs_close(fs);
  valkka_fs_close(follower);

  valkka_fs_t *reader = fstest::open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(reader, nullptr) << valkka_last_error();
  expect_ranges_of_frames(reader, "a reader opened after");
  // The ranges are the index's, not the slots': camera 2's cut lies inside a block.
  EXPECT_EQ(ranges_of_fs(reader, 2).size(), 4u);
  EXPECT_EQ(ranges_of_fs(reader, 3).size(), 4u);
  EXPECT_EQ(ranges_of_fs(reader, 1).size(), 2u);
  valkka_fs_close(reader);
}

// Each stream's ranges (1 to 3) as the frames say and as the FS says.
void expect_ranges_of_streams(valkka_fs_t *fs, const std::string &who) {
  auto truth = ranges_of_frames(read_all(fs));
  for (uint32_t stream = 1; stream <= 3; stream++)
    EXPECT_EQ(ranges_of_fs(fs, stream), truth[stream]) << who << ": stream " << stream;
}

// Asked once a second of recording while the writer goes round a small FS more than twice, the
// ranges (kept from one question to the next, the oldest blocks written over) stay those of the
// frames, for the writer and for a reader following it. Camera 2 stops at 30 s: once its last
// block is written over it has no range left; camera 3 has a gap every 20 s.
TEST(FsRanges, RangesAskedWhileTheWriterGoesRoundEqualTheFrames) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(fstest::create_fs(dir, VALKKA_FS_MULTI, kBlockSize, 12), 0) << valkka_last_error();
  valkka_fs_t *fs = fstest::open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  valkka_fs_t *follower = fstest::open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(follower, nullptr) << valkka_last_error();
  uint64_t counter = 0;
  for (int64_t t = 0; t < 120000 && !HasFailure(); t += 40) {
    for (uint32_t cam = 1; cam <= 3; cam++) {
      if ((cam == 2 && t >= 30000) || (cam == 3 && t % 20000 >= 4000 && t % 20000 < 5500)) continue;
      auto data = fstest::payload(cam, counter++, 300);
      valkka_frame_t f = fstest::frame_of(VALKKA_FRAME_ENCODED, kT0 + t, t % 1000 == 0, data);
      ASSERT_EQ(valkka_fs_append(fs, cam, &f), 0) << valkka_last_error();
    }
    if (t % 1000 != 960) continue;
    const std::string at = " at " + std::to_string(t) + " ms";
    expect_ranges_of_streams(fs, "the writer" + at);
    ASSERT_GE(valkka_fs_refresh(follower), 0) << valkka_last_error();
    expect_ranges_of_streams(follower, "a follower" + at);
  }
  // The writer went round: the FS's first blocks were written over, camera 2's all gone.
  auto table = fstest::read_table(fs);
  uint64_t oldest = UINT64_MAX;
  for (const auto &b : table) oldest = std::min(oldest, b.seq);
  EXPECT_GT(oldest, 2 * table.size()) << "blocks used: " << oldest;
  EXPECT_TRUE(ranges_of_fs(fs, 2).empty());
  valkka_fs_close(follower);
  valkka_fs_close(fs);
}

// An FS recorded before the ranges index (format 2 all the same) reads on from the table's slot
// times; a writable open makes the index, and what it records from then on is exact.
TEST(FsRanges, AnFsWithoutTheIndexReadsFromItsSlotsUntilAWriterMakesIt) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  uint64_t counter = 0;
  ASSERT_NO_FATAL_FAILURE(first_session(dir, &counter));
  const int64_t t0 = kT0;
  valkka_fs_t *fs = nullptr;
  ASSERT_EQ(unlink((dir + "/ranges").c_str()), 0);

  valkka_fs_t *old = fstest::open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(old, nullptr) << valkka_last_error();
  // Camera 3's 1.5 s gap lies inside a block: the slots do not see it.
  EXPECT_EQ(ranges_of_fs(old, 3), (Ranges{{t0, t0 + 19960}}));
  valkka_fs_close(old);
  EXPECT_NE(access((dir + "/ranges").c_str(), F_OK), 0) << "a reader writes nothing";

  fs = fstest::open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_EQ(access((dir + "/ranges").c_str(), F_OK), 0) << "a writer makes the index";
  record_session(fs, t0 + 60000, 20, &counter);
  valkka_fs_close(fs);
  valkka_fs_t *reader = fstest::open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(reader, nullptr) << valkka_last_error();
  const Ranges truth = ranges_of_frames(read_all(reader))[3];
  ASSERT_EQ(truth.size(), 4u);
  EXPECT_EQ(ranges_of_fs(reader, 3), (Ranges{{t0, t0 + 19960}, truth[2], truth[3]}));
  valkka_fs_close(reader);
}

}  // namespace
