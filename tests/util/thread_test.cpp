/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The thread helper: a named thread, a cooperative stop, an idempotent join.
#include <gtest/gtest.h>

#include <pthread.h>

#include <atomic>
#include <cstring>

extern "C" {
#include "util/thread.h"
}
#include <valkka/valkka.h>

namespace {
struct Work {
  std::atomic<int> loops{0};
  std::atomic<bool> returned{false};
  char name[16] = {};
};
void spin_until_stopped(thread_t *self, void *arg) {
  auto *w = static_cast<Work *>(arg);
  pthread_getname_np(pthread_self(), w->name, sizeof w->name);
  while (!thread_should_stop(self)) {
    w->loops++;
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, nullptr);
  }
  w->returned = true;
}
}  // namespace

TEST(Thread, StartsNamedStopsAndJoinsOnce) {
  thread_t t = {};
  Work w;
  ASSERT_EQ(thread_start(&t, "writer-fs0", spin_until_stopped, &w), 0);
  EXPECT_EQ(thread_start(&t, "again", spin_until_stopped, &w), VALKKA_ESTATE);
  while (w.loops.load() < 3) {
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, nullptr);
  }
  thread_stop(&t);
  thread_stop(&t);  // idempotent
  EXPECT_STREQ(w.name, "writer-fs0");
  EXPECT_TRUE(w.returned.load()) << "thread_stop returned before the thread did";
  const int after = w.loops.load();
  struct timespec pause = {0, 20000000};
  nanosleep(&pause, nullptr);
  EXPECT_EQ(w.loops.load(), after) << "work after join";
  ASSERT_EQ(thread_start(&t, "restarted", spin_until_stopped, &w), 0) << "reusable after join";
  thread_stop(&t);
  thread_t never = {};
  thread_stop(&never);  // a never-started thread is fine
}
