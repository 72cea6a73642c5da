/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka record` as systemd runs it (valkka-record.service, Type=notify): the datagrams it sends
// to $NOTIFY_SOCKET (READY=1, STATUS=, WATCHDOG=1 while the writers move, those of an FS a
// reload opens too, STOPPING=1) read from a socket the test binds, --status-interval, and the writer count the watchdog reads
// (valkka_fs_info_t.writer_beats).
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <poll.h>

#include <string>
#include <vector>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

// A datagram socket bound where $NOTIFY_SOCKET says: a path, or "@name" in the abstract namespace.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string &name) : name_(name) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    name.copy(addr.sun_path, sizeof addr.sun_path - 1);
    if (name[0] == '@') addr.sun_path[0] = '\0';
    const socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() +
                                                 (name[0] == '@' ? 0 : 1));
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr *>(&addr), len) != 0)
      ADD_FAILURE() << "bind " << name << ": " << strerror(errno);
  }
  ~NotifySocket() {
    if (fd_ >= 0) close(fd_);
  }
  NotifySocket(const NotifySocket &) = delete;
  NotifySocket &operator=(const NotifySocket &) = delete;
  std::string env() const { return "NOTIFY_SOCKET=" + name_; }

  // The next datagram, waiting at most `timeout_ms`; "" when none came.
  std::string next(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return "";
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

  // Drops every datagram sent so far.
  void drain() {
    while (!next(0).empty()) {
    }
  }

  // Reads datagrams until one that starts with `prefix`, at most `timeout_ms` in all; every one
  // read goes to `seen`. True when it came.
  bool wait_for(const std::string &prefix, int timeout_ms, std::vector<std::string> *seen) {
    for (int waited = 0; waited < timeout_ms; waited += 100) {
      const std::string got = next(100);
      if (got.empty()) continue;
      seen->push_back(got);
      if (got.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
  }

 private:
  std::string name_;
  int fd_ = -1;
};

size_t count_of(const std::vector<std::string> &seen, const std::string &message) {
  size_t n = 0;
  for (const std::string &s : seen) n += s == message;
  return n;
}

bool wait_exists(const std::string &path, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 50) {
    if (access(path.c_str(), F_OK) == 0) return true;
    usleep(50000);
  }
  return false;
}

std::string joined(const std::vector<std::string> &seen) {
  std::string all;
  for (const std::string &s : seen) all += s + "\n";
  return all;
}

// READY=1 first (the FS open, both cameras added), then STATUS= with the status line, WATCHDOG=1
// at half of WATCHDOG_USEC; SIGTERM: STOPPING=1 and exit 0. --status-interval 0: stdout empty.
TEST(RecordService, NotifiesReadyStatusWatchdogStopping) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
  NotifySocket sock(tmp.sub("notify"));
  CliProcess p = cli_start({"record", "--fs", fs, "--synthetic", "2", "--status-interval", "0"},
                           tmp.sub("out.txt"), tmp.sub("err.txt"),
                           {sock.env(), "WATCHDOG_USEC=1000000"});
  ASSERT_GT(p.pid, 0);
  std::vector<std::string> seen;
  const bool ready = sock.wait_for("READY=1", 30000, &seen);
  std::vector<std::string> after, later;
  bool statuses = ready, watchdogs = ready;
  // Two status datagrams after READY (a second and more of recording), then two watchdog ones:
  // past the watchdog's first second, so they say the writer moves.
  for (int i = 0; i < 2 && statuses; i++) statuses = sock.wait_for("STATUS=", 10000, &after);
  while (watchdogs && count_of(later, "WATCHDOG=1") < 2)
    watchdogs = sock.wait_for("WATCHDOG=1", 10000, &later);
  if (ready) kill(p.pid, SIGTERM);
  std::vector<std::string> end;
  const bool stopping = ready && sock.wait_for("STOPPING=1", 30000, &end);
  const int status = cli_wait(p, 30000);
  const std::string err = read_text(p.err_path);
  ASSERT_TRUE(ready) << joined(seen) << err;
  EXPECT_EQ(seen.size(), 1u) << "before READY=1: " << joined(seen);
  EXPECT_TRUE(statuses) << joined(after) << err;
  EXPECT_TRUE(watchdogs) << joined(later) << err;
  EXPECT_TRUE(stopping) << joined(end) << err;
  EXPECT_EQ(status, 0) << err;
  EXPECT_EQ(read_text(p.out_path), "") << "--status-interval 0 printed status lines";
  // The datagram is the status line itself.
  std::vector<StatusLine> lines;
  for (const std::string &s : after)
    if (s.compare(0, 7, "STATUS=") == 0) lines.push_back(status_lines(s.substr(7)).at(0));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(status_value(lines.back(), "cams"), 2) << joined(after);
  EXPECT_GT(status_value(lines.back(), "frames"), 0) << joined(after);
}

// An abstract socket name ('@'), and a WATCHDOG_PID naming another process: READY=1 comes, and
// not a single WATCHDOG=1 (the watchdog is that other process's). The run ends by --duration.
TEST(RecordService, AbstractSocketAndAnotherProcessesWatchdog) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
  NotifySocket sock("@valkka-test-notify-" + std::to_string(getpid()));
  CliResult r = cli_run({"record", "--fs", fs, "--synthetic", "1", "--duration", "2"}, tmp.path(),
                        60000, {sock.env(), "WATCHDOG_USEC=200000", "WATCHDOG_PID=1"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> seen;
  for (std::string got = sock.next(0); !got.empty(); got = sock.next(0)) seen.push_back(got);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front(), "READY=1") << joined(seen);
  EXPECT_EQ(count_of(seen, "WATCHDOG=1"), 0u) << joined(seen);
  EXPECT_EQ(seen.back(), "STOPPING=1") << joined(seen);
  // The default --status-interval is 1: the terminal's lines as before.
  EXPECT_GE(status_lines(r.out).size(), 2u) << r.out;
}

// --status-interval 2: the lines on stdout fall on every second second of recording, and the
// last one when the run stops.
TEST(RecordService, StatusIntervalSpacesTheLines) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
  CliResult r = cli_run({"record", "--fs", fs, "--synthetic", "1", "--duration", "5",
                         "--status-interval", "2"},
                        tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = status_lines(r.out);
  ASSERT_GE(lines.size(), 2u) << r.out;
  for (size_t i = 0; i + 1 < lines.size(); i++)
    EXPECT_EQ(static_cast<int64_t>(status_value(lines[i], "t")) % 2, 0) << r.out;
  EXPECT_EQ(status_value(lines.back(), "t"), 5) << r.out;
  EXPECT_LE(lines.size(), 4u) << r.out;
}

// An FS on storage-faulty, whose data file's writes are held while the file `hold` exists.
struct HeldFs {
  std::string dir, hold, plugins;
  // What a recorder writing into it is run with: the plugins and the fault.
  std::vector<std::string> env() const {
    return {plugins, "VALKKA_FAULT=pwrite:after=10:file=/blocks:hold=" + hold};
  }
};

// Creates it as `name` in `tmp`, the hold file in place; a failure is added when it is not made.
HeldFs make_held_fs(const TempDir &tmp, const std::string &name) {
  const std::string faulty = faulty_plugin_path();
  HeldFs h{tmp.sub(name), tmp.sub(name + "-hold"),
           "VALKKA_PLUGIN_PATH=" + build_plugin_dir() + ":" + faulty.substr(0, faulty.rfind('/'))};
  CliResult made = cli_run({"fs", "create", h.dir, "--kind", "multi", "--block-size", "1M",
                            "--blocks", "16", "--backend", "storage-faulty"},
                           tmp.path(), 60000, {h.plugins});
  EXPECT_EQ(made.status, 0) << made.err;
  write_text(h.hold, "");
  return h;
}

// What the watchdog said while a HeldFs's writer was held and once it was released.
struct HeldWriter {
  bool stuck = false, statuses = false, moves = false;
  std::vector<std::string> while_stuck, released;
};

// When `go`: waits for the writer to be held and the watchdog's line naming its FS; drains what
// was sent before the line, then reads three STATUS= datagrams (two seconds and more, four
// watchdog periods) into while_stuck; removes the hold and waits for the line that the writer
// moves again and for a WATCHDOG=1.
HeldWriter hold_and_release(NotifySocket *sock, const std::string &err_path, const HeldFs &fs,
                            bool go) {
  HeldWriter r;
  r.stuck = go && wait_exists(fs.hold + ".held", 30000) &&
            wait_for_text(err_path, "FS " + fs.dir + ": its writer thread has not moved", 30000);
  sock->drain();
  r.statuses = r.stuck;
  for (int i = 0; i < 3 && r.statuses; i++)
    r.statuses = sock->wait_for("STATUS=", 10000, &r.while_stuck);
  unlink(fs.hold.c_str());
  r.moves = r.stuck &&
            wait_for_text(err_path, "FS " + fs.dir + ": its writer thread moves again", 30000) &&
            sock->wait_for("WATCHDOG=1", 10000, &r.released);
  return r;
}

void expect_held_and_released(const HeldWriter &r, const std::string &err) {
  EXPECT_TRUE(r.statuses) << joined(r.while_stuck);
  EXPECT_EQ(count_of(r.while_stuck, "WATCHDOG=1"), 0u) << joined(r.while_stuck);
  EXPECT_TRUE(r.moves) << joined(r.released) << err;
}

// A writer held in a write (storage-faulty holds the data file's writes while a file exists):
// WATCHDOG=1 stops, with one line naming the FS, while STATUS= goes on; released, the writer
// moves again and so does the watchdog.
TEST(RecordService, WatchdogWithheldWhileTheWriterIsStuck) {
  TempDir tmp;
  const HeldFs fs = make_held_fs(tmp, "fs");
  NotifySocket sock(tmp.sub("notify"));
  std::vector<std::string> env = fs.env();
  env.insert(env.end(), {sock.env(), "WATCHDOG_USEC=1000000"});
  CliProcess p = cli_start({"record", "--fs", fs.dir, "--synthetic", "1", "--status-interval", "0"},
                           tmp.sub("out.txt"), tmp.sub("err.txt"), env);
  ASSERT_GT(p.pid, 0);
  const HeldWriter held = hold_and_release(&sock, p.err_path, fs, true);
  kill(p.pid, SIGTERM);
  const int status = cli_wait(p, 30000);
  const std::string err = read_text(p.err_path);
  ASSERT_TRUE(held.stuck) << err;
  expect_held_and_released(held, err);
  EXPECT_EQ(status, 0) << err;
  // One line for the stop, not one per period.
  const std::string stuck_line = "FS " + fs.dir + ": its writer thread has not moved";
  EXPECT_EQ(err.find(stuck_line), err.rfind(stuck_line)) << err;
}

// The camera config of WatchdogWatchesTheFsOfTheSessionAsItIsNow: "one" into `fs`, and "two" into
// `fs2` when that is given.
std::string watchdog_config(const std::string &fs, const std::string &fs2) {
  std::string two;
  if (!fs2.empty())
    two = R"(, {"name": "two", "url": "synthetic://1", "id": 2, "fs": {"dir": ")" + fs2 + R"("}})";
  return R"({"fs": {"dir": ")" + fs + R"("}, "cameras": [
    {"name": "one", "url": "synthetic://0", "id": 1})" +
         two + "]}";
}

// SIGHUP adds a camera writing into an FS the recorder did not have (issue 13): the watchdog
// watches it, a writer held there withholds WATCHDOG=1 with a line naming that FS; released, it
// comes back. A reload that closes the FS again: WATCHDOG=1 goes on, the closed FS unwatched.
TEST(RecordService, WatchdogWatchesTheFsOfTheSessionAsItIsNow) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
  // Only the new FS is on the faulty storage: its writes are the ones held.
  const HeldFs fs2 = make_held_fs(tmp, "fs2");
  write_text(config, watchdog_config(fs, ""));
  NotifySocket sock(tmp.sub("notify"));
  std::vector<std::string> env = fs2.env();
  env.insert(env.end(), {sock.env(), "WATCHDOG_USEC=1000000"});
  CliProcess p = cli_start({"record", "--config", config, "--status-interval", "0"},
                           tmp.sub("out.txt"), tmp.sub("err.txt"), env);
  ASSERT_GT(p.pid, 0);
  std::vector<std::string> before;
  bool watched = sock.wait_for("READY=1", 30000, &before);
  while (watched && count_of(before, "WATCHDOG=1") < 2)
    watched = sock.wait_for("WATCHDOG=1", 10000, &before);
  write_text(config, watchdog_config(fs, fs2.dir));
  if (watched) kill(p.pid, SIGHUP);
  const bool added = watched && wait_for_text(p.err_path, "reload: two added", 30000);
  const HeldWriter held = hold_and_release(&sock, p.err_path, fs2, added);
  // The FS closed by a reload: WATCHDOG=1 still comes, period after period.
  write_text(config, watchdog_config(fs, ""));
  if (held.moves) kill(p.pid, SIGHUP);
  const bool closed = held.moves &&
                      wait_for_text(p.err_path, "reload: FS " + fs2.dir + " closed", 30000);
  sock.drain();
  std::vector<std::string> after;
  bool goes_on = closed;
  while (goes_on && count_of(after, "WATCHDOG=1") < 3)
    goes_on = sock.wait_for("WATCHDOG=1", 10000, &after);
  kill(p.pid, SIGTERM);
  const int status = cli_wait(p, 30000);
  const std::string err = read_text(p.err_path);
  ASSERT_TRUE(watched) << joined(before) << err;
  ASSERT_TRUE(added) << err;
  ASSERT_TRUE(held.stuck) << "the writer held in the FS the reload added went unnoticed: " << err;
  expect_held_and_released(held, err);
  ASSERT_TRUE(closed) << err;
  EXPECT_TRUE(goes_on) << "WATCHDOG=1 stopped once the reload closed " << fs2.dir << ": "
                       << joined(after) << err;
  EXPECT_EQ(status, 0) << err;
  // The FS of the first plan was never the one named.
  EXPECT_EQ(err.find("FS " + fs + ": its writer"), std::string::npos) << err;
}

// writer_beats (since ABI 1.2): 0 without a writer, moving while it runs idle (no frame), still
// once it has stopped.
TEST(RecordService, WriterBeatsMoveWhileTheWriterRuns) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_EQ(info_of(fs).writer_beats, 0u);
  ASSERT_EQ(valkka_fs_writer_start(fs, nullptr), 0) << valkka_last_error();
  const uint64_t first = info_of(fs).writer_beats;
  uint64_t now = first;
  for (int waited = 0; waited < 10000 && now < first + 3; waited += 50) {
    usleep(50000);
    now = info_of(fs).writer_beats;
  }
  EXPECT_GE(now, first + 3);
  valkka_fs_writer_stop(fs);
  const uint64_t stopped = info_of(fs).writer_beats;
  usleep(300000);  // three of the writer's idle turns, were it still running
  EXPECT_EQ(info_of(fs).writer_beats, stopped);
  valkka_fs_close(fs);
}

}  // namespace
