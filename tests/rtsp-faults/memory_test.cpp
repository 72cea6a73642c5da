/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Memory over a fault campaign, in a child process (rtsp_fault_recorder) so that its own memory
// is measured: a camera behind the fault proxy is cut mid-frame, stalled, sent garbage and taken
// down in turn, fault after fault, beside a synthetic camera. The child's resident memory after
// the last fault is within a small margin of what it was after the first rotation of faults (a
// leak per reconnect would show), it exits cleanly (under ASan, LeakSanitizer finds nothing), and
// the synthetic camera's recording has no gap. VALKKA_FAULT_CYCLES sets the number of faults
// (default 16; bench/rtsp-faults runs more) and the test prints its figures on one line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "fault_checks.h"
#include "media_support.h"
#include "rtsp_proxy.h"
#include "rtsp_test_util.h"

#ifndef VALKKA_FAULT_RECORDER
#error "VALKKA_FAULT_RECORDER must be defined as the path of rtsp_fault_recorder"
#endif

using namespace std::chrono_literals;

namespace {

std::string read_file(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The child: its stdin is ours to close, its output goes to files. Always reaped.
class Child {
 public:
  Child(const std::vector<std::string> &args, const std::string &out, const std::string &err)
      : out_(out) {
    std::vector<char *> argv;
    std::vector<std::string> copy = args;
    for (std::string &a : copy) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    int in[2];
    if (pipe2(in, O_CLOEXEC) != 0) return;
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    pid_ = o >= 0 && e >= 0 ? fork() : -1;
    if (pid_ == 0) {
      if (dup2(in[0], 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(126);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(in[0]);
    stdin_ = in[1];
    if (o >= 0) close(o);
    if (e >= 0) close(e);
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdin_ >= 0) close(stdin_);
  }
  pid_t pid() const { return pid_; }
  // "status 0 streaming" lines so far.
  size_t count(const std::string &line) const {
    std::string text = read_file(out_);
    size_t n = 0;
    for (size_t at = 0; (at = text.find(line + " ", at)) != std::string::npos; at++) n++;
    return n;
  }
  // The state of the last "status SLOT ..." line, "" before one.
  std::string last_state(int slot) const {
    std::string text = read_file(out_), key = "status " + std::to_string(slot) + " ";
    size_t at = text.rfind(key);
    if (at == std::string::npos) return "";
    at += key.size();
    return text.substr(at, text.find(' ', at) - at);
  }
  // Closes stdin (the child stops and exits) and waits, at most `limit`; its exit code or -1.
  int finish(std::chrono::seconds limit) {
    close(stdin_);
    stdin_ = -1;
    int status = 0;
    for (auto end = std::chrono::steady_clock::now() + limit;
         std::chrono::steady_clock::now() < end;) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

 private:
  std::string out_;
  pid_t pid_ = -1;
  int stdin_ = -1;
};

bool wait_until(const std::function<bool()> &ready, std::chrono::seconds limit) {
  for (auto end = std::chrono::steady_clock::now() + limit;
       std::chrono::steady_clock::now() < end;) {
    if (ready()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return ready();
}

const char kNotRtsp[] = "\x00\xff\x13\x37 GARBAGE, NOT RTSP\r\n\r\n";

TEST(RtspFaultMemory, ChildRecorderDoesNotGrowOverFaults) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  RtspProxy proxy(server->port());
  ASSERT_TRUE(proxy.ok());
  const int faults = faults::env_count("VALKKA_FAULT_CYCLES", 16);
  media_test::TempDir tmp;
  const std::string fs = tmp.path() + "/fs", out = tmp.path() + "/out", err = tmp.path() + "/err";
  // Room for about 4 minutes of both cameras; a longer campaign wraps, as a recorder does.
  Child child({VALKKA_FAULT_RECORDER, fs, "256", proxy.url("/cam4"), "synthetic://4"}, out, err);
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(wait_until(
      [&] { return child.count("status 0 streaming") && child.count("status 1 streaming"); }, 30s))
      << read_file(out) << read_file(err);

  long rss_first = 0, rss_warm = 0;
  auto start = std::chrono::steady_clock::now();
  rss_first = faults::rss_kb(child.pid());
  for (int i = 0; i < faults; i++) {
    SCOPED_TRACE("fault " + std::to_string(i));
    const size_t streaming = child.count("status 0 streaming");
    const size_t failures = child.count("status 0 reconnecting");
    switch (i % 4) {
      case 0: proxy.reset_mid_frame(); break;
      case 1:
        proxy.stall(true);
        ASSERT_TRUE(
            wait_until([&] { return child.count("status 0 reconnecting") > failures; }, 15s));
        std::this_thread::sleep_for(2500ms);
        proxy.stall(false);
        break;
      case 2:
        // The kinds of garbage of the campaign test in turn; skipped, or the session is made anew.
        proxy.inject_garbage((i / 4) % 2
                                 ? std::string("$\x00\xff\xff", 4) + std::string(600, '\xa5')
                                 : std::string(kNotRtsp, sizeof kNotRtsp - 1));
        std::this_thread::sleep_for(1500ms);
        break;
      case 3:
        proxy.set_down(true);
        std::this_thread::sleep_for(1500ms);
        proxy.set_down(false);
        break;
    }
    ASSERT_TRUE(wait_until(
        [&] {
          return child.last_state(0) == "streaming" &&
                 (i % 4 == 2 || child.count("status 0 streaming") > streaming);
        },
        30s))
        << read_file(out);
    if (i == 3) rss_warm = faults::rss_kb(child.pid());
  }
  std::this_thread::sleep_for(1s);
  const long rss_last = faults::rss_kb(child.pid());
  const double minutes =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
  const size_t sessions = child.count("status 0 streaming");
  EXPECT_EQ(child.finish(60s), 0) << read_file(err);
  EXPECT_EQ(read_file(err).find("LeakSanitizer"), std::string::npos) << read_file(err);

  valkka_plugins_load();
  valkka_fs_t *handle = nullptr;
  ASSERT_EQ(valkka_fs_open(fs.c_str(), nullptr, &handle), 0) << valkka_last_error();
  std::vector<rtsp_test::Record> records = rtsp_test::read_all(handle);
  valkka_fs_close(handle);
  faults::Coverage synthetic = faults::coverage(records, 2), camera = faults::coverage(records, 1);
  printf("memory campaign: faults=%d sessions=%zu minutes=%.1f rss_first_kb=%ld rss_warm_kb=%ld "
         "rss_last_kb=%ld synthetic: %s; faulty: %s\n",
         faults, sessions, minutes, rss_first, rss_warm, rss_last,
         faults::describe(synthetic).c_str(), faults::describe(camera).c_str());
  EXPECT_TRUE(faults::recorded_without_gap(synthetic, 50));
  EXPECT_TRUE(camera.ordered);
  EXPECT_GE(camera.frames, 50u) << "the faulty camera recorded between its faults";
  if (!faults::sanitized()) {
    // A few MB for the allocator's own ups and downs; a leak of a session's buffers (hundreds of
    // kB each) times the sessions after the warm-up would be far more.
    EXPECT_LT(rss_last - rss_warm, 3072) << "kB grown over " << faults - 4 << " faults";
  }
}

}  // namespace
