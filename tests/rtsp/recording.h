/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A recording rig for the RTSP tests: a MultiFS in a temp dir with its writer thread, a live
// object whose cameras record into it through valkka_fs_sink, and a tap in front of the sink that
// remembers what the FS accepted, so the test can check that nothing accepted was lost.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <valkka/valkka.h>

#include "live_recorder.h"
#include "media_support.h"
#include "rtsp_test_util.h"

namespace rtsp_test {

// What the FS accepted from one camera, in order.
struct Accepted {
  uint64_t configs = 0, encoded = 0;
  std::vector<int64_t> encoded_times;
  std::vector<int64_t> encoded_arrivals;  // our wall clock as each of them reached the sink
  int64_t last_arrival_ms = 0;            // our wall clock when the last frame reached the sink
  std::vector<uint8_t> config;            // the last video configuration
  // The video configuration in force at each video keyframe: what the FS writes before it.
  std::vector<std::vector<uint8_t>> keyframe_configs;
};

class RecordingRig {
 public:
  // A MultiFS of 32 MiB (no wrap within a test) in blocks of `block_size` bytes.
  explicit RecordingRig(valkka_live_config_t config = {}, uint32_t block_size = 256 * 1024);
  ~RecordingRig();
  RecordingRig(const RecordingRig &) = delete;
  RecordingRig &operator=(const RecordingRig &) = delete;
  bool ok() const { return fs_ && live_; }

  // Adds a camera recording as on-disk stream `slot + 1`.
  int add_camera(uint32_t slot, const std::string &url,
                 std::vector<std::pair<std::string, std::string>> options = {});
  Recorder &recorder() { return recorder_; }
  valkka_live_t *live() { return live_; }
  Accepted accepted(uint32_t slot);

  // Stops the cameras and the writer; the FS stays open for reading.
  void stop();
  // Every record, blocks in write order (call after stop()).
  std::vector<Record> records() { return read_all(fs_); }

 private:
  struct Tap {
    RecordingRig *rig;
    uint32_t slot;
  };
  static int sink(void *user, const valkka_frame_t *frame);
  media_test::TempDir dir_;
  valkka_fs_t *fs_ = nullptr;
  valkka_live_t *live_ = nullptr;
  Recorder recorder_;
  std::mutex lock_;
  std::map<uint32_t, Accepted> accepted_;
  std::map<uint32_t, std::unique_ptr<Tap>> taps_;
};

}  // namespace rtsp_test
