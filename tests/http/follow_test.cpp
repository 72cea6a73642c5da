/* SPDX-License-Identifier: LGPL-2.1-or-later */
// An FS followed over HTTP while another process writes it: valkka_fs_follow_start on the URL
// delivers the writer's new frames, in write order and each once, their payloads whole.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

#include "faulty_server.h"
#include "http_fs_fixture.h"

using namespace httptest;

namespace {

int64_t time_of(uint64_t seq) { return T0 + 10 * (int64_t)seq; }
uint32_t size_of(uint64_t seq) { return 300 + (uint32_t)((seq * 7919) % 1500); }

// The recorder: appends frames of stream 1, reporting each once append returned, until killed.
[[noreturn]] void writer(const std::string &dir, int report_fd) {
  valkka_fs_t *fs = open_fs(dir);
  if (!fs) _exit(2);
  for (uint64_t seq = 0;; seq++) {
    auto data = payload(1, seq, size_of(seq));
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, time_of(seq), seq % 25 == 0, data);
    if (valkka_fs_append(fs, 1, &f) != 0) _exit(3);
    if (write(report_fd, &seq, sizeof seq) != (ssize_t)sizeof seq) _exit(4);
    usleep(5000);  // 200 frames a second: the FS (4 MiB) holds 20 s of them
  }
}

struct Seen {
  std::mutex lock;
  std::condition_variable changed;
  std::vector<uint64_t> order;
  uint64_t wrong = 0;
};

int on_frame(void *user, const valkka_frame_t *f) {
  auto *s = static_cast<Seen *>(user);
  std::lock_guard<std::mutex> hold(s->lock);
  if (f->kind != VALKKA_FRAME_ENCODED) return 0;
  const uint64_t seq = (uint64_t)((f->mstime - T0) / 10);
  const auto want = payload(1, seq, size_of(seq));
  if (f->stream_id != 1 || f->size != want.size() || memcmp(f->data, want.data(), want.size()))
    s->wrong++;
  s->order.push_back(seq);
  s->changed.notify_all();
  return 0;
}

// The writer's newest report once it reached `at_least` (bounded wait); 0 when it did not.
uint64_t wait_report(int fd, uint64_t at_least) {
  uint64_t seq = 0;
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, 20000) == 1 && read(fd, &seq, sizeof seq) == (ssize_t)sizeof seq)
    if (seq >= at_least) return seq;
  return 0;
}

// The writer's newest report of those waiting in the pipe (0 when none).
uint64_t newest_report(int fd) {
  uint64_t seq = 0, last = 0;
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, 0) == 1 && read(fd, &seq, sizeof seq) == (ssize_t)sizeof seq) last = seq;
  return last;
}

TEST(HttpFollow, AWriterOfAnotherProcessIsFollowedOverHttp) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 64), 0) << valkka_last_error();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    writer(dir, fds[1]);
  }
  close(fds[1]);
  FaultyServer server(tmp.path());
  ASSERT_GT(wait_report(fds[0], 50), 0u) << "the writer did not start";
  int err = 0;
  valkka_fs_t *fs = HttpStorage::open_url(server.url("/fs"), &err);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  Seen seen;
  valkka_fs_follow_params_t params{};
  params.struct_size = sizeof params;
  params.on_frame = on_frame;
  params.user = &seen;
  ASSERT_EQ(valkka_fs_follow_start(fs, &params), 0) << valkka_last_error();
  // Frames written from now on (across block boundaries: ~1 KB each, 64 KiB blocks) arrive.
  const uint64_t target = wait_report(fds[0], newest_report(fds[0]) + 200);
  ASSERT_GT(target, 0u);
  {
    std::unique_lock<std::mutex> hold(seen.lock);
    seen.changed.wait_for(hold, std::chrono::seconds(20),
                          [&] { return !seen.order.empty() && seen.order.back() >= target; });
  }
  valkka_fs_follow_stop(fs);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  close(fds[0]);
  ASSERT_FALSE(seen.order.empty());
  EXPECT_GE(seen.order.back(), target);
  EXPECT_EQ(seen.wrong, 0u);
  for (size_t i = 1; i < seen.order.size(); i++)
    ASSERT_EQ(seen.order[i], seen.order[i - 1] + 1) << "delivered out of order or twice at " << i;
  valkka_fs_close(fs);
}

}  // namespace
