/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "soak.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <sstream>

#include <valkka/valkka.h>

#include "invariants.h"
#include "schedule.h"

namespace soak {

namespace {

constexpr size_t kMaxProblems = 30;
constexpr int kGop = 25, kClipFrames = 50;
constexpr int kFullWaitUs = 50;
constexpr int kFullWaits = 600000;  // 30 s of a full queue is a wedged writer
constexpr int kDrainPolls = 30000;  // 1 ms each
constexpr uint32_t kWrapPollFrames = 64;
constexpr int kViewerPolls = 60000;  // 1 ms each: the hang bound of the viewer's turn

// A clip frame as camera `slot` sends it.
valkka_frame_t view(uint32_t kind, uint32_t slot, uint32_t codec, bool key, int64_t mstime,
                    const std::vector<uint8_t> &data) {
  valkka_frame_t f = clip_test::view(kind, codec, key, mstime, data);
  f.slot = slot;
  return f;
}

struct Feed {
  valkka_frame_sink_fn sink = nullptr;
  void *user = nullptr;
  valkka_fs_t *fs = nullptr;
  std::vector<uint64_t> sunk;  // per camera: frames the sink took, the configuration included
  uint64_t full = 0;
};

bool give(Feed *feed, const valkka_frame_t &f, std::string *error) {
  for (int i = 0; i < kFullWaits; i++) {
    int err = feed->sink(feed->user, &f);
    if (err == 0) {
      feed->sunk[f.slot]++;
      return true;
    }
    if (err != VALKKA_EFULL) {
      *error = std::string("sink: ") + valkka_err_name(err) + ": " + valkka_last_error();
      return false;
    }
    feed->full++;
    usleep(kFullWaitUs);
  }
  *error = "sink: the writer's queue stayed full for 30 s";
  return false;
}

// Waits until the writer wrote everything the sink took.
bool drain(Feed *feed, std::string *error) {
  for (int i = 0; i < kDrainPolls; i++) {
    bool done = true;
    for (uint32_t c = 0; c < feed->sunk.size() && done; c++) {
      valkka_fs_stream_stats_t st{};
      st.struct_size = sizeof st;
      if (valkka_fs_get_stream_stats(feed->fs, c + 1, &st) != 0) {
        *error = std::string("stream stats: ") + valkka_last_error();
        return false;
      }
      // (`dropped` counts the full-queue refusals the feed retried.)
      if (st.errors || st.too_big) {
        *error = "stream " + std::to_string(c + 1) + ": the writer failed to write frames";
        return false;
      }
      done = st.frames >= feed->sunk[c];
    }
    if (done) return true;
    usleep(1000);
  }
  *error = "the writer did not drain its queue within 30 s";
  return false;
}

// Times the FS went round: block uses started beyond the first n_blocks, per n_blocks.
uint64_t wraps_of(valkka_fs_t *fs) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  return info.current_seq ? (info.current_seq - 1) / info.n_blocks : 0;
}

}  // namespace

