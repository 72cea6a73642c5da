/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A loopback TCP proxy between an RTSP client (the recorder) and an RTSP server (the GStreamer
// test server), for RTSP over TCP (interleaved RTP/RTCP). It forwards every byte and, on
// command, plays a faulty camera or network:
//
//   stall(true)          forwards nothing either way (connections stay open; new ones are
//                        accepted and held too), as a frozen camera or a cable pulled mid-stream
//   reset_mid_frame()    cuts every streaming connection in the middle of its next interleaved
//                        frame: half the frame goes out, then both sockets close with RST
//   inject_garbage(b)    after the next complete message of each streaming connection (a valid
//                        session so far), sends the bytes `b` to the client, then goes on
//   set_down(true)       resets every connection and stops listening: connections are refused,
//                        as a camera that is off; set_down(false) listens on the same port again
//   set_ntp_offset_ms(d) adds d ms to the NTP time of every RTCP sender report from now on: a
//                        camera whose clock was set back or forward
//   set_rtp_offset(t)    adds t ticks to every RTP timestamp (and to the RTP time of sender
//                        reports): a camera whose media clock jumps
//   sr_first(true)       holds a new session's RTP until its first sender report and sends the
//                        report first, as cameras that send one right after PLAY do: the client
//                        then knows the camera's clock from the first frame on
//
// The server-to-client stream is parsed into RTSP messages and interleaved frames ('$', channel,
// 16-bit length), so faults land where they are meant to; odd channels are taken as RTCP (the
// client's SETUP asks for interleaved=0-1). One thread polls every socket; every call is
// thread-safe and takes effect within one poll round (at most 50 ms). The destructor stops the
// thread and closes every socket.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class RtspProxy {
 public:
  struct Counters {
    uint64_t accepted = 0;        // client connections taken
    uint64_t resets = 0;          // connections cut mid-frame
    uint64_t garbage = 0;         // garbage injections sent
    uint64_t rtp = 0;             // RTP frames forwarded
    uint64_t sender_reports = 0;  // RTCP sender reports forwarded (rewritten or not)
    uint64_t open = 0;            // connections open now
  };

  // Forwards to 127.0.0.1:target_port. `port` 0 listens on any free loopback port.
  explicit RtspProxy(int target_port, int port = 0);
  ~RtspProxy();
  RtspProxy(const RtspProxy &) = delete;
  RtspProxy &operator=(const RtspProxy &) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  // rtsp://[userinfo@]127.0.0.1:PORT/mount
  std::string url(const std::string &mount, const std::string &userinfo = "") const;

  void stall(bool on);
  void reset_mid_frame();
  void inject_garbage(const std::string &bytes);
  void set_down(bool down);
  void set_ntp_offset_ms(int64_t offset_ms);
  void set_rtp_offset(uint32_t ticks);
  void sr_first(bool on);

  Counters counters();

 private:
  struct Conn;
  void run();
  void poll_once();
  void accept_one();
  void pump(Conn &c, bool from_client);
  void parse_server_bytes(Conn &c);
  bool rewrite(std::string &frame);  // true for RTCP holding a sender report
  void flush(Conn &c, bool to_client);
  void cut(Conn &c, const std::string &frame);
  void close_conn(Conn &c, bool reset);
  bool listen_on(int port);
  void wake();

  int target_port_;
  std::atomic<int> port_{0};  // written again by the proxy's thread when it listens anew
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;

  std::mutex lock_;  // guards everything below, and the connections' pending faults
  bool stalled_ = false;
  bool down_ = false;
  bool down_applied_ = false;
  int64_t ntp_offset_ms_ = 0;
  uint32_t rtp_offset_ = 0;
  bool sr_first_ = false;
  Counters counters_;
  std::vector<Conn *> conns_;
};
