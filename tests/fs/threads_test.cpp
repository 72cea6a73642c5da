/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The writer thread: producers push through valkka_fs_sink (written + dropped == pushed, exactly),
// and the new-block callback fires for finished blocks and at the progress thresholds.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;

TEST(FsThreads, ProducersThroughTheSinkCountExactly) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 128), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  const int n_producers = 4, per_producer = 400;
  for (int p = 0; p < n_producers; p++) ASSERT_EQ(valkka_fs_map(fs, p, 100 + p), 0);
  valkka_fs_writer_params_t wp{};
  wp.struct_size = sizeof wp;
  wp.queue_length = 32;
  wp.frame_capacity = 1024;
  ASSERT_EQ(valkka_fs_writer_start(fs, &wp), 0) << valkka_last_error();
  EXPECT_EQ(valkka_fs_writer_start(fs, &wp), VALKKA_ESTATE);
  std::atomic<int> full{0}, ok{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < n_producers; p++) {
    producers.emplace_back([&, p] {
      for (int k = 0; k < per_producer; k++) {
        auto data = payload(100 + p, k, 300 + (uint32_t)(k * 13 % 1500));
        valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + k, k % 20 == 0, data, p);
        int err = valkka_fs_sink(fs, &f);
        if (err == 0)
          ok++;
        else if (err == VALKKA_EFULL)
          full++;
        else
          ADD_FAILURE() << valkka_err_name(err);
        // Paces the producers so the writer drains the queue between bursts: the counts below
        // hold exactly whatever the pace, only how many frames the full queue refuses changes.
        if (k % 16 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
  }
  for (auto &t : producers) t.join();
  EXPECT_EQ(valkka_fs_writer_stop(fs), 0);
  EXPECT_EQ(valkka_fs_writer_stop(fs), 0);
  // After the stop the sink refuses, counted as dropped.
  auto late = payload(100, 9999, 10);
  valkka_frame_t lf = frame_of(VALKKA_FRAME_ENCODED, T0 + 9999, false, late, 0);
  EXPECT_EQ(valkka_fs_sink(fs, &lf), VALKKA_ESTATE);
  lf.slot = 77;
  EXPECT_EQ(valkka_fs_sink(fs, &lf), VALKKA_ENOENT);

  uint64_t written = 0, dropped = 0;
  std::map<uint32_t, uint64_t> per_stream;
  for (int p = 0; p < n_producers; p++) {
    valkka_fs_stream_stats_t st{};
    st.struct_size = sizeof st;
    ASSERT_EQ(valkka_fs_get_stream_stats(fs, 100 + p, &st), 0);
    uint64_t late_drop = p == 0 ? 1 : 0;
    EXPECT_EQ(st.frames + st.dropped, (uint64_t)per_producer + late_drop) << "stream " << 100 + p;
    EXPECT_EQ(st.too_big + st.errors, 0u);
    written += st.frames;
    dropped += st.dropped - late_drop;
    if (st.frames) per_stream[100 + p] = st.frames;
  }
  EXPECT_EQ(written, (uint64_t)ok.load());
  EXPECT_EQ(dropped, (uint64_t)full.load());
  EXPECT_GT(written, 0u);
  // What the writer wrote is on disk, intact, in each stream's order.
  std::map<uint32_t, uint64_t> on_disk;
  for (const auto &b : read_table(fs)) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    std::vector<Got> got;
    ASSERT_GE(valkka_fs_read_block(fs, b.index, collect, &got), 0);
    for (const Got &g : got) {
      uint64_t k = (uint64_t)(g.mstime - T0);
      EXPECT_EQ(g.data, payload(g.stream_id, k, 300 + (uint32_t)(k * 13 % 1500)));
      on_disk[g.stream_id]++;
    }
  }
  EXPECT_EQ(on_disk, per_stream);
  valkka_fs_close(fs);
}

struct Events {
  std::mutex lock;
  std::condition_variable changed;
  std::vector<valkka_fs_block_event_t> list;
  valkka_fs_t *fs = nullptr;
  int table_reads = 0;
};

void on_block(void *user, const valkka_fs_block_event_t *ev) {
  auto *e = static_cast<Events *>(user);
  // The callback may look at the FS: no FS lock is held while it runs.
  valkka_fs_block_t probe{};
  probe.struct_size = sizeof probe;
  int n = valkka_fs_read_table(e->fs, &probe, 1);
  std::lock_guard<std::mutex> g(e->lock);
  e->list.push_back(*ev);
  e->table_reads += n > 0;
  e->changed.notify_all();
}

int count(Events &e, uint32_t reason) {
  int n = 0;
  for (const auto &ev : e.list) n += ev.reason == reason;
  return n;
}

TEST(FsThreads, NewBlockCallbackForFullBlocksAndProgress) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 16), 0);
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  ASSERT_EQ(valkka_fs_map(fs, 0, 1), 0);
  Events events;
  events.fs = fs;
  valkka_fs_writer_params_t wp{};
  wp.struct_size = sizeof wp;
  wp.queue_length = 1024;
  wp.on_block = on_block;
  wp.user = &events;
  wp.progress_frames = 10;
  ASSERT_EQ(valkka_fs_writer_start(fs, &wp), 0);
  for (int k = 0; k < 200; k++) {
    auto data = payload(1, k, 3000);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + k, k % 10 == 0, data, 0);
    ASSERT_EQ(valkka_fs_sink(fs, &f), 0);
  }
  ASSERT_EQ(valkka_fs_writer_stop(fs), 0);
  valkka_fs_info_t info = info_of(fs);
  {
    std::lock_guard<std::mutex> g(events.lock);
    EXPECT_EQ(count(events, VALKKA_FS_BLOCK_FINISHED), (int)info.current_seq - 1);
    EXPECT_GE(count(events, VALKKA_FS_BLOCK_PROGRESS), 10);
    for (const auto &ev : events.list) {
      EXPECT_GT(ev.frames, 0u);
      EXPECT_GE(ev.max_ms, ev.min_ms);
    }
    EXPECT_EQ(events.table_reads, (int)events.list.size());
    events.list.clear();
  }
  // A slow stream: one frame, then silence; progress_ms makes it show up while the writer idles.
  // Nothing else could report it: no frame count is set and the block is far from full. The wait
  // is bounded generously (a hundred times progress_ms), not timed.
  wp.progress_frames = 0;
  wp.progress_ms = 50;
  ASSERT_EQ(valkka_fs_writer_start(fs, &wp), 0);
  auto data = payload(1, 1000, 100);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + 1000, true, data, 0);
  ASSERT_EQ(valkka_fs_sink(fs, &f), 0);
  {
    std::unique_lock<std::mutex> g(events.lock);
    ASSERT_TRUE(events.changed.wait_for(g, std::chrono::milliseconds(100 * wp.progress_ms), [&] {
      return count(events, VALKKA_FS_BLOCK_PROGRESS) > 0;
    })) << "no PROGRESS for a frame followed by silence";
    EXPECT_EQ(events.list.back().max_ms, T0 + 1000);
  }
  valkka_fs_close(fs);  // stops the writer too
}

