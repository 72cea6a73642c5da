/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "manager_support.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

namespace mgr_test {

using clip_test::view;

Clip make_clip(uint32_t camera, int gop, int frames, int width, int height, const char *codec) {
  Clip clip;
  std::string error;
  if (!clip_test::encode(camera, gop, frames, width, height, codec, &clip, &error))
    ADD_FAILURE() << error;
  return clip;
}

std::vector<double> reference_means(const Clip &clip) {
  std::vector<double> means;
  std::string error;
  if (!clip_test::reference_means(clip, &means, &error)) ADD_FAILURE() << error;
  return means;
}

std::vector<uint64_t> reference_hashes(const Clip &clip) {
  std::vector<uint64_t> hashes;
  std::string error;
  if (!clip_test::reference_hashes(clip, &hashes, &error)) ADD_FAILURE() << error;
  return hashes;
}

Clip read_clip_file(const std::string &path) {
  Clip clip;
  std::string error;
  if (!clip_test::read_file(path, &clip, &error)) ADD_FAILURE() << error;
  return clip;
}

int64_t Oracle::frame_at(uint32_t id, int64_t t) const {
  auto ti = times.find(id);
  if (ti == times.end()) return 0;
  const auto &ts = ti->second;
  const auto &ks = keys.at(id);
  auto it = std::upper_bound(ts.begin(), ts.end(), t);
  if (it == ts.begin()) return 0;
  size_t i = size_t(it - ts.begin()) - 1;
  for (size_t k = i + 1; k > 0; k--)
    if (ks[k - 1]) return ts[i];
  return 0;
}

int64_t Oracle::first() const {
  int64_t f = 0;
  for (const auto &kv : times)
    if (!kv.second.empty() && (!f || kv.second.front() < f)) f = kv.second.front();
  return f;
}

int64_t Oracle::last() const {
  int64_t l = 0;
  for (const auto &kv : times)
    if (!kv.second.empty()) l = std::max(l, kv.second.back());
  return l;
}

void record(valkka_fs_t *fs, const std::vector<StreamSpec> &streams, Oracle *oracle) {
  std::vector<size_t> next(streams.size(), 0);
  for (const StreamSpec &s : streams) {
    valkka_frame_t config = view(VALKKA_FRAME_CONFIG, s.clip->codec, false, s.t0, s.clip->config);
    ASSERT_EQ(valkka_fs_append(fs, s.id, &config), 0) << valkka_last_error();
  }
  for (;;) {
    size_t pick = streams.size();
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < streams.size(); i++) {
      if (next[i] >= streams[i].count) continue;
      int64_t t = streams[i].t0 + (int64_t)next[i] * streams[i].interval_ms;
      if (t < best) best = t, pick = i;
    }
    if (pick == streams.size()) break;
    const StreamSpec &s = streams[pick];
    size_t k = next[pick]++ % s.clip->packets.size();
    valkka_frame_t f =
        view(VALKKA_FRAME_ENCODED, s.clip->codec, s.clip->key[k], best, s.clip->packets[k]);
    ASSERT_EQ(valkka_fs_append(fs, s.id, &f), 0) << valkka_last_error();
    if (oracle) {
      oracle->times[s.id].push_back(best);
      oracle->keys[s.id].push_back(s.clip->key[k]);
    }
  }
}

int create_fs(const std::string &dir, uint32_t kind, uint32_t block_size, uint32_t n_blocks) {
  valkka_fs_create_params_t p{};
  p.struct_size = sizeof p;
  p.kind = kind;
  p.block_size = block_size;
  p.n_blocks = n_blocks;
  return valkka_fs_create(dir.c_str(), &p);
}

valkka_fs_t *open_fs(const std::string &dir, bool readonly) {
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  p.flags = readonly ? VALKKA_FS_READONLY : 0;
  valkka_fs_t *fs = nullptr;
  int err = valkka_fs_open(dir.c_str(), &p, &fs);
  EXPECT_EQ(err, 0) << valkka_last_error();
  return err ? nullptr : fs;
}

TempDir::TempDir() {
  const char *base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/valkka-mgr-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) ADD_FAILURE() << "mkdtemp failed";
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int Collector::output(void *user, const valkka_frame_t *f) {
  auto *c = static_cast<Collector *>(user);
  std::lock_guard<std::mutex> g(c->lock_);
  if (f->kind != VALKKA_FRAME_DECODED || !f->width || !f->height ||
      (f->flags & VALKKA_FRAME_DECODE_ONLY))
    c->bad_picture_ = true;
  c->shown_.push_back(Shown{f->slot, f->stream_id, f->flags, f->width, f->height, f->mstime,
                            c->last_heartbeat_, mean_y(*f), clip_test::picture_hash(*f)});
  c->changed_.notify_all();
  return 0;
}

