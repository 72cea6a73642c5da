/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rtsp_proxy.h"

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace {

// A poll round lasts at most this long, so a command (or the destructor) is seen quickly even
// if its wake-up were lost.
constexpr int kPollMs = 50;
// Per direction: beyond this much unsent data the proxy stops reading that side (backpressure),
// as TCP would.
constexpr size_t kMaxBuffered = 1 << 20;
// An RTSP message header longer than this is not RTSP: it is passed on as raw bytes.
constexpr size_t kMaxHeader = 64 * 1024;
constexpr size_t kReadChunk = 64 * 1024;

void set_nonblocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void set_nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Closes with RST rather than FIN: SO_LINGER with a zero timeout drops unsent data and resets.
void close_reset(int fd) {
  if (fd < 0) return;
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

uint32_t be32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

void put_be32(uint8_t *p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

// The Content-Length of an RTSP message header (0 when it has none or a bad one).
size_t content_length(const std::string &header) {
  static const char key[] = "\r\ncontent-length:";
  std::string lower = header;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  const size_t at = lower.find(key);
  if (at == std::string::npos) return 0;
  const unsigned long n = std::strtoul(header.c_str() + at + sizeof key - 1, nullptr, 10);
  return n > kMaxBuffered ? 0 : n;
}

}  // namespace

struct RtspProxy::Conn {
  int client = -1;
  int server = -1;
  std::string to_server;    // from the client, not yet sent on
  std::string from_server;  // from the server, not yet a whole message or frame
  std::string to_client;    // whole messages and frames for the client
  bool streaming = false;   // an interleaved frame went by: the session is playing
  bool reset_due = false;
  std::string garbage_due;
  bool sr_seen = false;  // with sr_first: frames are held until a sender report went out
  std::string held;
  bool dead = false;
};

RtspProxy::RtspProxy(int target_port, int port) : target_port_(target_port) {
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0 || !listen_on(port)) return;
  thread_ = std::thread([this] { run(); });
}

RtspProxy::~RtspProxy() {
  stop_ = true;
  wake();
  if (thread_.joinable()) thread_.join();
  for (Conn *c : conns_) {
    close_conn(*c, false);
    delete c;
  }
  if (listen_fd_ >= 0) close(listen_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

bool RtspProxy::listen_on(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return false;
  // The port comes back after set_down(false) even with connections of before in TIME_WAIT.
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
    close(fd);
    return false;
  }
  listen_fd_ = fd;
  port_ = ntohs(addr.sin_port);
  return true;
}

std::string RtspProxy::url(const std::string &mount, const std::string &userinfo) const {
  const bool slash = !mount.empty() && mount.front() == '/';
  return "rtsp://" + (userinfo.empty() ? "" : userinfo + "@") +
         "127.0.0.1:" + std::to_string(port_) + (slash ? "" : "/") + mount;
}

void RtspProxy::wake() {
  if (wake_fd_ < 0) return;
  const uint64_t one = 1;
  const ssize_t n = write(wake_fd_, &one, sizeof one);
  (void)n;  // a full counter already wakes the thread
}

void RtspProxy::stall(bool on) {
  std::lock_guard<std::mutex> guard(lock_);
  stalled_ = on;
  wake();
}

void RtspProxy::reset_mid_frame() {
  std::lock_guard<std::mutex> guard(lock_);
  for (Conn *c : conns_) c->reset_due = true;
  wake();
}

void RtspProxy::inject_garbage(const std::string &bytes) {
  std::lock_guard<std::mutex> guard(lock_);
  for (Conn *c : conns_) c->garbage_due = bytes;
  wake();
}

void RtspProxy::set_down(bool down) {
  std::lock_guard<std::mutex> guard(lock_);
  down_ = down;
  wake();
}

void RtspProxy::set_ntp_offset_ms(int64_t offset_ms) {
  std::lock_guard<std::mutex> guard(lock_);
  ntp_offset_ms_ = offset_ms;
}

void RtspProxy::sr_first(bool on) {
  std::lock_guard<std::mutex> guard(lock_);
  sr_first_ = on;
}

void RtspProxy::set_rtp_offset(uint32_t ticks) {
  std::lock_guard<std::mutex> guard(lock_);
  rtp_offset_ = ticks;
}

RtspProxy::Counters RtspProxy::counters() {
  std::lock_guard<std::mutex> guard(lock_);
  Counters c = counters_;
  c.open = static_cast<uint64_t>(
      std::count_if(conns_.begin(), conns_.end(), [](const Conn *x) { return !x->dead; }));
  return c;
}

void RtspProxy::run() {
  while (!stop_) poll_once();
}

void RtspProxy::poll_once() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Conn *, bool>> owners;  // (connection, is the client side)
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (down_ && !down_applied_) {
      for (Conn *c : conns_) close_conn(*c, true);
      if (listen_fd_ >= 0) close(listen_fd_);
      listen_fd_ = -1;
      down_applied_ = true;
    } else if (!down_ && down_applied_) {
      down_applied_ = !listen_on(port_);  // tried again next round if the port is taken
    }
    fds.push_back({wake_fd_, POLLIN, 0});
    owners.push_back({nullptr, false});
    if (listen_fd_ >= 0) {
      fds.push_back({listen_fd_, POLLIN, 0});
      owners.push_back({nullptr, true});
    }
    for (Conn *c : conns_) {
      // Stalled: not even a hang-up is looked at (poll would report one at once, forever).
      if (c->dead || stalled_) continue;
      short cev = 0, sev = 0;
      if (c->to_server.size() < kMaxBuffered) cev |= POLLIN;
      if (!c->to_client.empty()) cev |= POLLOUT;
      if (c->to_client.size() < kMaxBuffered) sev |= POLLIN;
      if (!c->to_server.empty()) sev |= POLLOUT;
      fds.push_back({c->client, cev, 0});
      owners.push_back({c, true});
      fds.push_back({c->server, sev, 0});
      owners.push_back({c, false});
    }
  }
  if (poll(fds.data(), fds.size(), kPollMs) <= 0) return;
  std::lock_guard<std::mutex> guard(lock_);
  for (size_t i = 0; i < fds.size(); i++) {
    const short ev = fds[i].revents;
    if (!ev) continue;
    Conn *c = owners[i].first;
    if (!c) {
      if (fds[i].fd == wake_fd_) {
        uint64_t n;
        const ssize_t got = read(wake_fd_, &n, sizeof n);
        (void)got;
      } else if (fds[i].fd == listen_fd_) {
        accept_one();
      }
      continue;
    }
    if (c->dead) continue;
    const bool client = owners[i].second;
    if (stalled_) continue;  // stalled while we polled
    if (ev & POLLOUT) flush(*c, client);
    if (!c->dead && (ev & (POLLIN | POLLHUP | POLLERR))) pump(*c, client);
  }
  conns_.erase(std::remove_if(conns_.begin(), conns_.end(),
                              [](Conn *c) {
                                if (!c->dead) return false;
                                delete c;
                                return true;
                              }),
               conns_.end());
}