// Found by tests/fuzz/fuzz_frames (regressions/fuzz_frames/sink-mstime-negative): the sink took
// frames valkka_fs_append refuses, and the writer thread recorded them; a record with a time
// <= 0 made its block's entry one that cannot be stored, so the FS no longer checked clean.
TEST(FsThreads, SinkRefusesFramesWithoutTime) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  ASSERT_EQ(valkka_fs_map(fs, 0, 1), 0);
  ASSERT_EQ(valkka_fs_writer_start(fs, nullptr), 0) << valkka_last_error();
  auto data = payload(1, 0, 200);
  valkka_frame_t good = frame_of(VALKKA_FRAME_ENCODED, T0, true, data);
  ASSERT_EQ(valkka_fs_sink(fs, &good), 0);
  for (int64_t t : {(int64_t)0, (int64_t)-41887, INT64_MIN}) {
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, t, false, data);
    EXPECT_EQ(valkka_fs_sink(fs, &f), VALKKA_EINVAL) << "mstime " << t;
    EXPECT_NE(std::string(valkka_last_error()).find("mstime"), std::string::npos);
  }
  valkka_frame_t no_payload = frame_of(VALKKA_FRAME_ENCODED, T0 + 1, false, data);
  no_payload.data = nullptr;
  EXPECT_EQ(valkka_fs_sink(fs, &no_payload), VALKKA_EINVAL);
  ASSERT_EQ(valkka_fs_writer_stop(fs), 0);
  valkka_fs_stream_stats_t stats{};
  stats.struct_size = sizeof stats;
  ASSERT_EQ(valkka_fs_get_stream_stats(fs, 1, &stats), 0);
  EXPECT_EQ(stats.frames, 1u);
  valkka_fs_close(fs);

  valkka_fs_fsck_report_t report{};
  report.struct_size = sizeof report;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &report), 0) << valkka_last_error();
  fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr);
  std::vector<Got> got;
  EXPECT_EQ(valkka_fs_read_block(fs, 0, collect, &got), 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].mstime, T0);
  EXPECT_EQ(info_of(fs).entries_rebuilt, 0u);
  valkka_fs_close(fs);
}

}  // namespace
