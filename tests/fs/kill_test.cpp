/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A recorder killed at random moments loses nothing valkka_fs_append had accepted: a child
// appends frames and reports each one on a pipe once append returned; the parent SIGKILLs it,
// reopens the FS (recovery), checks every reported frame reads back byte-identical, and lets the
// next child go on recording into the same FS. Twenty kills, seeded delays, no child left behind.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;

uint32_t size_of(uint64_t seq) { return 200 + (uint32_t)((seq * 7919) % 1400); }
uint32_t stream_of(uint64_t seq) { return 1 + (uint32_t)(seq % 2); }
int64_t time_of(uint64_t seq) { return T0 + 10 * (int64_t)seq; }

// The child: records from frame `first` on until killed. Never returns.
[[noreturn]] void child(const std::string &dir, uint64_t first, int report_fd) {
  valkka_fs_t *fs = open_fs(dir);
  if (!fs) _exit(2);
  for (uint64_t seq = first; seq < first + 1000000; seq++) {
    const uint32_t stream = stream_of(seq);
    const bool key = seq % 25 < 2;
    if (key) {
      auto cfg = payload(stream, 0, 24);
      valkka_frame_t c = frame_of(VALKKA_FRAME_CONFIG, time_of(seq), false, cfg);
      if (valkka_fs_append(fs, stream, &c) != 0) _exit(3);
    }
    auto data = payload(stream, seq, size_of(seq));
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, time_of(seq), key, data);
    if (valkka_fs_append(fs, stream, &f) != 0) _exit(3);
    if (write(report_fd, &seq, sizeof seq) != (ssize_t)sizeof seq) _exit(4);
    usleep(150);  // a camera's pace, so the FS holds every round without wrapping
  }
  valkka_fs_close(fs);
  _exit(0);
}

// Every encoded frame on disk, by sequence number; fails the test on a damaged or foreign one.
std::map<uint64_t, Got> frames_on_disk(valkka_fs_t *fs) {
  std::map<uint64_t, Got> out;
  for (const auto &b : read_table(fs)) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    std::vector<Got> got;
    EXPECT_GE(valkka_fs_read_block(fs, b.index, collect, &got), 0) << valkka_last_error();
    for (Got &g : got) {
      if (g.kind != VALKKA_FRAME_ENCODED) continue;
      uint64_t seq = (uint64_t)((g.mstime - T0) / 10);
      EXPECT_EQ(g.data, payload(stream_of(seq), seq, size_of(seq))) << "frame " << seq;
      EXPECT_EQ(g.stream_id, stream_of(seq));
      out[seq] = std::move(g);
    }
  }
  return out;
}

// Reads the child's reports until `target` frames were reported, the child stopped, or 20 s passed.
// Killing after a random number of frames (not a random time) keeps the moments random while
// making sure a slow machine (sanitizers, load) still writes enough to wrap.
void read_reports_until(int fd, size_t target, std::vector<uint64_t> *reported) {
  for (int waited_ms = 0; reported->size() < target && waited_ms < 20000;) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 10) <= 0) {
      waited_ms += 10;
      continue;
    }
    uint64_t seq;
    if (read(fd, &seq, sizeof seq) != (ssize_t)sizeof seq) return;
    reported->push_back(seq);
  }
}

// Kills a recording child 20 times; after each kill the FS is reopened (recovery) and read.
// `wraps`: the FS is small enough to wrap, so only frames still retained can be checked: those
// form one run of consecutive frames ending at the newest, which must hold every reported frame
// of that run.
void kill_rounds(uint32_t n_blocks, bool wraps, uint64_t seed, size_t min_frames,
                 size_t max_frames) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, n_blocks), 0) << valkka_last_error();
  std::mt19937_64 rng(seed);
  uint64_t next = 0, reported_total = 0;
  int recovered_rounds = 0;
  for (int round = 0; round < 20; round++) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      child(dir, next, fds[1]);
    }
    close(fds[1]);
    std::vector<uint64_t> reported;
    read_reports_until(fds[0], min_frames + rng() % (max_frames - min_frames + 1), &reported);
    usleep((useconds_t)(rng() % 3000));  // lands anywhere inside the next append
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "child ended by itself with status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    uint64_t seq;
    while (read(fds[0], &seq, sizeof seq) == (ssize_t)sizeof seq) reported.push_back(seq);
    close(fds[0]);
    reported_total += reported.size();

    valkka_fs_t *fs = open_fs(dir);
    ASSERT_NE(fs, nullptr) << "round " << round << ": " << valkka_last_error();
    recovered_rounds += info_of(fs).records_recovered > 0;
    auto disk = frames_on_disk(fs);
    valkka_fs_close(fs);
    if (disk.empty()) {
      ASSERT_TRUE(reported.empty()) << "round " << round << ": everything lost";
      continue;
    }
    const uint64_t lo = disk.begin()->first, hi = disk.rbegin()->first;
    ASSERT_EQ(hi - lo + 1, disk.size()) << "round " << round << ": a hole in the recording";
    if (!wraps) {
      ASSERT_EQ(lo, 0u);
    }
    for (uint64_t r : reported) {
      if (r >= lo) {
        ASSERT_TRUE(disk.count(r)) << "round " << round << ": frame " << r << " was reported "
                                   << "written and is lost";
      }
    }
    if (!reported.empty()) {
      ASSERT_GE(hi, reported.back());
    }
    next = hi + 1;
  }
  EXPECT_GT(reported_total, 200u);
  EXPECT_GT(recovered_rounds, 5) << "recovery should have found frames the table had not seen";
  if (wraps) {
    EXPECT_GT(next, 3u * n_blocks * 65536 / 1000) << "the FS should have wrapped";
  }
  valkka_fs_fsck_report_t r{};
  r.struct_size = sizeof r;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &r), 0) << valkka_last_error();
}

TEST(FsKill, KilledRecorderLosesNothingAppendAccepted) { kill_rounds(96, false, 777, 1, 60); }

// 20 rounds of 70..130 frames of ~900 bytes: about 1.8 MB into a 384 KiB FS, several wraps.
TEST(FsKill, KilledRecorderAcrossWraps) { kill_rounds(6, true, 778, 70, 130); }

}  // namespace