void RtspProxy::accept_one() {
  const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client < 0) return;
  counters_.accepted++;
  const int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(target_port_));
  // Loopback: a connect is answered at once, accepted or refused.
  if (server < 0 || connect(server, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
    if (server >= 0) close(server);
    close(client);  // the server is not there: the client sees its connection end
    return;
  }
  set_nonblocking(client);
  set_nonblocking(server);
  set_nodelay(client);
  set_nodelay(server);
  Conn *c = new Conn;
  c->client = client;
  c->server = server;
  conns_.push_back(c);
}

void RtspProxy::pump(Conn &c, bool from_client) {
  char buf[kReadChunk];
  const ssize_t n = recv(from_client ? c.client : c.server, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) {
    // One side went: the other follows, the way it went (a reset is passed on as a reset).
    close_conn(c, n < 0);
    return;
  }
  if (from_client) {
    c.to_server.append(buf, static_cast<size_t>(n));
    flush(c, false);
    return;
  }
  c.from_server.append(buf, static_cast<size_t>(n));
  parse_server_bytes(c);
  if (!c.dead) flush(c, true);
}

void RtspProxy::parse_server_bytes(Conn &c) {
  while (!c.dead && !c.from_server.empty()) {
    const std::string &in = c.from_server;
    const bool frame = in[0] == '$';
    size_t unit;
    if (frame) {
      if (in.size() < 4) return;
      unit = 4 + (size_t(uint8_t(in[2])) << 8 | uint8_t(in[3]));
    } else {
      const size_t end = in.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (in.size() <= kMaxHeader) return;
        unit = in.size();  // not RTSP: passed on as it is
      } else {
        unit = end + 4 + content_length(in.substr(0, end + 2));
      }
    }
    if (in.size() < unit) return;
    std::string u = in.substr(0, unit);
    c.from_server.erase(0, unit);
    if (frame) {
      c.streaming = true;
      const bool report = rewrite(u);
      if (sr_first_ && !c.sr_seen) {
        // RTP waits for the session's first sender report (up to a bound), then follows it.
        if (!report && c.held.size() < kMaxBuffered) {
          c.held += u;
          continue;
        }
        c.sr_seen = true;
        u += c.held;
        c.held.clear();
      }
      if (c.reset_due && u.size() > 5) {
        flush(c, true);
        if (c.dead) return;
        if (c.to_client.empty()) {
          cut(c, u);
          return;
        }
        // The client is behind: the cut waits for a frame that can go out at once.
      }
    }
    c.to_client += u;
    if (c.streaming && !c.garbage_due.empty()) {
      c.to_client += c.garbage_due;
      c.garbage_due.clear();
      counters_.garbage++;
    }
  }
}

