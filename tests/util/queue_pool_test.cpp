/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Queue and pool under contention: several producers, one consumer, drops counted exactly, and no
// frame lost or duplicated. The TSan build runs this.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

extern "C" {
#include "util/pool.h"
#include "util/queue.h"
}
#include <valkka/valkka.h>

namespace {
constexpr int kProducers = 4;
constexpr int kPerProducer = 20000;
}  // namespace

TEST(QueuePool, ManyProducersOneConsumerCountsDropsExactly) {
  pool_t *pool = pool_create(64, 256);
  queue_t *queue = queue_create(16);
  ASSERT_NE(pool, nullptr);
  ASSERT_NE(queue, nullptr);

  std::atomic<uint64_t> accepted{0}, refused_full{0}, pool_empty{0};
  std::vector<std::vector<int>> seen(kProducers);
  std::thread consumer([&] {
    for (;;) {
      valkka_frame_t *f = nullptr;
      int err = queue_pop(queue, &f, -1);
      if (err == VALKKA_EOS) break;
      ASSERT_EQ(err, 0);
      seen[f->slot].push_back(static_cast<int>(f->mstime));
      pool_put(f);
    }
  });
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; p++) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; i++) {
        valkka_frame_t *f = pool_get(pool);
        if (!f) {
          pool_empty++;
          continue;
        }
        f->slot = static_cast<uint32_t>(p);
        f->mstime = i;
        int err = queue_push(queue, f, 0);  // never blocks
        if (err == VALKKA_EFULL) {
          refused_full++;
          pool_put(f);
        } else {
          ASSERT_EQ(err, 0);
          accepted++;
        }
      }
    });
  }
  for (auto &t : producers) t.join();
  queue_close(queue);
  consumer.join();

  queue_stats_t stats;
  queue_get_stats(queue, &stats);
  EXPECT_EQ(stats.pushed, accepted.load());
  EXPECT_EQ(stats.dropped, refused_full.load());
  EXPECT_EQ(stats.popped, accepted.load());
  EXPECT_EQ(pool_exhausted(pool), pool_empty.load());
  EXPECT_EQ(accepted + refused_full + pool_empty, uint64_t(kProducers) * kPerProducer);
  uint64_t delivered = 0;
  for (auto &v : seen) {
    delivered += v.size();
    for (size_t i = 1; i < v.size(); i++) EXPECT_LT(v[i - 1], v[i]) << "order kept per producer";
  }
  EXPECT_EQ(delivered, accepted.load());
  EXPECT_EQ(pool_available(pool), 64u) << "every frame returned";
  queue_destroy(queue);
  pool_destroy(pool);
}

TEST(QueuePool, BlockingPushWaitsForRoomAndCloseWakesEveryone) {
  pool_t *pool = pool_create(4, 0);
  queue_t *queue = queue_create(1);
  valkka_frame_t *a = pool_get(pool), *b = pool_get(pool);
  ASSERT_EQ(queue_push(queue, a, 0), 0);
  EXPECT_EQ(queue_push(queue, b, 20), VALKKA_EFULL) << "bounded wait, then drop";
  std::thread popper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    valkka_frame_t *f = nullptr;
    EXPECT_EQ(queue_pop(queue, &f, -1), 0);
    pool_put(f);
  });
  EXPECT_EQ(queue_push(queue, b, -1), 0) << "waits until the popper makes room";
  popper.join();
  valkka_frame_t *out = nullptr;
  std::thread waiter([&] { EXPECT_EQ(queue_pop(queue, &out, -1), 0); });
  waiter.join();
  pool_put(out);
  std::thread blocked([&] { EXPECT_EQ(queue_pop(queue, &out, -1), VALKKA_EOS); });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  queue_close(queue);
  blocked.join();
  valkka_frame_t *c = pool_get(pool);
  EXPECT_EQ(queue_push(queue, c, 0), VALKKA_ESTATE);
  pool_put(c);
  EXPECT_EQ(queue_pop(queue, &out, 0), VALKKA_EOS);
  queue_destroy(queue);
  EXPECT_EQ(pool_available(pool), 4u);
  pool_destroy(pool);
}

TEST(QueuePool, EmptyPoolIsCountedNotFatal) {
  pool_t *pool = pool_create(2, 16);
  valkka_frame_t *a = pool_get(pool), *b = pool_get(pool);
  EXPECT_EQ(pool_get(pool), nullptr);
  EXPECT_EQ(pool_exhausted(pool), 1u);
  pool_put(a);
  pool_put(b);
  EXPECT_EQ(pool_create(0, 16), nullptr);
  EXPECT_NE(std::string(valkka_last_error()), "");
  pool_destroy(pool);
}
