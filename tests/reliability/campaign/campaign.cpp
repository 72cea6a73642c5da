/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "campaign.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <sstream>

#include <valkka/valkka.h>

#include "frames.h"
#include "journal.h"
#include "protocol.h"
#include "recorder.h"
#include "verify.h"

namespace campaign {

namespace {

constexpr size_t kMaxProblems = 30;
constexpr int kPollMs = 10;

// Sync intervals a recorder runs with (1000: the default), and paces: some rounds as fast as
// the writer goes, so the kill lands inside appends, block switches and syncs, some at camera
// pace, so it lands while the writer waits too.
constexpr uint32_t kSyncChoices[] = {1000, 100, 20, 5};
constexpr uint32_t kPaceChoices[] = {0, 0, 20, 200};

// A recorder child: SIGKILLed and reaped on every way out.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() { kill_and_reap(); }
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;
  // Kills the child (if still there) and returns its wait status.
  int kill_and_reap() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
    }
    return status_;
  }

 private:
  pid_t pid_;
  int status_ = 0;
};

// What the pipe told: accepted frames in order, and how many of them came before the last sync.
struct Reports {
  std::vector<uint64_t> accepted;
  size_t before_last_sync = 0;
  uint64_t syncs = 0;
  uint32_t last_sync_ms = 0;  // CLOCK_MONOTONIC ms (low 32 bits) of the last sync, or the start
  bool eof = false;
  std::vector<uint8_t> partial;

  void take(const uint8_t *p, size_t n) {
    partial.insert(partial.end(), p, p + n);
    size_t used = 0;
    for (; used + 16 <= partial.size(); used += 16) {
      Message m = decode(partial.data() + used);
      if (m.type == kMsgWritten) {
        accepted.push_back(m.value);
      } else if (m.type == kMsgSync) {
        syncs++;
        before_last_sync = accepted.size();
        last_sync_ms = m.ms;
      }
    }
    partial.erase(partial.begin(), partial.begin() + (long)used);
  }
  // Reads what is there, waiting up to `wait_ms`. False when nothing came.
  bool read_some(int fd, int wait_ms) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) return false;
    uint8_t buf[4096];
    ssize_t got = read(fd, buf, sizeof buf);
    if (got <= 0) {
      eof = true;
      return false;
    }
    take(buf, (size_t)got);
    return true;
  }
};

// The clock the journal plugin times its syncs with: CLOCK_MONOTONIC, ms, low 32 bits.
uint32_t monotonic_ms() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint32_t)((uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000);
}

std::string status_text(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "died of signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

struct Round {
  uint32_t sync_ms, pace_us, target;
  useconds_t delay_us;
  bool chained;  // no check after this kill: the next recorder's own open recovers
};

// An accepted frame, and whether a sync was reported after it in its recorder's life.
struct Accepted {
  uint64_t g;
  bool synced;
};

}  // namespace

