/* SPDX-License-Identifier: LGPL-2.1-or-later */
// One writer process, one reader process (this one) on the same FS: the reader follows with
// valkka_fs_follow_start while a recorder process (follow_writer.cpp) appends frames and is SIGKILLed mid-record and
// restarted. Every frame the writer accepted is delivered to the reader once, in write order,
// byte-identical, none torn; the reader's table ends equal to a fresh open's. A wrap that overtakes
// a stalled reader: it goes on from the writer's newest block without a frame twice. Multi and
// single FS, with their blocks in the FS directory (followed by inotify) and on a device (a file
// at an absolute path, followed by polling). The latency from the writer's report to the
// reader's delivery is printed (not asserted: the machine's load decides it).
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>

#include "follow_plan.h"
#include "fs_test_util.h"

using namespace fstest;

namespace {

uint32_t size_of(uint64_t seq) { return follow_size_of(seq); }
uint64_t seq_of(int64_t mstime) { return follow_seq_of(mstime); }

int64_t mono_us() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct Plan {
  uint32_t kind;
  uint32_t n_blocks;
  uint32_t streams;  // frames go to streams 1..streams in turn
  uint32_t stream_of(uint64_t seq) const { return follow_stream_of(seq, streams); }
};

// What the reader's follow thread was handed.
struct Seen {
  const Plan *plan = nullptr;
  std::mutex lock;
  std::condition_variable changed;
  std::vector<uint64_t> order;          // encoded frames, as delivered
  std::map<uint64_t, int64_t> when_us;  // delivery time of each
  uint64_t wrong = 0;                   // a payload, stream or kind that is not the frame's
  uint64_t configs = 0;
  // The stalled reader: the first delivery waits until `release` (bounded).
  bool stall = false, release = false;
};

int on_frame(void *user, const valkka_frame_t *f) {
  auto *s = static_cast<Seen *>(user);
  std::unique_lock<std::mutex> hold(s->lock);
  if (s->stall) {
    s->changed.wait_for(hold, std::chrono::seconds(30), [s] { return s->release; });
    s->stall = false;
  }
  if (f->kind == VALKKA_FRAME_CONFIG) {
    s->configs++;
    return 0;
  }
  const uint64_t seq = seq_of(f->mstime);
  const auto want = payload(s->plan->stream_of(seq), seq, size_of(seq));
  if (f->kind != VALKKA_FRAME_ENCODED || f->stream_id != s->plan->stream_of(seq) ||
      f->size != want.size() || memcmp(f->data, want.data(), want.size()) != 0)
    s->wrong++;
  s->order.push_back(seq);
  s->when_us[seq] = mono_us();
  s->changed.notify_all();
  return 0;
}

// Every encoded frame on disk, as a fresh open (recovery) of the FS reads them.
std::vector<uint64_t> frames_on_disk(const std::string &dir) {
  std::vector<uint64_t> out;
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  EXPECT_NE(fs, nullptr) << valkka_last_error();
  if (!fs) return out;
  auto table = read_table(fs);
  std::sort(table.begin(), table.end(),
            [](const valkka_fs_block_t &a, const valkka_fs_block_t &b) { return a.seq < b.seq; });
  for (const auto &b : table) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    std::vector<Got> got;
    EXPECT_GE(valkka_fs_read_block(fs, b.index, collect, &got), 0) << valkka_last_error();
    for (const Got &g : got)
      if (g.kind == VALKKA_FRAME_ENCODED) out.push_back(seq_of(g.mstime));
  }
  valkka_fs_close(fs);
  return out;
}

struct Child {
  pid_t pid = -1;
  int fd = -1;
};

