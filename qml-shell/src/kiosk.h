/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk's objects for QML: the cameras (feeds and their model), the timeline, the playback
// transport and the wall layout; and underneath, the FSes, the playback manager that runs their
// writers, and the live pipeline.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QElapsedTimer>
#include <QTimer>
#include <QQuickWindow>
#include <QtQml/qqmlregistration.h>

#include <atomic>

#include "camera_model.h"
#include "fs_store.h"
#include "kiosk_config.h"
#include "live_wall.h"
#include "playback.h"
#include "playback_gaps.h"
#include "playback_manager.h"
#include "recorder_status.h"
#include "sound_output.h"
#include "tile_snapshot.h"
#include "timeline_model.h"
#include "wall_export.h"

class Kiosk : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by main()")
  Q_PROPERTY(CameraModel *cameras READ cameras CONSTANT)
  Q_PROPERTY(TimelineModel *timeline READ timeline CONSTANT)
  Q_PROPERTY(Playback *playback READ playback CONSTANT)
  Q_PROPERTY(int columns READ columns WRITE setColumns NOTIFY columnsChanged)
  Q_PROPERTY(SoundOutput *sound READ sound CONSTANT)
  Q_PROPERTY(PlaybackGaps *gaps READ gaps CONSTANT)
  Q_PROPERTY(WallExport *exporter READ exporter CONSTANT)
  Q_PROPERTY(TileSnapshot *snapshots READ snapshots CONSTANT)

 public:
  explicit Kiosk(QObject *parent = nullptr);
  ~Kiosk() override;

  // Opens (creates) the FSes, starts recording every camera, playback and the timeline.
  // `layout` is "1", "2x2", "3x3", "4x4" or empty (chosen for the camera count). False with
  // `error` set when an FS cannot be opened or the core's objects not made; a single camera that
  // fails shows FAILED on its tile instead.
  bool start(const KioskConfig &config, const QString &layout, QString *error);
  // Stops the cameras (no more live pictures or status), the manager (writers write what is
  // queued; no more playback pictures), the timeline and the FSes, in that order. Call before
  // the QML engine (which owns the video sinks) goes. Idempotent.
  void shutdown();

  CameraModel *cameras() const { return cameras_; }
  TimelineModel *timeline() const { return timeline_; }
  Playback *playback() const { return playback_; }
  SoundOutput *sound() const { return sound_; }
  PlaybackGaps *gaps() const { return gaps_; }
  // The streams playback decodes or plays now (for the test control).
  uint32_t playbackStreams() const { return manager_.activeStreams(); }
  WallExport *exporter() const { return exporter_; }
  TileSnapshot *snapshots() const { return snapshots_; }
  // Before start(): the folder snapshots go to.
  void setSnapshotFolder(const QString &folder) { snapshotFolder_ = folder; }
  const QList<CameraFeed *> &feeds() const { return feeds_; }

  // Counts the frames `window` renders (windowFrames), for tests and the wall benchmark, and
  // hands the tiles their new live pictures on one beat (beatMs(), live_pace.h, with the rate of
  // `window`'s screen; CameraFeed::flush).
  void watchWindow(QQuickWindow *window);
  uint64_t windowFrames() const { return windowFrames_.load(std::memory_order_relaxed); }
  // The beat's period now, in ms, and the beats since start (the test control's state).
  int beatPeriodMs() const { return pacer_.interval(); }
  uint64_t beats() const { return beats_; }

  // Tiles per row and column (1..4).
  int columns() const { return columns_; }
  void setColumns(int columns);

 signals:
  void columnsChanged();

 private:
  // Each FS another process records: its status.json drives the tiles of its cameras.
  void followRecorders(const KioskConfig &config);
  // kiosk_substream.cpp: camera `cam`'s substream mapped for recording and playback, its live
  // camera's slot and sink into `target`, the feed told which streams it can show.
  void setUpSubstream(const CameraConfig &cam, valkka_fs_t *fs, CameraFeed *feed,
                      LiveWall::RecordTarget *target);
  // kiosk_substream.cpp: playback decodes the camera's stream its tile wants, and the one it
  // shows until the wanted one's first picture; the other is inactive in the manager.
  void updatePlaybackStreams(CameraFeed *feed, valkka_fs_t *fs, uint32_t mainId, uint32_t subId);
  void beat();

  // Declared in the order they start; destroyed (stopped) in the reverse one.
  FsStore store_;
  PlaybackManager manager_;
  LiveWall wall_;
  QList<CameraFeed *> feeds_;
  QTimer pacer_;             // the beat: the tiles' new live pictures go to their sinks
  QElapsedTimer beatClock_;  // since the beat's period was last chosen
  double displayHz_ = 0;
  uint64_t beats_ = 0;
  CameraModel *cameras_ = nullptr;
  TimelineModel *timeline_ = nullptr;
  Playback *playback_ = nullptr;
  SoundOutput *sound_ = nullptr;
  PlaybackGaps *gaps_ = nullptr;
  WallExport *exporter_ = nullptr;
  TileSnapshot *snapshots_ = nullptr;
  QString snapshotFolder_;
  QList<RecorderStatus *> statuses_;
  int columns_ = 2;
  std::atomic<uint64_t> windowFrames_{0};
};
