/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What a live test observes: frames per slot from the record sink, pictures from the decoded-frame
// callback, and status events, all collected thread-safely from the cameras' threads.
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

struct StatusEvent {
  uint32_t slot, state;
  int error;
  uint32_t attempt, retry_in_ms;
  std::string name, reason;
  // When the callback was entered: the gaps between events are what a camera's waits last.
  std::chrono::steady_clock::time_point at;
  // STREAMING: how the frames arrive ("tcp", "udp"); "" when the source does not say.
  std::string transport;
};

struct SlotCounts {
  uint64_t config = 0, encoded = 0, keyframes = 0, pictures = 0;
  uint32_t picture_width = 0, picture_height = 0, picture_slot = UINT32_MAX;
  int64_t last_mstime = 0;
  bool wrong_slot = false, time_went_back = false;
  uint64_t after_stop = 0;  // frames and pictures that came after stopped(slot) was called
};

class Recorder {
 public:
  // valkka callbacks; `user` is the Recorder.
  static int record_sink(void *user, const valkka_frame_t *frame);
  static int picture_sink(void *user, const valkka_frame_t *frame);
  static void status(void *user, const valkka_stream_status_t *status);

  // A camera's record sink argument: the recorder and the slot frames should carry.
  struct Tap {
    Recorder *recorder;
    uint32_t slot;
  };
  Tap *tap(uint32_t slot);

  SlotCounts counts(uint32_t slot);
  std::vector<StatusEvent> events(uint32_t slot);
  // Waits until `ready` holds (checked after every callback, at least every 50 ms) or the timeout.
  bool wait_for(const std::function<bool()> &ready, std::chrono::milliseconds timeout);
  // Last state reported for the slot, 0 when none.
  uint32_t state(uint32_t slot);
  // From now on the slot's camera (or its decoder) is stopped: whatever still reaches the sinks
  // for it is counted in after_stop.
  void stopped(uint32_t slot);

  // Run from the status callback of `slot` when set (its result recorded in hook_result).
  std::function<int(uint32_t slot)> status_hook;
  int hook_result = 0;

 private:
  std::mutex lock_;
  std::condition_variable changed_;
  std::map<uint32_t, SlotCounts> counts_;
  std::vector<StatusEvent> events_;
  std::map<uint32_t, Tap> taps_;
  std::map<uint32_t, bool> stopped_;
};

// Threads of this process named `name` (a camera's are vk-src-SLOT and vk-dec-SLOT).
size_t threads_named(const std::string &name);

// A valkka_camera_t with the options kept alive alongside.
struct CameraSpec {
  uint32_t slot;
  std::string name, url, source;
  std::vector<std::pair<std::string, std::string>> options;
  int add(valkka_live_t *live, Recorder &recorder) const;
};
