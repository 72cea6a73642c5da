/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "playback_gaps.h"

#include "playback.h"
#include "playback_manager.h"

namespace {

// A camera's picture stands for this long after its last frame of a range: shorter steps are
// not gaps for the ranges index either (a gap is longer than 1 s or two frame intervals).
constexpr int64_t kHoldMs = 1000;

bool recordedAt(valkka_fs_t *fs, uint32_t streamId, int64_t t) {
  valkka_fs_range_t range{};
  range.struct_size = sizeof range;
  return valkka_fs_get_ranges(fs, streamId, t - kHoldMs, t, &range, 1) > 0;
}

bool recordedAt(const PlaybackGaps::Camera &camera, int64_t t) {
  if (!camera.fs) return false;
  return recordedAt(camera.fs, camera.streamId, t) ||
         (camera.subId && recordedAt(camera.fs, camera.subId, t));
}

}  // namespace

PlaybackGaps::PlaybackGaps(PlaybackManager *manager, const Playback *playback,
                           std::vector<Camera> cameras, QObject *parent)
    : QObject(parent), manager_(manager), playback_(playback), cameras_(std::move(cameras)) {
  for (size_t i = 0; i < cameras_.size(); i++) missing_.append(false);
  connect(playback_, &Playback::positionChanged, this, &PlaybackGaps::update);
  connect(playback_, &Playback::liveChanged, this, &PlaybackGaps::update);
}

void PlaybackGaps::setRealTime(bool realTime) {
  if (realTime == realTime_) return;
  if (manager_->setGaps(realTime) != 0) return;
  realTime_ = realTime;
  emit realTimeChanged();
}

void PlaybackGaps::stop() {
  cameras_.clear();
  update();
}

void PlaybackGaps::update() {
  const bool playback = !playback_->live() && playback_->position() > 0;
  const auto t = static_cast<int64_t>(playback_->position());
  QVariantList missing;
  bool all = playback && !missing_.isEmpty();
  for (qsizetype i = 0; i < missing_.size(); i++) {
    const size_t k = static_cast<size_t>(i);
    missing.append(playback && k < cameras_.size() && !recordedAt(cameras_[k], t));
    all = all && missing.last().toBool();
  }
  if (missing == missing_ && all == allMissing_) return;
  missing_ = missing;
  allMissing_ = all;
  emit missingChanged();
}
