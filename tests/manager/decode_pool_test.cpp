/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The file cache's decoder workers (core-c/src/manager/decode_pool.c), white-box: a round runs
// each job once, on a worker thread; a stream's decoder entered by a second thread while one is
// in it is refused, logged and counted (the busy guard); and a manager on 4 workers plays, seeks
// and steps 4 streams without the guard ever firing. Run under ThreadSanitizer (THREADED): the
// workers and the cache thread share the streams without locks, by the pool's hand-over alone.
#include <gtest/gtest.h>
#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "manager_support.h"

extern "C" {
#include "manager/decode_pool.h"
#include "manager/filecache_stream.h"
}

using namespace mgr_test;
using namespace std::chrono_literals;

namespace {

constexpr auto kPatience = 60s;

std::string thread_name() {
  char name[16] = "";
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

struct Jobs {
  std::vector<int> runs;  // written by the job's worker only: a second one would be a race
  std::mutex lock;
  std::set<std::string> threads;
  static void run(void *ctx, size_t i) {
    Jobs *j = static_cast<Jobs *>(ctx);
    j->runs[i]++;
    std::lock_guard<std::mutex> g(j->lock);
    j->threads.insert(thread_name());
  }
};

}  // namespace

TEST(DecodePool, ARoundRunsEachJobOnceOnTheWorkers) {
  decode_pool_t *pool = decode_pool_start(4);
  ASSERT_NE(pool, nullptr) << valkka_last_error();
  EXPECT_EQ(decode_pool_workers(pool), 4u);
  Jobs jobs;
  jobs.runs.assign(16, 0);
  for (int round = 1; round <= 200; round++) {
    decode_pool_run(pool, jobs.runs.size(), Jobs::run, &jobs);
    // Every job returned before the round did, and none ran twice.
    for (size_t i = 0; i < jobs.runs.size(); i++) ASSERT_EQ(jobs.runs[i], round) << "job " << i;
  }
  ASSERT_FALSE(jobs.threads.empty());
  for (const std::string &name : jobs.threads) EXPECT_EQ(name.rfind("vk-decode-", 0), 0u) << name;
  decode_pool_stop(pool);

  // One worker is the caller itself: no thread of its own, nothing handed over.
  pool = decode_pool_start(1);
  ASSERT_NE(pool, nullptr);
  jobs.threads.clear();
  decode_pool_run(pool, jobs.runs.size(), Jobs::run, &jobs);
  EXPECT_EQ(jobs.threads, std::set<std::string>{thread_name()});
  decode_pool_stop(pool);

  EXPECT_EQ(decode_pool_default_workers(0),
            std::min<uint32_t>(DECODE_POOL_MAX, std::thread::hardware_concurrency()));
  EXPECT_EQ(decode_pool_default_workers(1000), uint32_t(DECODE_POOL_MAX));
}

namespace {

// codec-ffmpeg with a gate in its send: the first frame sent while armed holds the sending thread
// inside the decoder until released, so that another thread can be made to come in meanwhile.
struct Gate {
  const valkka_decoder_vtable_t *real = nullptr;
  valkka_decoder_vtable_t vt{};
  std::mutex lock;
  std::condition_variable changed;
  bool armed = false, inside = false, released = false;
};
Gate gate;

int gated_send(void *instance, const valkka_frame_t *frame) {
  {
    std::unique_lock<std::mutex> g(gate.lock);
    if (gate.armed) {
      gate.armed = false;
      gate.inside = true;
      gate.changed.notify_all();
      gate.changed.wait_for(g, kPatience, [] { return gate.released; });
    }
  }
  return gate.real->send(instance, frame);
}

}  // namespace

TEST(DecodePool, ASecondThreadInAStreamsDecoderIsRefusedAndCounted) {
  const Clip clip = make_clip(10, 25, 50);
  if (HasFatalFailure()) return;
  const std::vector<double> means = reference_means(clip);
  const valkka_plugin_t *ffmpeg = valkka_plugin_find(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  ASSERT_NE(ffmpeg, nullptr);
  gate.real = static_cast<const valkka_decoder_vtable_t *>(ffmpeg->vtable);
  gate.vt = *gate.real;
  gate.vt.send = gated_send;
  const fc_decoder_choice_t choice = {&gate.vt, nullptr, 1};

  fc_stream_t *s = fc_stream_create(
      1, 1, 7, [](void *, const valkka_frame_t *) { return 0; }, nullptr);
  ASSERT_NE(s, nullptr);
  auto insert = [&](uint32_t kind, bool key, int64_t mstime, const std::vector<uint8_t> &data) {
    fc_frame_t f{};
    f.mstime = mstime;
    f.kind = kind;
    f.flags = key ? VALKKA_FRAME_KEYFRAME : 0;
    f.codec = clip.codec;
    f.size = uint32_t(data.size());
    f.data = static_cast<uint8_t *>(malloc(data.size()));
    std::copy(data.begin(), data.end(), f.data);
    ASSERT_EQ(fc_track_insert(&s->track, &f), 0);
  };
  insert(VALKKA_FRAME_CONFIG, false, kT0, clip.config);
  for (size_t k = 0; k < clip.packets.size(); k++)
    insert(VALKKA_FRAME_ENCODED, clip.key[k], kT0 + 40 * int64_t(k), clip.packets[k]);
  if (HasFatalFailure()) return;

  const uint64_t before = fc_stream_busy_collisions();
  gate.inside = gate.released = false;
  gate.armed = true;
  bool got = false;
  std::thread worker([&] { got = fc_stream_advance(s, &choice, kT0 + 40 * 30, true); });
  {
    std::unique_lock<std::mutex> g(gate.lock);
    ASSERT_TRUE(gate.changed.wait_for(g, kPatience, [] { return gate.inside; }));
  }
  // The worker is inside the stream's decoder: this thread is turned away, and so is a finish.
  EXPECT_FALSE(fc_stream_advance(s, &choice, kT0 + 40 * 31, true));
  EXPECT_EQ(fc_stream_busy_collisions(), before + 1);
  fc_stream_finish(s);
  EXPECT_EQ(fc_stream_busy_collisions(), before + 2);
  EXPECT_FALSE(fc_stream_decode_key(s, &choice, 1));  // a scrub's keyframe: turned away too
  EXPECT_EQ(fc_stream_busy_collisions(), before + 3);
  {
    std::lock_guard<std::mutex> g(gate.lock);
    gate.released = true;
  }
  gate.changed.notify_all();
  worker.join();
  // The worker's advance went on untouched: frame 30, decoded from its GOP's keyframe (25).
  ASSERT_TRUE(got);
  EXPECT_EQ(s->picture->mstime, kT0 + 40 * 30);
  EXPECT_NEAR(mean_y(*s->picture), means[30], 0.01);
  // Free again: the next thread in is served.
  EXPECT_TRUE(fc_stream_advance(s, &choice, kT0 + 40 * 31, true));
  EXPECT_EQ(s->picture->mstime, kT0 + 40 * 31);
  // A scrub's keyframe alone (track index 26: frame 25, after the CONFIG), then a seek's exact
  // frame from the same decoder.
  EXPECT_TRUE(fc_stream_decode_key(s, &choice, 26));
  EXPECT_EQ(s->picture->mstime, kT0 + 40 * 25);
  EXPECT_NEAR(mean_y(*s->picture), means[25], 0.01);
  fc_stream_forget_shown(s);
  EXPECT_TRUE(fc_stream_advance(s, &choice, kT0 + 40 * 33, true));
  EXPECT_EQ(s->picture->mstime, kT0 + 40 * 33);
  EXPECT_NEAR(mean_y(*s->picture), means[33], 0.01);
  EXPECT_EQ(fc_stream_busy_collisions(), before + 3);
  EXPECT_EQ(s->decode_errors, 0u);
  fc_stream_destroy(s);
}

// A round hands out the streams with the most frames to decode first (filecache_play.c): what an
// advance would feed, from the keyframe before, or on from where the decoder stands.
TEST(DecodePool, ARoundsWorkIsTheFramesAnAdvanceWouldFeed) {
  const Clip clip = make_clip(10, 25, 50);
  if (HasFatalFailure()) return;
  const valkka_plugin_t *ffmpeg = valkka_plugin_find(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  ASSERT_NE(ffmpeg, nullptr);
  const fc_decoder_choice_t choice = {static_cast<const valkka_decoder_vtable_t *>(ffmpeg->vtable),
                                      nullptr, 1};
  fc_stream_t *s = fc_stream_create(
      1, 1, 7, [](void *, const valkka_frame_t *) { return 0; }, nullptr);
  ASSERT_NE(s, nullptr);
  for (size_t k = 0; k <= clip.packets.size(); k++) {  // the CONFIG, then the packets
    const std::vector<uint8_t> &data = k ? clip.packets[k - 1] : clip.config;
    fc_frame_t f{};
    f.mstime = kT0 + 40 * int64_t(k ? k - 1 : 0);
    f.kind = k ? VALKKA_FRAME_ENCODED : VALKKA_FRAME_CONFIG;
    f.flags = k && clip.key[k - 1] ? VALKKA_FRAME_KEYFRAME : 0;
    f.codec = clip.codec;
    f.size = uint32_t(data.size());
    f.data = static_cast<uint8_t *>(malloc(data.size()));
    std::copy(data.begin(), data.end(), f.data);
    ASSERT_EQ(fc_track_insert(&s->track, &f), 0);
  }
  EXPECT_EQ(fc_stream_frames_to(s, kT0 - 1), 0u);        // nothing recorded by then
  EXPECT_EQ(fc_stream_frames_to(s, kT0 + 40 * 30), 6u);  // frames 25 .. 30, its GOP's prefix
  EXPECT_EQ(fc_stream_frames_to(s, kT0 + 40 * 24), 25u);
  ASSERT_TRUE(fc_stream_advance(s, &choice, kT0 + 40 * 30, true));
  EXPECT_EQ(fc_stream_frames_to(s, kT0 + 40 * 30), 0u);   // there already
  EXPECT_EQ(fc_stream_frames_to(s, kT0 + 40 * 31), 1u);   // on from frame 30
  EXPECT_EQ(fc_stream_frames_to(s, kT0 + 40 * 60), 19u);  // on to the last frame, 49
  EXPECT_EQ(fc_stream_frames_to(s, kT0 + 40 * 20), 21u);  // back: from frame 0 again
  fc_stream_destroy(s);
}

TEST(DecodePool, FourWorkersPlaySeekAndStepWithoutSharingADecoder) {
  FourStreams mat;
  make_four_streams(mat);
  if (HasFatalFailure()) return;
  valkka_manager_t *m = create_manager(4);
  ASSERT_NE(m, nullptr);
  const uint64_t before = fc_stream_busy_collisions();
  valkka_fs_t *multi = nullptr, *single = nullptr;
  ASSERT_EQ(valkka_manager_open_fs(m, mat.multi.c_str(), nullptr, nullptr, &multi), 0);
  ASSERT_EQ(valkka_manager_open_fs(m, mat.single.c_str(), nullptr, nullptr, &single), 0);
  Collector c;
  ASSERT_EQ(valkka_manager_set_time_callback(m, Collector::time, &c), 0);
  for (uint32_t id = 1; id <= 3; id++)
    ASSERT_EQ(valkka_manager_map(m, multi, VALKKA_MANAGER_NO_SLOT, id, id, Collector::output, &c),
              0);
  ASSERT_EQ(valkka_manager_map(m, single, VALKKA_MANAGER_NO_SLOT, 4, 4, Collector::output, &c), 0);

  // Seeks while the clock runs at 1x: each one completes with a picture of every stream. (The
  // playhead is set first: play without one seeks to the start, where stream 1 alone has frames.)
  ASSERT_TRUE(seek_and_wait(m, kT0 + 2000, kPatience));
  ASSERT_EQ(valkka_manager_play(m, 1.0), 0);
  std::mt19937_64 rng(15);
  std::uniform_int_distribution<int64_t> pick(kT0 + 2000, kT0 + 10000);
  for (int i = 0; i < 10; i++) {
    c.clear();
    const int64_t t = pick(rng);
    ASSERT_TRUE(seek_and_wait(m, t, kPatience)) << "seek to " << t;
    std::set<uint32_t> shown;
    for (const Shown &f : c.shown()) shown.insert(f.stream_id);
    EXPECT_EQ(shown, (std::set<uint32_t>{1, 2, 3, 4})) << "seek to " << t;
  }

  // FAST to the end: every frame of every stream, in order, decoded on the workers.
  const int64_t from = kT0 + 8000;
  ASSERT_EQ(valkka_manager_pause(m), 0);
  ASSERT_TRUE(seek_and_wait(m, from, kPatience));
  c.clear();
  ASSERT_EQ(valkka_manager_play(m, VALKKA_MANAGER_SPEED_FAST), 0);
  ASSERT_TRUE(wait_state(
      m, [](const valkka_manager_state_t &st) { return st.at_end != 0; }, kPatience));
  std::map<uint32_t, std::vector<int64_t>> got;
  for (const Shown &f : c.shown()) got[f.stream_id].push_back(f.mstime);
  for (uint32_t id = 1; id <= 4; id++) {
    std::vector<int64_t> want;
    for (int64_t t : mat.oracle.times.at(id))
      if (t > from) want.push_back(t);
    EXPECT_EQ(got[id], want) << "stream " << id;
  }

  // Steps from a seek: each moves the common clock to the next frame time of any stream.
  ASSERT_TRUE(seek_and_wait(m, kT0 + 4000, kPatience));
  for (int i = 0; i < 10; i++) {
    const uint64_t presented = state_of(m).presented;
    ASSERT_EQ(valkka_manager_step(m), 0);
    ASSERT_TRUE(wait_state(
        m, [&](const valkka_manager_state_t &st) { return st.presented > presented; }, kPatience))
        << "step " << i;
  }

  const valkka_manager_state_t st = state_of(m);
  EXPECT_EQ(st.decode_errors, 0u);
  EXPECT_FALSE(c.bad_picture());
  valkka_manager_destroy(m);
  EXPECT_EQ(fc_stream_busy_collisions(), before) << "a decoder was entered by two threads";
}
