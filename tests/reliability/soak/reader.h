/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The soak's viewer: a thread that seeks the playback manager to random times of the recording
// and plays a little from there (as fast as decoding goes, at 16x, or a few single steps), or
// follows the recording at its newest frame, while the recording goes on and wraps under it;
// now and then it stops playback (the cache dropped) or unmaps a camera and maps it again (a
// wall changing layout). Every picture the manager presents is checked: a
// frame of the schedule, not newer than what was fed, and the picture a correct decode of that
// clip frame gives (its mean luma).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <valkka/valkka.h>

#include "clips.h"
#include "schedule.h"

namespace soak {

struct ReaderStats {
  uint64_t seeks = 0;             // seeks asked
  uint64_t seeks_done = 0;        // seeks the manager completed
  uint64_t plays = 0;             // stretches of playing or stepping after a seek
  uint64_t follows = 0;           // of those, playing from the newest frame on
  uint64_t oldest = 0;            // of those, playing from the oldest data (overwritten meanwhile)
  uint64_t stops = 0;             // playback stopped (cache dropped)
  uint64_t remaps = 0;            // a camera unmapped and mapped again
  uint64_t pictures = 0;          // pictures presented
  uint64_t pictures_checked = 0;  // of those, compared with the reference picture
  uint64_t bad_pictures = 0;      // not a frame fed, or not its picture
  uint64_t decode_errors = 0;
  uint64_t stuck = 0;  // a seek or play that made no progress for the hang bound
  std::vector<std::string> problems;
};

class Reader {
 public:
  // Plays the cameras' streams (ids 1..cameras) of `fs`, mapped already for playback;
  // `follow_percent` of its seeks go to the newest frame, `oldest_percent` to the oldest 2%.
  Reader(valkka_manager_t *m, valkka_fs_t *fs, const Schedule &schedule,
         const std::vector<Clip> &clips, const std::atomic<int64_t> *newest_fed, uint64_t seed,
         uint32_t follow_percent, uint32_t oldest_percent);
  ~Reader();
  Reader(const Reader &) = delete;
  Reader &operator=(const Reader &) = delete;

  // The manager's output callback (valkka_manager_map), `user` the Reader.
  static int output(void *user, const valkka_frame_t *picture);

  void start();
  void stop();  // joins the thread
  ReaderStats stats();
  uint64_t seeks_done();

 private:
  void loop();
  bool wait(const char *what, uint64_t valkka_manager_state_t::*field, uint64_t beyond);
  void problem(const std::string &what);

  void remap();

  valkka_manager_t *m_;
  valkka_fs_t *fs_;
  const Schedule &schedule_;
  const std::vector<Clip> &clips_;
  const std::atomic<int64_t> *newest_fed_;
  std::mt19937_64 rng_;
  uint32_t follow_percent_;
  uint32_t oldest_percent_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex lock_;  // guards stats_
  ReaderStats stats_;
};

}  // namespace soak
