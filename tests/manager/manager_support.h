/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Shared pieces of the manager tests: synthetic clips (the source-synthetic plugin at realtime=0),
// recordings written with valkka_fs_append, the frame oracle, and thread-safe collectors for
// the manager's callbacks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <valkka/valkka.h>

#include "synthetic_clip.h"

namespace mgr_test {

using clip_test::Clip;
using clip_test::mean_y;

// Encodes camera `camera`'s clip through source-synthetic (realtime=0): `frames` frames with a
// keyframe every `gop`. Fails the test when the plugin is missing.
Clip make_clip(uint32_t camera, int gop, int frames, int width = 192, int height = 108,
               const char *codec = "h264");

// A stream to record: frame k has mstime t0 + k * interval_ms and is clip.packets[k % n].
struct StreamSpec {
  uint32_t id;
  const Clip *clip;
  int64_t t0;
  int interval_ms;
  size_t count;
};

// What a recording holds per stream id: the frames' times and keyframe flags, in order.
struct Oracle {
  std::map<uint32_t, std::vector<int64_t>> times;
  std::map<uint32_t, std::vector<bool>> keys;
  // The last frame of `id` with mstime <= t that has a keyframe at or before it; 0 when none.
  int64_t frame_at(uint32_t id, int64_t t) const;
  int64_t first() const;
  int64_t last() const;
};

// Appends the streams interleaved in time order (each stream's CONFIG first) with
// valkka_fs_append; adds what it wrote to `oracle`.
void record(valkka_fs_t *fs, const std::vector<StreamSpec> &streams, Oracle *oracle);

int create_fs(const std::string &dir, uint32_t kind, uint32_t block_size, uint32_t n_blocks);
valkka_fs_t *open_fs(const std::string &dir, bool readonly = false);

// mkdtemp under $TMPDIR; removed with everything in it by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  std::string sub(const std::string &name) const { return path_ + "/" + name; }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// A presented picture as a test keeps it, with the heartbeat value last seen before it.
struct Shown {
  uint32_t slot, stream_id, flags, width, height;
  int64_t mstime;
  int64_t heartbeat;  // last heartbeat mstime before this picture (0: none)
  double mean_y;      // mean of the luma plane: tells pictures apart
  uint64_t hash;      // clip_test::picture_hash: tells them apart exactly
};

// The mean luma of every frame of `clip`, decoded in order from its start with codec-ffmpeg: what
// a correctly decoded picture of clip frame k shows.
std::vector<double> reference_means(const Clip &clip);
// The picture_hash of every frame of `clip`, decoded likewise.
std::vector<uint64_t> reference_hashes(const Clip &clip);

// Reads the video file `path` through source-file (clip_test::read_file); fails the test when
// that fails.
Clip read_clip_file(const std::string &path);

// Collects the manager's callbacks. Pass `this` as user; Output::sink for map().
class Collector {
 public:
  static int output(void *user, const valkka_frame_t *frame);
  static void time(void *user, int64_t mstime);
  static void limits(void *user, int64_t first_ms, int64_t last_ms);
  static void block(void *user, valkka_fs_t *fs, const valkka_fs_block_event_t *event);

  std::vector<Shown> shown();
  std::vector<int64_t> heartbeats();
  std::vector<std::pair<int64_t, int64_t>> limit_values();
  std::vector<valkka_fs_block_event_t> blocks();
  void clear();
  bool wait_for(const std::function<bool()> &ready, std::chrono::milliseconds timeout);
  bool bad_picture() {
    std::lock_guard<std::mutex> g(lock_);
    return bad_picture_;
  }

 private:
  std::mutex lock_;
  std::condition_variable changed_;
  std::vector<Shown> shown_;
  std::vector<int64_t> heartbeats_;
  std::vector<std::pair<int64_t, int64_t>> limits_;
  std::vector<valkka_fs_block_event_t> blocks_;
  int64_t last_heartbeat_ = 0;
  bool bad_picture_ = false;
};

// The shared test recording: FS "multi" (MultiFS: streams 1, 2, 3) and FS "single" (SingleFS:
// stream 4), 192x108 at 25 fps (40 ms apart), about 12 s from kT0, GOPs 25, 20, 15 and 30 frames,
// starts offset so keyframes never line up. Clips are kept for reference decoding.
constexpr int64_t kT0 = 1700000000000;
struct FourStreams {
  TempDir tmp;
  Clip clips[4];
  Oracle oracle;
  std::string multi, single;
};
void make_four_streams(FourStreams &m);

// A manager with `workers` decoder workers (0: the default) and otherwise default params; fails
// the test and returns NULL when it cannot be created.
valkka_manager_t *create_manager(uint32_t workers, uint32_t window_blocks = 0);

valkka_manager_state_t state_of(valkka_manager_t *m);
// Seeks and waits until the seek completed (its frames presented). False on timeout.
bool seek_and_wait(valkka_manager_t *m, int64_t t,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
// Waits until `ready(state)` holds, polling every 2 ms. False on timeout.
bool wait_state(valkka_manager_t *m,
                const std::function<bool(const valkka_manager_state_t &)> &ready,
                std::chrono::milliseconds timeout);

}  // namespace mgr_test