Result run(const Config &cfg) {
  Result res;
  const auto started = std::chrono::steady_clock::now();
  auto fail = [&](const std::string &what) {
    if (res.problems.size() < kMaxProblems) res.problems.push_back(what);
  };
  Schedule schedule;
  schedule.cameras = cfg.cameras;
  schedule.interval_ms = cfg.interval_ms;
  std::vector<Clip> clips(cfg.cameras);
  for (uint32_t c = 0; c < cfg.cameras; c++) {
    std::string error;
    if (!make_clip(c, kGop, kClipFrames, &clips[c], &error)) {
      fail("clip " + std::to_string(c) + ": " + error);
      return res;
    }
  }
  valkka_fs_create_params_t cp{};
  cp.struct_size = sizeof cp;
  cp.kind = VALKKA_FS_MULTI;
  cp.block_size = cfg.block_size;
  cp.n_blocks = cfg.n_blocks;
  if (valkka_fs_create(cfg.dir.c_str(), &cp) != 0) {
    fail(std::string("create: ") + valkka_last_error());
    return res;
  }
  valkka_manager_t *m = valkka_manager_create(nullptr);
  if (!m) {
    fail(std::string("manager: ") + valkka_last_error());
    return res;
  }
  std::atomic<int64_t> newest_fed{0};
  Feed feed;
  feed.sunk.assign(cfg.cameras, 0);
  std::string error;
  bool ok = valkka_manager_open_fs(m, cfg.dir.c_str(), nullptr, nullptr, &feed.fs) == 0 &&
            valkka_manager_get_input_filter(m, feed.fs, &feed.sink, &feed.user) == 0;
  if (!ok) {
    fail(std::string("manager set-up: ") + valkka_last_error());
    valkka_manager_destroy(m);
    return res;
  }
  // Recording maps slot c to stream c + 1 in the FS itself; playback maps the streams in the
  // manager on their own, so the viewer can unmap and map them while they are recorded.
  Reader reader(m, feed.fs, schedule, clips, &newest_fed, cfg.seed * 7919 + 1, cfg.follow_percent,
                cfg.oldest_percent);
  for (uint32_t c = 0; ok && c < cfg.cameras; c++)
    ok = valkka_fs_map(feed.fs, c, c + 1) == 0 &&
         valkka_manager_map(m, feed.fs, VALKKA_MANAGER_NO_SLOT, c, c + 1, Reader::output,
                            &reader) == 0;
  if (!ok) {
    fail(std::string("manager set-up: ") + valkka_last_error());
    valkka_manager_destroy(m);
    return res;
  }
  // A camera sends its configuration once, first; the core repeats it in every block.
  for (uint32_t c = 0; ok && c < cfg.cameras; c++) {
    const Clip &clip = clips[c];
    ok = give(&feed,
              view(VALKKA_FRAME_CONFIG, c, clip.codec, false, schedule.time_of(c, 0), clip.config),
              &error);
  }
  if (cfg.viewer) reader.start();

  std::mt19937_64 rng(cfg.seed);
  CheckCarry carry;
  std::vector<uint64_t> fed(cfg.cameras, 0);
  const int64_t end_ms = schedule.t0 + (int64_t)(cfg.days * 86400000.0);
  uint64_t wraps_seen = 0;
  bool sampled = false;
  auto check = [&](bool final_check) {
    if (!drain(&feed, &error)) {
      fail(error);
      return false;
    }
    CheckResult r = check_fs(feed.fs, schedule, clips, fed, &rng, &carry);
    res.checks++;
    res.blocks_read += r.blocks_read;
    res.records_checked += r.records;
    res.corrupt += r.corrupt;
    res.index_queries += r.index_queries;
    res.span_ms = r.last_ms - r.first_ms;
    for (const std::string &p : r.problems) fail("wrap " + std::to_string(res.wraps) + ": " + p);
    const Sample s = sample_process();
    res.end = s;
    res.peak.rss_kb = std::max(res.peak.rss_kb, s.rss_kb);
    res.peak.fds = std::max(res.peak.fds, s.fds);
    if (cfg.progress) {
      std::ostringstream o;
      o << (final_check ? "final" : "check at wrap ")
        << (final_check ? "" : std::to_string(res.wraps)) << ": day "
        << (double)(r.last_ms - schedule.t0) / 86400000.0 << ", " << res.frames << " frames, range "
        << (r.last_ms - r.first_ms) / 1000 << " s, rss " << s.rss_kb << " kB, fds " << s.fds << ", "
        << r.problems.size() << " problems";
      cfg.progress(o.str());
    }
    return r.problems.empty() || res.problems.size() < kMaxProblems;
  };

  // After each check the feed waits for the viewer to complete a few seeks (and plays), so
  // that however fast the writer goes, every wrap sees the viewer at work.
  uint64_t seeks_seen = 0;
  auto viewer_turn = [&] {
    if (!cfg.viewer) {
      if (!sampled) res.start = sample_process();
      sampled = true;
      return true;
    }
    for (int i = 0; i < kViewerPolls; i++) {
      const uint64_t done = reader.seeks_done();
      if (done >= seeks_seen + cfg.seeks_per_wrap) {
        seeks_seen = done;
        // The baseline: once the FS is full and the viewer has decoders and a cache.
        if (!sampled) res.start = sample_process();
        sampled = true;
        return true;
      }
      usleep(1000);
    }
    fail("the viewer completed no " + std::to_string(cfg.seeks_per_wrap) +
         " seeks within the hang bound");
    return false;
  };

  for (uint64_t k = 0; ok; k++) {
    for (uint32_t c = 0; ok && c < cfg.cameras; c++) {
      const int64_t t = schedule.time_of(c, k);
      if (t > end_ms) {
        ok = false;
        break;
      }
      const Clip &clip = clips[c];
      const size_t i = k % clip.packets.size();
      newest_fed.store(t);  // before the sink: the viewer may see it at once
      if (!give(&feed, view(VALKKA_FRAME_ENCODED, c, clip.codec, clip.key[i], t, clip.packets[i]),
                &error)) {
        fail(error);
        ok = false;
        break;
      }
      fed[c]++;
      res.frames++;
      res.bytes += clip.packets[i].size();
      if (res.frames % kWrapPollFrames) continue;
      const uint64_t wraps = wraps_of(feed.fs);
      const bool due = cfg.check_every && res.frames % cfg.check_every < kWrapPollFrames;
      if (wraps == wraps_seen && !due) continue;
      wraps_seen = wraps;
      res.wraps = wraps;
      if (!check(false) || !viewer_turn()) ok = false;
      if (cfg.max_wraps && wraps >= cfg.max_wraps) ok = false;
    }
  }
  if (res.problems.empty() || res.problems.size() < kMaxProblems) check(true);
  reader.stop();
  res.reader = reader.stats();
  for (const std::string &p : res.reader.problems) fail("viewer: " + p);
  res.simulated_days = (double)(newest_fed.load() - schedule.t0) / 86400000.0;
  res.queue_full = feed.full;
  valkka_manager_destroy(m);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return res;
}

std::string summary(const Result &r) {
  std::ostringstream o;
  o << "days=" << r.simulated_days << " frames=" << r.frames << " bytes=" << r.bytes
    << " wraps=" << r.wraps << " checks=" << r.checks << " blocks_read=" << r.blocks_read
    << " records_checked=" << r.records_checked << " corrupt=" << r.corrupt
    << " index_queries=" << r.index_queries << " span_ms=" << r.span_ms
    << " queue_full_waits=" << r.queue_full << " seeks=" << r.reader.seeks
    << " seeks_done=" << r.reader.seeks_done << " follows=" << r.reader.follows
    << " oldest=" << r.reader.oldest << " stops=" << r.reader.stops << " remaps=" << r.reader.remaps
    << " pictures=" << r.reader.pictures << " pictures_checked=" << r.reader.pictures_checked
    << " bad_pictures=" << r.reader.bad_pictures << " decode_errors=" << r.reader.decode_errors
    << " stuck=" << r.reader.stuck << " rss_kb=" << r.start.rss_kb << ".." << r.end.rss_kb
    << " (peak " << r.peak.rss_kb << ") fds=" << r.start.fds << ".." << r.end.fds << " (peak "
    << r.peak.fds << ") seconds=" << r.seconds;
  return o.str();
}

}  // namespace soak