// The recorder (follow_writer.cpp), its reports on a pipe.
Child start_writer(const std::string &dir, const Plan &plan, uint64_t first) {
  int fds[2];
  Child c;
  if (pipe2(fds, O_CLOEXEC) != 0) return c;
  const std::string streams = std::to_string(plan.streams), from = std::to_string(first);
  char *argv[] = {const_cast<char *>(VALKKA_FOLLOW_WRITER), const_cast<char *>(dir.c_str()),
                  const_cast<char *>(streams.c_str()), const_cast<char *>(from.c_str()), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  if (posix_spawn(&c.pid, argv[0], &actions, nullptr, argv, environ) != 0) c.pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  c.fd = fds[0];
  return c;
}

// Reads reports until `target` more came or 20 s passed; each one's time goes to `reported`.
void read_reports(Child &c, size_t target, std::map<uint64_t, int64_t> *reported) {
  size_t got = 0;
  for (int waited_ms = 0; got < target && waited_ms < 20000;) {
    struct pollfd p = {c.fd, POLLIN, 0};
    if (poll(&p, 1, 10) <= 0) {
      waited_ms += 10;
      continue;
    }
    uint64_t seq;
    if (read(c.fd, &seq, sizeof seq) != (ssize_t)sizeof seq) return;
    (*reported)[seq] = mono_us();
    got++;
  }
}

// Kills the recorder; fails the test when it had ended by itself (its error is on stderr).
void kill_writer(Child &c, std::map<uint64_t, int64_t> *reported) {
  kill(c.pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(c.pid, &status, 0), c.pid);
  uint64_t seq;
  while (read(c.fd, &seq, sizeof seq) == (ssize_t)sizeof seq) (*reported)[seq] = mono_us();
  close(c.fd);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer ended by itself, exit status "
      << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

// Waits until the reader was handed `seq`, at most 10 s.
bool wait_seen(Seen &seen, uint64_t seq) {
  std::unique_lock<std::mutex> hold(seen.lock);
  return seen.changed.wait_for(hold, std::chrono::seconds(10),
                               [&] { return !seen.order.empty() && seen.order.back() >= seq; });
}

void print_latency(const char *what, const Seen &seen, const std::map<uint64_t, int64_t> &rep) {
  std::vector<int64_t> lat;
  for (const auto &[seq, at] : seen.when_us) {
    auto r = rep.find(seq);
    if (r != rep.end()) lat.push_back(std::max<int64_t>(0, at - r->second));
  }
  if (lat.empty()) return;
  std::sort(lat.begin(), lat.end());
  printf("%s: %zu frames, writer's report to the reader: median %.1f ms, p99 %.1f ms, max "
         "%.1f ms\n",
         what, lat.size(), lat[lat.size() / 2] / 1000.0, lat[lat.size() * 99 / 100] / 1000.0,
         lat.back() / 1000.0);
}

valkka_fs_t *follow(const std::string &dir, Seen &seen) {
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  if (!fs) return nullptr;
  valkka_fs_follow_params_t p{};
  p.struct_size = sizeof p;
  p.on_frame = on_frame;
  p.user = &seen;
  if (valkka_fs_follow_start(fs, &p) != 0) {
    valkka_fs_close(fs);
    return nullptr;
  }
  return fs;
}

// Three writer lives, each SIGKILLed mid-record; the reader follows all along. With `device`,
// the blocks are a file at an absolute path outside the FS directory, as a raw device is given:
// its writes are not announced, so the reader follows by polling.
void follow_across_kills(uint32_t kind, uint32_t streams, bool device = false) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  const Plan plan{kind, 512, streams};
  const uint32_t block_size = 65536;
  std::string dev;
  if (device) {
    // Where the blocks are a device, create takes it as it is: it must be the FS's size already.
    dev = tmp.sub("device.img");
    const int fd = open(dev.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, (off_t)block_size * plan.n_blocks), 0);
    close(fd);
  }
  ASSERT_EQ(
      create_fs(dir, kind, block_size, plan.n_blocks, nullptr, device ? dev.c_str() : nullptr), 0)
      << valkka_last_error();
  Seen seen;
  seen.plan = &plan;
  valkka_fs_t *fs = follow(dir, seen);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::map<uint64_t, int64_t> reported;
  uint64_t next = 0;
  for (int life = 0; life < 3; life++) {
    Child c = start_writer(dir, plan, next);
    ASSERT_GT(c.pid, 0);
    read_reports(c, 1500 + 400 * life, &reported);
    usleep(300 * (useconds_t)life);  // lands anywhere inside an append
    ASSERT_NO_FATAL_FAILURE(kill_writer(c, &reported));
    const auto disk = frames_on_disk(dir);
    ASSERT_FALSE(disk.empty()) << "life " << life << ": the writer reported " << reported.size()
                               << " frames in all, none is on disk";
    next = disk.back() + 1;
  }
  const auto disk = frames_on_disk(dir);
  ASSERT_TRUE(wait_seen(seen, disk.back())) << "the reader never got to frame " << disk.back();
  valkka_fs_follow_stop(fs);

  // Every accepted frame is on disk (the kill test's promise), and the reader saw exactly the
  // disk's frames, in write order: none missed, none twice, none torn or foreign.
  for (const auto &[seq, at] : reported)
    ASSERT_TRUE(std::binary_search(disk.begin(), disk.end(), seq)) << "frame " << seq << " lost";
  EXPECT_EQ(seen.wrong, 0u);
  ASSERT_EQ(seen.order, disk) << "the reader saw " << seen.order.size()
                              << " frames, the disk holds " << disk.size();
  EXPECT_GT(seen.configs, 0u);
  // Its table says what a fresh recovery says.
  valkka_fs_t *fresh = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fresh, nullptr);
  auto a = read_table(fs), b = read_table(fresh);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); i++) {
    EXPECT_EQ(a[i].seq, b[i].seq) << "block " << i;
    EXPECT_EQ(a[i].frames, b[i].frames) << "block " << i;
    EXPECT_EQ(a[i].min_ms, b[i].min_ms) << "block " << i;
    EXPECT_EQ(a[i].max_ms, b[i].max_ms) << "block " << i;
  }
  valkka_fs_close(fresh);
  valkka_fs_close(fs);
  const std::string what = std::string(kind == VALKKA_FS_MULTI ? "multi" : "single") +
                           (device ? " on a device (polled)" : "");
  print_latency(what.c_str(), seen, reported);
}

