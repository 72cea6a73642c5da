/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Shared pieces of the RTSP tests: the GStreamer test server, loopback fakes of broken cameras,
// a refused port, a log capture, and a ValkkaFS read back frame by frame.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <valkka/valkka.h>

#include "rtsp_server_process.h"

namespace rtsp_test {

// Starts valkka-test-rtsp-server with `args`; nullptr (and a test failure) when it does not start.
// VALKKA_TEST_SERVER_SECONDS, when set, is the server's --max-seconds (its default is 600).
std::unique_ptr<RtspServerProcess> start_server(std::vector<std::string> args = {});

// A loopback TCP server playing a broken camera: it accepts connections and then either says
// nothing (kept open until it is destroyed) or answers garbage bytes and hangs up. One thread,
// polling every 50 ms; the destructor stops and joins it and closes every socket.
class FakeCamera {
 public:
  enum class Mode { Silent, Garbage };
  explicit FakeCamera(Mode mode);
  ~FakeCamera();
  FakeCamera(const FakeCamera &) = delete;
  FakeCamera &operator=(const FakeCamera &) = delete;
  std::string url(const std::string &path = "/cam") const;
  int accepted() const { return accepted_.load(); }

 private:
  void serve();
  Mode mode_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::vector<int> open_fds_;
  std::thread thread_;
};

// A loopback port nothing listens on (bound, then closed).
int refused_port();

// A loopback port bound and held but never listened on: every connection to it is refused for as
// long as this lives, and no other process can take the port meanwhile, as it could one that
// refused_port() gave up.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort &) = delete;
  RefusingPort &operator=(const RefusingPort &) = delete;
  std::string url(const std::string &path = "/cam") const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Collects every log message (at debug level) while alive; restores the logger after.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  std::string text();
  // Messages containing `needle`.
  int count(const std::string &needle);

 private:
  static void on_log(void *user, valkka_log_level_t level, const char *module, const char *message);
  std::mutex lock_;
  std::vector<std::string> messages_;
  valkka_log_level_t level_;
};

// One record of a ValkkaFS as read back.
struct Record {
  uint32_t block, stream_id, kind, codec, flags;
  int64_t mstime;
  std::vector<uint8_t> payload;
};

// Every valid record of `fs`, blocks in write order (by sequence number), records in block order.
std::vector<Record> read_all(valkka_fs_t *fs);

}  // namespace rtsp_test
