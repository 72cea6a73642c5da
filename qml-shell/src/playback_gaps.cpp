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

}  // namespace

PlaybackGaps::PlaybackGaps(PlaybackManager *manager, const Playback *playback,
                           std::vector<Camera> cameras, QObject *parent)
    : QObject(parent), manager_(manager), playback_(playback), cameras_(std::move(cameras)) {
  for (size_t i = 0; i < cameras_.size(); i++) missing_.append(false);
  streamsAt_.assign(cameras_.size(), {true, true});
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
    const Camera *camera = playback && k < cameras_.size() ? &cameras_[k] : nullptr;
    const bool main = camera && camera->fs && recordedAt(camera->fs, camera->streamId, t);
    const bool sub = camera && camera->fs && camera->subId &&
                     recordedAt(camera->fs, camera->subId, t);
    missing.append(camera && !main && !sub);
    all = all && missing.last().toBool();
    // A tile shows either of a camera's two recorded streams: the one there at the playhead.
    const std::pair<bool, bool> at = camera && camera->subId ? std::make_pair(main, sub)
                                                             : std::make_pair(true, true);
    if (k < streamsAt_.size() && at != streamsAt_[k]) {
      streamsAt_[k] = at;
      emit streamsAtPlayheadChanged(static_cast<int>(i), at.first, at.second);
    }
  }
  if (missing == missing_ && all == allMissing_) return;
  missing_ = missing;
  allMissing_ = all;
  emit missingChanged();
}