TEST(FsFollow, MultiReaderSeesEveryAcceptedFrameOnceAcrossWriterKills) {
  follow_across_kills(VALKKA_FS_MULTI, 2);
}

TEST(FsFollow, SingleReaderSeesEveryAcceptedFrameOnceAcrossWriterKills) {
  follow_across_kills(VALKKA_FS_SINGLE, 1);
}

TEST(FsFollow, MultiOnADeviceReaderPollsAndSeesEveryFrameOnce) {
  follow_across_kills(VALKKA_FS_MULTI, 2, true);
}

TEST(FsFollow, SingleOnADeviceReaderPollsAndSeesEveryFrameOnce) {
  follow_across_kills(VALKKA_FS_SINGLE, 1, true);
}

// A reader stalled in its callback while the writer laps the whole FS twice: it goes on from the
// writer's newest block, never back, never a frame twice, never a wrong one, up to the last.
TEST(FsFollow, WrapOvertakingTheReaderResyncs) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  const Plan plan{VALKKA_FS_MULTI, 8, 2};
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, plan.n_blocks), 0) << valkka_last_error();
  Seen seen;
  seen.plan = &plan;
  seen.stall = true;
  valkka_fs_t *fs = follow(dir, seen);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::map<uint64_t, int64_t> reported;
  Child c = start_writer(dir, plan, 0);
  ASSERT_GT(c.pid, 0);
  // Two laps: 8 blocks of 64 KiB hold about 500 frames of ~1 KB.
  read_reports(c, 1200, &reported);
  {
    std::lock_guard<std::mutex> hold(seen.lock);
    seen.release = true;
    seen.changed.notify_all();
  }
  read_reports(c, 400, &reported);
  ASSERT_NO_FATAL_FAILURE(kill_writer(c, &reported));
  const auto disk = frames_on_disk(dir);
  ASSERT_FALSE(disk.empty());
  ASSERT_TRUE(wait_seen(seen, disk.back())) << "the reader never got to frame " << disk.back();
  valkka_fs_close(fs);

  EXPECT_EQ(seen.wrong, 0u);
  ASSERT_GE(seen.order.size(), 2u);
  size_t gaps = 0;
  for (size_t i = 1; i < seen.order.size(); i++) {
    ASSERT_GT(seen.order[i], seen.order[i - 1]) << "went back or twice at delivery " << i;
    gaps += seen.order[i] != seen.order[i - 1] + 1;
  }
  EXPECT_GE(gaps, 1u) << "the writer should have overtaken the stalled reader";
  // From the newest gap on, the reader has every frame still on disk.
  size_t resumed = seen.order.size() - 1;
  while (resumed > 0 && seen.order[resumed] == seen.order[resumed - 1] + 1) resumed--;
  for (uint64_t seq : disk) {
    if (seq < seen.order[resumed]) continue;
    ASSERT_TRUE(std::binary_search(seen.order.begin(), seen.order.end(), seq))
        << "frame " << seq << " on disk was not delivered";
  }
}

// The calls' rules: an FS open for writing is not followed; twice is refused; refresh while
// following is refused; stop is idempotent.
TEST(FsFollow, Rules) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0);
  valkka_fs_t *w = open_fs(dir);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(valkka_fs_follow_start(w, nullptr), VALKKA_EACCES);
  EXPECT_EQ(valkka_fs_refresh(w), VALKKA_EACCES);
  valkka_fs_t *r = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(valkka_fs_refresh(r), 0);
  auto data = payload(1, 1, 500);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, kFollowT0, true, data);
  ASSERT_EQ(valkka_fs_append(w, 1, &f), 0);
  EXPECT_EQ(valkka_fs_refresh(r), 1) << valkka_last_error();
  EXPECT_EQ(info_of(r).last_ms, kFollowT0);
  ASSERT_EQ(valkka_fs_follow_start(r, nullptr), 0);
  EXPECT_EQ(valkka_fs_follow_start(r, nullptr), VALKKA_ESTATE);
  EXPECT_EQ(valkka_fs_refresh(r), VALKKA_ESTATE);
  EXPECT_EQ(valkka_fs_follow_stop(r), 0);
  EXPECT_EQ(valkka_fs_follow_stop(r), 0);
  EXPECT_EQ(valkka_fs_follow_stop(nullptr), VALKKA_EINVAL);
  valkka_fs_close(r);
  valkka_fs_close(w);
}

}  // namespace