Result run(const Config &cfg) {
  Result res;
  const auto started = std::chrono::steady_clock::now();
  auto fail = [&](uint32_t kill_no, const std::string &what) {
    if (res.problems.size() < kMaxProblems)
      res.problems.push_back("kill " + std::to_string(kill_no) + ": " + what);
  };
  valkka_fs_create_params_t cp{};
  cp.struct_size = sizeof cp;
  cp.kind = VALKKA_FS_MULTI;
  cp.block_size = cfg.block_size;
  cp.n_blocks = cfg.n_blocks;
  if (valkka_fs_create(cfg.dir.c_str(), &cp) != 0) {
    fail(0, std::string("create: ") + valkka_last_error());
    return res;
  }
  std::mt19937_64 rng(cfg.seed);
  std::vector<Accepted> accepted;  // since the last check
  bool early = false;
  for (uint32_t k = 1; k <= cfg.kills; k++) {
    Round r;
    r.sync_ms = kSyncChoices[rng() % 4];
    r.pace_us = kPaceChoices[rng() % 4];
    r.target = cfg.min_frames + (uint32_t)(rng() % (cfg.max_frames - cfg.min_frames + 1));
    r.delay_us = (useconds_t)(rng() % 3000);  // lands anywhere in what the recorder does next
    // After a kill left unchecked, the next recorder dies young: during its open's recovery of
    // what the kill left, or soon after (a recorder in a restart loop).
    if (early) {
      r.target = 0;
      r.delay_us = (useconds_t)(rng() % 20000);
    }
    r.chained = cfg.chain && k < cfg.kills && rng() % 4 == 0;
    early = r.chained;

    int fds[2];
    if (pipe(fds) != 0) {
      fail(k, "pipe failed");
      break;
    }
    RecorderSpec spec;
    spec.dir = cfg.dir;
    spec.first = kResume;
    spec.sync_interval_ms = r.sync_ms;
    spec.pace_us = r.pace_us;
    spec.report_fd = fds[1];
    if (cfg.power_cut) {
      spec.backend = "storage-journal";
      spec.plugin_file = cfg.journal_plugin;
    }
    pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      fail(k, "fork failed");
      break;
    }
    if (pid == 0) {
      close(fds[0]);
      if (cfg.power_cut) setenv("VALKKA_JOURNAL_NOTIFY_FD", std::to_string(fds[1]).c_str(), 1);
      run_recorder(spec);
    }
    close(fds[1]);
    Reports rep;
    // What the power cut can lose: what came after the last sync, or since the start.
    rep.last_sync_ms = monotonic_ms();
    {
      Child child(pid);
      for (uint32_t idle_ms = 0;
           rep.accepted.size() < r.target && !rep.eof && idle_ms < cfg.round_timeout_ms;) {
        if (rep.read_some(fds[0], kPollMs))
          idle_ms = 0;
        else
          idle_ms += kPollMs;
      }
      usleep(r.delay_us);
      const uint32_t cut_ms = monotonic_ms();
      const int status = child.kill_and_reap();
      if (cfg.power_cut) {
        // Every mark is in the pipe now (the child is gone); the plugin timed each one.
        for (int i = 0; i < 100 && !rep.eof; i++) rep.read_some(fds[0], 100);
        const double window = (double)(uint32_t)(cut_ms - rep.last_sync_ms);
        res.max_unsynced_ms = std::max(res.max_unsynced_ms, window);
        res.max_unsynced_over_interval =
            std::max(res.max_unsynced_over_interval, window - r.sync_ms);
      }
      if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
        fail(k, "the recorder " + status_text(status) + " before it was killed (recorder.h)");
        close(fds[0]);
        break;
      }
      if (rep.accepted.size() < r.target)
        fail(k, "the recorder reported " + std::to_string(rep.accepted.size()) + " of " +
                    std::to_string(r.target) + " frames before going quiet");
    }
    // The child is gone, so its end of the pipe is closed: what is left comes, then the end.
    for (int i = 0; i < 100 && !rep.eof; i++) rep.read_some(fds[0], 100);
    close(fds[0]);
    res.kills++;
    res.accepted += rep.accepted.size();
    res.syncs += rep.syncs;
    for (size_t i = 0; i < rep.accepted.size(); i++)
      accepted.push_back({rep.accepted[i], !cfg.power_cut || i < rep.before_last_sync});

    if (!cfg.evidence_dir.empty()) {
      std::error_code ec;
      const std::string to = cfg.evidence_dir + "/kill-" + std::to_string(k);
      std::filesystem::create_directories(to, ec);
      std::filesystem::copy(cfg.dir, to, std::filesystem::copy_options::recursive, ec);
      if (ec) fail(k, "evidence: " + ec.message());
    }
    const size_t problems_before = res.problems.size();
    if (cfg.power_cut) {
      for (const char *file : {"blocks", "blocktable"}) {
        std::string error;
        long undone = rollback_to_last_sync(cfg.dir + "/" + file, &error);
        if (undone < 0)
          fail(k, "rollback: " + error);
        else
          res.writes_undone += (uint64_t)undone;
      }
    }

    if (r.chained) {
      if (cfg.progress)
        cfg.progress("kill " + std::to_string(k) + "/" + std::to_string(cfg.kills) + ": " +
                     std::to_string(rep.accepted.size()) +
                     " accepted; not checked: the next "
                     "recorder recovers");
      continue;
    }
    DiskCheck d = check_disk(cfg.dir);
    for (const std::string &p : d.problems) fail(k, p);
    if (!d.opened) break;
    res.frames_checked += d.frames;
    res.corrupt += d.corrupt;
    res.bad_records += d.bad_records;
    res.recovered_rounds += d.records_recovered > 0;
    res.wraps = d.seq / cfg.n_blocks;

    // The frames on disk are lo..hi without a hole (verify.cpp): an accepted frame is lost
    // exactly when it is past hi (before lo the FS wrapped over it).
    uint64_t lost_synced = 0, lost_unsynced = 0, first_lost = 0;
    for (const Accepted &a : accepted) {
      if (!d.empty && a.g <= d.hi) continue;
      if (!lost_synced && !lost_unsynced) first_lost = a.g;
      if (a.synced)
        lost_synced++;
      else
        lost_unsynced++;
    }
    accepted.clear();
    if (lost_synced)
      fail(k, std::to_string(lost_synced) + " accepted frames lost" +
                  (cfg.power_cut ? " that were synced" : "") + ", from frame " +
                  std::to_string(first_lost) + " (disk holds " + std::to_string(d.lo) + ".." +
                  std::to_string(d.hi) + ")");
    res.accepted_lost += lost_synced;
    res.unsynced_lost += lost_unsynced;
    if (lost_unsynced > res.max_unsynced_lost) res.max_unsynced_lost = lost_unsynced;

    valkka_fs_fsck_report_t fr{};
    fr.struct_size = sizeof fr;
    if (valkka_fs_fsck(cfg.dir.c_str(), 0, &fr) != 0) {
      res.fsck_dirty++;
      if (!cfg.power_cut) fail(k, std::string("fsck after the reopen: ") + valkka_last_error());
      valkka_fs_fsck_report_t rr{};
      rr.struct_size = sizeof rr;
      if (valkka_fs_fsck(cfg.dir.c_str(), 1, &rr) != 0 ||
          valkka_fs_fsck(cfg.dir.c_str(), 0, &rr) != 0) {
        res.fsck_unrepaired++;
        fail(k, std::string("fsck after --repair: ") + valkka_last_error());
      }
    }
    if (cfg.progress) {
      std::ostringstream o;
      o << "kill " << k << "/" << cfg.kills << ": sync " << r.sync_ms << " ms, pace " << r.pace_us
        << " us" << (r.target ? "" : ", killed young") << ": " << rep.accepted.size()
        << " accepted (" << rep.syncs << " syncs), disk "
        << (d.empty ? std::string("empty") : std::to_string(d.lo) + ".." + std::to_string(d.hi))
        << ", recovered " << d.records_recovered << " records, lost " << lost_synced << "+"
        << lost_unsynced << ", corrupt " << d.corrupt;
      cfg.progress(o.str());
    }
    if (!cfg.evidence_dir.empty() && res.problems.size() > problems_before) break;
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return res;
}

std::string summary(const Result &r) {
  std::ostringstream o;
  o << "kills=" << r.kills << " accepted=" << r.accepted << " frames_checked=" << r.frames_checked
    << " accepted_lost=" << r.accepted_lost << " unsynced_lost=" << r.unsynced_lost
    << " max_unsynced_lost=" << r.max_unsynced_lost << " corrupt=" << r.corrupt
    << " bad_records=" << r.bad_records << " recovered_rounds=" << r.recovered_rounds
    << " fsck_dirty=" << r.fsck_dirty << " fsck_unrepaired=" << r.fsck_unrepaired
    << " syncs=" << r.syncs << " writes_undone=" << r.writes_undone
    << " max_unsynced_ms=" << r.max_unsynced_ms
    << " max_unsynced_over_interval_ms=" << r.max_unsynced_over_interval << " wraps=" << r.wraps
    << " seconds=" << r.seconds;
  return o.str();
}

}  // namespace campaign