bool RtspProxy::rewrite(std::string &u) {
  auto *p = reinterpret_cast<uint8_t *>(&u[4]);
  const size_t len = u.size() - 4;
  const bool rtcp = (uint8_t(u[1]) & 1) != 0;
  if (!rtcp) {
    if (len < 12 || (p[0] >> 6) != 2) return false;
    counters_.rtp++;
    if (rtp_offset_) put_be32(p + 4, be32(p + 4) + rtp_offset_);
    return false;
  }
  bool report = false;
  // A compound RTCP packet: every sender report in it.
  for (size_t off = 0; off + 4 <= len;) {
    const uint8_t *q = p + off;
    if ((q[0] >> 6) != 2) return report;
    const size_t plen = (size_t(q[2] << 8 | q[3]) + 1) * 4;
    if (q[1] == 200 && off + 20 <= len) {
      report = true;
      counters_.sender_reports++;
      uint8_t *sr = p + off;
      if (ntp_offset_ms_) {
        // NTP time is 32.32 fixed point seconds.
        uint64_t ntp = uint64_t(be32(sr + 8)) << 32 | be32(sr + 12);
        ntp += static_cast<uint64_t>((ntp_offset_ms_ * (int64_t(1) << 32)) / 1000);
        put_be32(sr + 8, uint32_t(ntp >> 32));
        put_be32(sr + 12, uint32_t(ntp));
      }
      if (rtp_offset_) put_be32(sr + 16, be32(sr + 16) + rtp_offset_);
    }
    off += plen;
  }
  return report;
}

void RtspProxy::flush(Conn &c, bool to_client) {
  std::string &out = to_client ? c.to_client : c.to_server;
  while (!c.dead && !out.empty()) {
    const int fd = to_client ? c.client : c.server;
    const ssize_t n = send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      close_conn(c, true);
      return;
    }
    out.erase(0, static_cast<size_t>(n));
  }
}

void RtspProxy::cut(Conn &c, const std::string &frame) {
  // The header and part of the payload, never all of it: the client is left mid-frame.
  const size_t first = std::max<size_t>(5, frame.size() / 2);
  const ssize_t n = send(c.client, frame.data(), first, MSG_NOSIGNAL);
  (void)n;  // whatever went out, the connection ends now
  c.reset_due = false;
  counters_.resets++;
  close_conn(c, true);
}

void RtspProxy::close_conn(Conn &c, bool reset) {
  if (c.dead) return;
  c.dead = true;
  if (reset) {
    close_reset(c.client);
    close_reset(c.server);
  } else {
    close(c.client);
    close(c.server);
  }
  c.client = c.server = -1;
}
