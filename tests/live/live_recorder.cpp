/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "live_recorder.h"

#include <dirent.h>

#include <fstream>

Recorder::Tap *Recorder::tap(uint32_t slot) {
  std::lock_guard<std::mutex> guard(lock_);
  // Made once per slot: a camera's threads may be reading it already.
  return &taps_.try_emplace(slot, Tap{this, slot}).first->second;
}

int Recorder::record_sink(void *user, const valkka_frame_t *frame) {
  Tap *tap = static_cast<Tap *>(user);
  Recorder *r = tap->recorder;
  std::lock_guard<std::mutex> guard(r->lock_);
  SlotCounts &c = r->counts_[tap->slot];
  if (frame->slot != tap->slot) c.wrong_slot = true;
  if (frame->mstime < c.last_mstime) c.time_went_back = true;
  c.last_mstime = frame->mstime;
  if (frame->kind == VALKKA_FRAME_CONFIG) c.config++;
  if (frame->kind == VALKKA_FRAME_ENCODED) c.encoded++;
  if (frame->flags & VALKKA_FRAME_KEYFRAME) c.keyframes++;
  if (r->stopped_[tap->slot]) c.after_stop++;
  r->changed_.notify_all();
  return 0;
}

int Recorder::picture_sink(void *user, const valkka_frame_t *frame) {
  Tap *tap = static_cast<Tap *>(user);
  Recorder *r = tap->recorder;
  std::lock_guard<std::mutex> guard(r->lock_);
  SlotCounts &c = r->counts_[tap->slot];
  if (frame->kind == VALKKA_FRAME_DECODED) c.pictures++;
  c.picture_width = frame->width;
  c.picture_height = frame->height;
  c.picture_slot = frame->slot;
  if (r->stopped_[tap->slot]) c.after_stop++;
  r->changed_.notify_all();
  return 0;
}

void Recorder::status(void *user, const valkka_stream_status_t *s) {
  const auto at = std::chrono::steady_clock::now();
  Recorder *r = static_cast<Recorder *>(user);
  int hook_result = 0;
  bool hooked = false;
  if (r->status_hook) {
    hook_result = r->status_hook(s->slot);
    hooked = true;
  }
  std::lock_guard<std::mutex> guard(r->lock_);
  if (hooked) r->hook_result = hook_result;
  const char *transport =
      VALKKA_HAS_FIELD(s, valkka_stream_status_t, transport) && s->transport ? s->transport : "";
  r->events_.push_back(StatusEvent{s->slot, s->state, s->error, s->attempt, s->retry_in_ms,
                                   s->name ? s->name : "", s->reason ? s->reason : "", at,
                                   transport});
  r->changed_.notify_all();
}

SlotCounts Recorder::counts(uint32_t slot) {
  std::lock_guard<std::mutex> guard(lock_);
  return counts_[slot];
}

std::vector<StatusEvent> Recorder::events(uint32_t slot) {
  std::lock_guard<std::mutex> guard(lock_);
  std::vector<StatusEvent> out;
  for (const StatusEvent &e : events_)
    if (e.slot == slot) out.push_back(e);
  return out;
}

uint32_t Recorder::state(uint32_t slot) {
  std::vector<StatusEvent> all = events(slot);
  return all.empty() ? 0 : all.back().state;
}

void Recorder::stopped(uint32_t slot) {
  std::lock_guard<std::mutex> guard(lock_);
  stopped_[slot] = true;
}

bool Recorder::wait_for(const std::function<bool()> &ready, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (ready()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::unique_lock<std::mutex> guard(lock_);
    changed_.wait_for(guard, std::chrono::milliseconds(50));
  }
}

int CameraSpec::add(valkka_live_t *live, Recorder &recorder) const {
  std::vector<valkka_option_t> opts;
  for (const auto &o : options) opts.push_back({o.first.c_str(), o.second.c_str()});
  valkka_camera_t cam{};
  cam.struct_size = sizeof cam;
  cam.slot = slot;
  cam.name = name.empty() ? nullptr : name.c_str();
  cam.url = url.c_str();
  cam.source = source.empty() ? nullptr : source.c_str();
  cam.options = opts.data();
  cam.n_options = opts.size();
  return valkka_live_add_camera(live, &cam, Recorder::record_sink, recorder.tap(slot));
}

size_t threads_named(const std::string &name) {
  size_t n = 0;
  DIR *tasks = opendir("/proc/self/task");
  if (!tasks) return 0;
  while (dirent *task = readdir(tasks)) {
    if (task->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + task->d_name + "/comm");
    std::string shown;
    if (std::getline(comm, shown) && shown == name) n++;
  }
  closedir(tasks);
  return n;
}
