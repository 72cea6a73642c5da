/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Gaps in playback for QML: which cameras recorded nothing at the playhead (from each camera's
// ranges in its FS, valkka_fs_get_ranges), so their tiles say "no recording" instead of showing
// an old picture as if it were now; and the operator's choice between jumping gaps (the core's
// default) and real time (the clock runs on through them, the tiles marked).
#pragma once

#include <QList>
#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <cstdint>
#include <utility>
#include <vector>

#include <valkka/fs.h>

class Playback;
class PlaybackManager;

class PlaybackGaps : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  // One bool per camera (by index): true in playback when its camera has nothing at the playhead.
  Q_PROPERTY(QVariantList missing READ missing NOTIFY missingChanged)
  // True in playback when no camera has anything at the playhead: the readout says so.
  Q_PROPERTY(bool allMissing READ allMissing NOTIFY missingChanged)
  Q_PROPERTY(bool realTime READ realTime WRITE setRealTime NOTIFY realTimeChanged)

 public:
  struct Camera {
    valkka_fs_t *fs = nullptr;  // not owned; nullptr: the camera records nowhere
    uint32_t streamId = 0;
    // Its substream when both are recorded (0: none): a tile may show either stream, so the
    // camera has a picture where either was recorded.
    uint32_t subId = 0;
  };

  // `cameras` by camera index; their FSes must stay open until stop().
  PlaybackGaps(PlaybackManager *manager, const Playback *playback, std::vector<Camera> cameras,
               QObject *parent = nullptr);

  QVariantList missing() const { return missing_; }
  bool allMissing() const { return allMissing_; }
  bool realTime() const { return realTime_; }
  void setRealTime(bool realTime);
  // Forgets the FS handles (call before they are closed).
  void stop();

 public slots:
  // Works out again which cameras have nothing at the playhead.
  void update();

 signals:
  void missingChanged();
  void realTimeChanged();
  // A camera with both streams recorded: which of them hold frames at the playhead changed
  // (both, in live view and at start).
  void streamsAtPlayheadChanged(int camera, bool main, bool sub);

 private:
  PlaybackManager *manager_;
  const Playback *playback_;
  std::vector<Camera> cameras_;
  QVariantList missing_;
  std::vector<std::pair<bool, bool>> streamsAt_;  // by camera: main, sub at the playhead
  bool allMissing_ = false;
  bool realTime_ = false;
};
