/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "reader.h"

#include <chrono>
#include <cmath>

namespace soak {

namespace {

constexpr int kPollMs = 2;
// Hang bound: a seek presents what it has after the manager's seek timeout (2 s) at the latest;
// one that has not completed after this long is wedged, however slow the machine is.
constexpr int kStuckPolls = 30000 / kPollMs;
constexpr uint64_t kPicturesPerPlay = 40;
constexpr int kPlayPolls = 150;  // or this many polls, whichever comes first
constexpr size_t kMaxProblems = 20;

valkka_manager_state_t state_of(valkka_manager_t *m) {
  valkka_manager_state_t s{};
  s.struct_size = sizeof s;
  valkka_manager_get_state(m, &s);
  return s;
}

}  // namespace

Reader::Reader(valkka_manager_t *m, valkka_fs_t *fs, const Schedule &schedule,
               const std::vector<Clip> &clips, const std::atomic<int64_t> *newest_fed,
               uint64_t seed, uint32_t follow_percent, uint32_t oldest_percent)
    : m_(m),
      fs_(fs),
      schedule_(schedule),
      clips_(clips),
      newest_fed_(newest_fed),
      rng_(seed),
      follow_percent_(follow_percent),
      oldest_percent_(oldest_percent) {}

Reader::~Reader() { stop(); }

void Reader::problem(const std::string &what) {
  std::lock_guard<std::mutex> g(lock_);
  if (stats_.problems.size() < kMaxProblems) stats_.problems.push_back(what);
}

int Reader::output(void *user, const valkka_frame_t *p) {
  auto *r = static_cast<Reader *>(user);
  uint64_t k = 0;
  const bool scheduled = r->schedule_.frame_at(p->stream_id, p->mstime, &k);
  bool bad = !scheduled || p->mstime > r->newest_fed_->load();
  bool checked = false;
  double want = -1, got = -1;
  if (scheduled) {
    const Clip &clip = r->clips_[p->stream_id - 1];
    want = clip.means[k % clip.means.size()];
    if (want >= 0) {
      checked = true;
      got = mean_y(*p);
      bad = bad || std::fabs(got - want) > 0.01;
    }
  }
  {
    std::lock_guard<std::mutex> g(r->lock_);
    r->stats_.pictures++;
    r->stats_.pictures_checked += checked;
    r->stats_.bad_pictures += bad;
  }
  if (bad)
    r->problem("presented stream " + std::to_string(p->stream_id) + " at " +
               std::to_string(p->mstime) + " (frame " + std::to_string(k) +
               "): not the picture "
               "of a frame that was recorded (mean luma " +
               std::to_string(got) + ", the frame's " + std::to_string(want) + ")");
  return 0;
}

// Polls the manager until `field` of its state passes `beyond`; false when stopping or stuck.
bool Reader::wait(const char *what, uint64_t valkka_manager_state_t::*field, uint64_t beyond) {
  for (int i = 0; i < kStuckPolls; i++) {
    if (stop_.load()) return false;
    if (state_of(m_).*field > beyond) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
  {
    std::lock_guard<std::mutex> g(lock_);
    stats_.stuck++;
  }
  problem(std::string(what) + ": no progress within the hang bound");
  return false;
}

// A camera leaves the wall and comes back: its decoder and cached frames go, and return.
void Reader::remap() {
  const uint32_t id = 1 + (uint32_t)(rng_() % schedule_.cameras);
  if (valkka_manager_unmap(m_, fs_, id) != 0 ||
      valkka_manager_map(m_, fs_, VALKKA_MANAGER_NO_SLOT, id - 1, id, output, this) != 0) {
    problem(std::string("unmap / map: ") + valkka_last_error());
    return;
  }
  std::lock_guard<std::mutex> g(lock_);
  stats_.remaps++;
}

void Reader::loop() {
  while (!stop_.load()) {
    int64_t first = 0, last = 0;
    valkka_manager_get_time_range(m_, &first, &last);
    if (!first) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      continue;
    }
    const uint64_t action = rng_() % 16;
    if (action == 0) {
      valkka_manager_stop(m_);
      std::lock_guard<std::mutex> g(lock_);
      stats_.stops++;
    } else if (action == 1) {
      remap();
    }
    // Some seeks go to the newest frame, to play on as the recording grows; some to the oldest
    // data, which the recording overwrites under the playhead while it plays.
    const uint64_t where = rng_() % 100;
    const bool follow = where < follow_percent_;
    const bool oldest = !follow && where < follow_percent_ + oldest_percent_;
    const int64_t span = last - first + 1;
    const int64_t t = follow   ? last
                      : oldest ? first + (int64_t)(rng_() % (uint64_t)(span / 50 + 1))
                               : first + (int64_t)(rng_() % (uint64_t)span);
    const uint64_t seeks_before = state_of(m_).seeks;
    if (valkka_manager_seek(m_, t) != 0) {
      problem(std::string("seek: ") + valkka_last_error());
      continue;
    }
    {
      std::lock_guard<std::mutex> g(lock_);
      stats_.seeks++;
    }
    if (!wait("seek", &valkka_manager_state_t::seeks, seeks_before)) continue;
    {
      std::lock_guard<std::mutex> g(lock_);
      stats_.seeks_done++;
      stats_.plays++;
      stats_.follows += follow;
      stats_.oldest += oldest;
    }
    const uint64_t shown = state_of(m_).presented;
    if (follow || rng_() % 3) {
      valkka_manager_play(m_, follow || rng_() % 2 ? VALKKA_MANAGER_SPEED_FAST : 16.0);
      for (int i = 0; i < kPlayPolls && !stop_.load(); i++) {
        if (state_of(m_).presented >= shown + kPicturesPerPlay) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      }
      valkka_manager_pause(m_);
    } else {
      for (int i = 0; i < 5 && !stop_.load(); i++) valkka_manager_step(m_);
    }
  }
  valkka_manager_pause(m_);
}

void Reader::start() {
  thread_ = std::thread([this] { loop(); });
}

void Reader::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

uint64_t Reader::seeks_done() {
  std::lock_guard<std::mutex> g(lock_);
  return stats_.seeks_done;
}

ReaderStats Reader::stats() {
  const uint64_t errors = state_of(m_).decode_errors;
  std::lock_guard<std::mutex> g(lock_);
  ReaderStats s = stats_;
  s.decode_errors = errors;
  return s;
}

}  // namespace soak