void Collector::time(void *user, int64_t mstime) {
  auto *c = static_cast<Collector *>(user);
  std::lock_guard<std::mutex> g(c->lock_);
  c->heartbeats_.push_back(mstime);
  c->last_heartbeat_ = mstime;
  c->changed_.notify_all();
}

void Collector::limits(void *user, int64_t first_ms, int64_t last_ms) {
  auto *c = static_cast<Collector *>(user);
  std::lock_guard<std::mutex> g(c->lock_);
  c->limits_.emplace_back(first_ms, last_ms);
  c->changed_.notify_all();
}

void Collector::block(void *user, valkka_fs_t *, const valkka_fs_block_event_t *event) {
  auto *c = static_cast<Collector *>(user);
  std::lock_guard<std::mutex> g(c->lock_);
  c->blocks_.push_back(*event);
  c->changed_.notify_all();
}

std::vector<Shown> Collector::shown() {
  std::lock_guard<std::mutex> g(lock_);
  return shown_;
}

std::vector<int64_t> Collector::heartbeats() {
  std::lock_guard<std::mutex> g(lock_);
  return heartbeats_;
}

std::vector<std::pair<int64_t, int64_t>> Collector::limit_values() {
  std::lock_guard<std::mutex> g(lock_);
  return limits_;
}

std::vector<valkka_fs_block_event_t> Collector::blocks() {
  std::lock_guard<std::mutex> g(lock_);
  return blocks_;
}

void Collector::clear() {
  std::lock_guard<std::mutex> g(lock_);
  shown_.clear();
  heartbeats_.clear();
  limits_.clear();
}

bool Collector::wait_for(const std::function<bool()> &ready, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {  // ready() may use this collector: never called with lock_ held
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::unique_lock<std::mutex> g(lock_);
    changed_.wait_for(g, std::chrono::milliseconds(20));
  }
  return true;
}

void make_four_streams(FourStreams &m) {
  const int gops[4] = {25, 20, 15, 30};
  for (int i = 0; i < 4; i++) {
    m.clips[i] = make_clip(10 + i, gops[i], gops[i] * 2);
    ASSERT_FALSE(m.clips[i].packets.empty());
  }
  m.multi = m.tmp.sub("multi");
  m.single = m.tmp.sub("single");
  ASSERT_EQ(create_fs(m.multi, VALKKA_FS_MULTI, 65536, 64), 0) << valkka_last_error();
  ASSERT_EQ(create_fs(m.single, VALKKA_FS_SINGLE, 65536, 32), 0) << valkka_last_error();
  valkka_fs_t *a = open_fs(m.multi), *b = open_fs(m.single);
  ASSERT_TRUE(a && b);
  const size_t frames = 300;
  record(a,
         {{1, &m.clips[0], kT0, 40, frames},
          {2, &m.clips[1], kT0 + 13 + 40 * 7, 40, frames - 7},
          {3, &m.clips[2], kT0 + 27 + 40 * 3, 40, frames - 3}},
         &m.oracle);
  record(b, {{4, &m.clips[3], kT0 + 9 + 40 * 11, 40, frames - 20}}, &m.oracle);
  valkka_fs_close(a);
  valkka_fs_close(b);
}

valkka_manager_t *create_manager(uint32_t workers, uint32_t window_blocks) {
  valkka_manager_params_t params{};
  params.struct_size = sizeof params;
  params.window_blocks = window_blocks;
  params.decoder_workers = workers;
  valkka_manager_t *m = valkka_manager_create(&params);
  EXPECT_NE(m, nullptr) << valkka_last_error();
  return m;
}

valkka_manager_state_t state_of(valkka_manager_t *m) {
  valkka_manager_state_t s{};
  s.struct_size = sizeof s;
  EXPECT_EQ(valkka_manager_get_state(m, &s), 0);
  return s;
}

bool wait_state(valkka_manager_t *m,
                const std::function<bool(const valkka_manager_state_t &)> &ready,
                std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (ready(state_of(m))) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool seek_and_wait(valkka_manager_t *m, int64_t t, std::chrono::milliseconds timeout) {
  uint64_t before = state_of(m).seeks;
  EXPECT_EQ(valkka_manager_seek(m, t), 0) << valkka_last_error();
  return wait_state(
      m, [&](const valkka_manager_state_t &s) { return s.seeks > before; }, timeout);
}

}  // namespace mgr_test
