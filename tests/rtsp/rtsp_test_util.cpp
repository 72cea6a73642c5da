/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rtsp_test_util.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace rtsp_test {

std::unique_ptr<RtspServerProcess> start_server(std::vector<std::string> args) {
  // The server ends itself after 10 minutes in case a test forgets it; bench/rtsp-faults runs
  // campaigns longer than that and says how long in VALKKA_TEST_SERVER_SECONDS.
  const char *seconds = getenv("VALKKA_TEST_SERVER_SECONDS");
  if (seconds && *seconds && std::find(args.begin(), args.end(), "--max-seconds") == args.end()) {
    args.push_back("--max-seconds");
    args.push_back(seconds);
  }
  auto server = std::make_unique<RtspServerProcess>(std::move(args));
  std::string err;
  if (!server->start(&err)) {
    ADD_FAILURE() << "RTSP test server: " << err;
    return nullptr;
  }
  return server;
}

static int loopback_socket(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

int refused_port() {
  int port = 0;
  int fd = loopback_socket(&port);
  if (fd >= 0) close(fd);
  return port;
}

RefusingPort::RefusingPort() {
  fd_ = loopback_socket(&port_);
  if (fd_ < 0) ADD_FAILURE() << "refusing port: cannot bind on loopback";
}

RefusingPort::~RefusingPort() {
  if (fd_ >= 0) close(fd_);
}

std::string RefusingPort::url(const std::string &path) const {
  return "rtsp://127.0.0.1:" + std::to_string(port_) + path;
}

FakeCamera::FakeCamera(Mode mode) : mode_(mode) {
  listen_fd_ = loopback_socket(&port_);
  if (listen_fd_ < 0 || listen(listen_fd_, 16) != 0) {
    ADD_FAILURE() << "fake camera: cannot listen on loopback";
    return;
  }
  thread_ = std::thread([this] { serve(); });
}

FakeCamera::~FakeCamera() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (int fd : open_fds_) close(fd);
  if (listen_fd_ >= 0) close(listen_fd_);
}

std::string FakeCamera::url(const std::string &path) const {
  return "rtsp://127.0.0.1:" + std::to_string(port_) + path;
}

void FakeCamera::serve() {
  // Not RTSP: a NUL, binary bytes and a line that is no status line, then the connection ends.
  static const char garbage[] = "\x00\xff\x13\x37 GARBAGE, NOT RTSP\r\n\x01\x02\x03\r\n\r\n";
  while (!stop_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    accepted_++;
    if (mode_ == Mode::Silent) {
      open_fds_.push_back(fd);
      continue;
    }
    // Waits (briefly) for the client's request, so the answer is read rather than reset.
    pollfd request{fd, POLLIN, 0};
    char buf[2048];
    ssize_t got = poll(&request, 1, 1000) > 0 ? read(fd, buf, sizeof buf) : 0;
    ssize_t sent = write(fd, garbage, sizeof garbage - 1);
    (void)got;  // garbage goes out whatever the client sent, and whether or not it still listens
    (void)sent;
    close(fd);
  }
}

LogCapture::LogCapture() : level_(valkka_log_get_level()) {
  valkka_log_set_callback(on_log, this);
  valkka_log_set_level(VALKKA_LOG_DEBUG);
}

LogCapture::~LogCapture() {
  valkka_log_set_level(level_);
  valkka_log_set_callback(nullptr, nullptr);
}

void LogCapture::on_log(void *user, valkka_log_level_t, const char *module, const char *message) {
  auto *self = static_cast<LogCapture *>(user);
  std::lock_guard<std::mutex> guard(self->lock_);
  self->messages_.push_back(std::string(module) + ": " + message);
}

std::string LogCapture::text() {
  std::lock_guard<std::mutex> guard(lock_);
  std::string all;
  for (const std::string &m : messages_) all += m + "\n";
  return all;
}

int LogCapture::count(const std::string &needle) {
  std::lock_guard<std::mutex> guard(lock_);
  return int(std::count_if(messages_.begin(), messages_.end(), [&](const std::string &m) {
    return m.find(needle) != std::string::npos;
  }));
}

namespace {
struct BlockReader {
  uint32_t block;
  std::vector<Record> *out;
};

int collect(void *user, const valkka_frame_t *f) {
  auto *r = static_cast<BlockReader *>(user);
  r->out->push_back(Record{r->block, f->stream_id, f->kind, f->codec, f->flags, f->mstime,
                           std::vector<uint8_t>(f->data, f->data + f->size)});
  return 0;
}
}  // namespace

std::vector<Record> read_all(valkka_fs_t *fs) {
  std::vector<Record> out;
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  if (valkka_fs_get_info(fs, &info) != 0) {
    ADD_FAILURE() << valkka_last_error();
    return out;
  }
  std::vector<valkka_fs_block_t> table(info.n_blocks);
  if (table.empty()) return out;
  table[0].struct_size = sizeof(valkka_fs_block_t);
  int n = valkka_fs_read_table(fs, table.data(), uint32_t(table.size()));
  if (n < 0) {
    ADD_FAILURE() << valkka_last_error();
    return out;
  }
  std::vector<valkka_fs_block_t> used;
  for (int i = 0; i < n && size_t(i) < table.size(); i++)
    if (!(table[i].flags & VALKKA_FS_BLOCK_VOID)) used.push_back(table[i]);
  std::sort(used.begin(), used.end(),
            [](const valkka_fs_block_t &a, const valkka_fs_block_t &b) { return a.seq < b.seq; });
  for (const valkka_fs_block_t &b : used) {
    BlockReader reader{b.index, &out};
    int got = valkka_fs_read_block(fs, b.index, collect, &reader);
    if (got < 0) ADD_FAILURE() << "block " << b.index << ": " << valkka_last_error();
  }
  return out;
}

}  // namespace rtsp_test
