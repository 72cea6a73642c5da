/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recording.h"

#include <gtest/gtest.h>

#include <chrono>

namespace rtsp_test {

RecordingRig::RecordingRig(valkka_live_config_t config, uint32_t block_size) {
  valkka_plugins_load();
  std::string path = dir_.path() + "/fs";
  valkka_fs_create_params_t create{};
  create.struct_size = sizeof create;
  create.kind = VALKKA_FS_MULTI;
  create.block_size = block_size;  // the default, 256 KiB: about a second of five cameras
  create.n_blocks = (32u << 20) / block_size;
  if (valkka_fs_create(path.c_str(), &create) != 0 ||
      valkka_fs_open(path.c_str(), nullptr, &fs_) != 0 ||
      valkka_fs_writer_start(fs_, nullptr) != 0) {
    ADD_FAILURE() << "fs: " << valkka_last_error();
    return;
  }
  config.struct_size = sizeof config;
  if (!(live_ = valkka_live_create(&config))) {
    ADD_FAILURE() << "live: " << valkka_last_error();
    return;
  }
  valkka_live_set_status_callback(live_, Recorder::status, &recorder_);
}

RecordingRig::~RecordingRig() {
  stop();
  valkka_fs_close(fs_);
}

int RecordingRig::sink(void *user, const valkka_frame_t *frame) {
  Tap *tap = static_cast<Tap *>(user);
  RecordingRig *rig = tap->rig;
  // The recorder sees every frame (status, counts); the FS decides what it takes.
  Recorder::record_sink(rig->recorder_.tap(tap->slot), frame);
  int err = valkka_fs_sink(rig->fs_, frame);
  if (err == 0) {
    std::lock_guard<std::mutex> guard(rig->lock_);
    Accepted &a = rig->accepted_[tap->slot];
    const bool video = !valkka_codec_is_audio(valkka_codec_t(frame->codec));
    if (frame->kind == VALKKA_FRAME_CONFIG) a.configs++;
    if (frame->kind == VALKKA_FRAME_CONFIG && video)
      a.config.assign(frame->data, frame->data + frame->size);
    if (frame->kind == VALKKA_FRAME_ENCODED && video && (frame->flags & VALKKA_FRAME_KEYFRAME))
      a.keyframe_configs.push_back(a.config);
    if (frame->kind == VALKKA_FRAME_ENCODED) {
      a.encoded++;
      a.encoded_times.push_back(frame->mstime);
      a.last_arrival_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      a.encoded_arrivals.push_back(a.last_arrival_ms);
    }
  }
  return err;
}

int RecordingRig::add_camera(uint32_t slot, const std::string &url,
                             std::vector<std::pair<std::string, std::string>> options) {
  int err = valkka_fs_map(fs_, slot, slot + 1);
  if (err) return err;
  Tap *tap;
  {
    std::lock_guard<std::mutex> guard(lock_);
    taps_[slot] = std::make_unique<Tap>(Tap{this, slot});
    tap = taps_[slot].get();
  }
  std::vector<valkka_option_t> opts;
  for (const auto &o : options) opts.push_back({o.first.c_str(), o.second.c_str()});
  std::string name = "cam" + std::to_string(slot);
  valkka_camera_t cam{};
  cam.struct_size = sizeof cam;
  cam.slot = slot;
  cam.name = name.c_str();
  cam.url = url.c_str();
  cam.options = opts.data();
  cam.n_options = opts.size();
  return valkka_live_add_camera(live_, &cam, sink, tap);
}

Accepted RecordingRig::accepted(uint32_t slot) {
  std::lock_guard<std::mutex> guard(lock_);
  return accepted_[slot];
}

void RecordingRig::stop() {
  valkka_live_destroy(live_);
  live_ = nullptr;
  if (fs_) valkka_fs_writer_stop(fs_);
}

}  // namespace rtsp_test
