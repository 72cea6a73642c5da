/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kiosk.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QScreen>

#include <cmath>

#include "fs_access.h"
#include "live_pace.h"

namespace {

// The layouts the wall knows: 1, 2x2, 3x3, 4x4 tiles.
constexpr int kMaxColumns = 4;
// A camera's sound frames carry slot kAudioSlotBase + its video slot (its position).
constexpr uint32_t kAudioSlotBase = 1u << 16;

// A SingleFS holds one stream: a camera's sound needs a MultiFS.
bool holdsSound(valkka_fs_t *fs) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  return fs && valkka_fs_get_info(fs, &info) == 0 && info.kind == VALKKA_FS_MULTI;
}

// The live source of a stream another process records (the core's valkkafs:// reader), of an
// FS on this machine or one an HTTP server serves.
QString viewerUrl(const QString &fsDir, uint32_t streamId) {
  return QStringLiteral("valkkafs://%1?stream=%2")
      .arg(isRemoteFs(fsDir) ? fsDir : QFileInfo(fsDir).absoluteFilePath())
      .arg(streamId);
}

// The config of the FS in `dir` (how it is reached).
FsConfig fsConfigOf(const KioskConfig &config, const QString &dir) {
  for (const FsConfig &fs : config.filesystems)
    if (fs.dir == dir) return fs;
  return {};
}

int columnsFor(const QString &layout, int cameras) {
  if (!layout.isEmpty()) return layout.left(1).toInt();
  const int n = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(qMax(1, cameras)))));
  return qBound(1, n, kMaxColumns);
}

}  // namespace

Kiosk::Kiosk(QObject *parent) : QObject(parent) {}

Kiosk::~Kiosk() { shutdown(); }

bool Kiosk::start(const KioskConfig &config, const QString &layout, QString *error) {
  if (!store_.open(config.filesystems, error) || !manager_.create(error)) return false;
  // The manager runs every FS's writer, so playback sees each new block as it is finished; an
  // FS another process records it follows as that process writes it.
  for (valkka_fs_t *fs : store_.all())
    if (!manager_.addFs(fs, store_.readOnly(fs), error)) return false;

  std::vector<TimelineModel::Lane> lanes;
  std::vector<PlaybackGaps::Camera> gapCameras;
  std::vector<WallExport::Camera> exportCameras;
  std::vector<LiveWall::RecordTarget> targets(static_cast<size_t>(config.cameras.size()));
  QList<CameraConfig> shown = config.cameras;
  for (int i = 0; i < config.cameras.size(); i++)
    // The slot is the camera's position: status and pictures find their feed by it.
    feeds_.append(new CameraFeed(i, static_cast<uint32_t>(i), config.cameras.at(i).name, this));
  sound_ = new SoundOutput(feeds_, this);
  for (int i = 0; i < config.cameras.size(); i++) {
    const CameraConfig &cam = config.cameras.at(i);
    CameraFeed *feed = feeds_.at(i);
    valkka_fs_t *fs = store_.find(cam.fsDir);
    LiveWall::RecordTarget &target = targets[static_cast<size_t>(i)];
    if (fs && store_.readOnly(fs)) {
      // Another process records the camera: its tile shows the recording's live edge.
      target.viewOnly = true;
      shown[i].url = viewerUrl(cam.fsDir, cam.streamId);
      if (cam.subId) shown[i].subUrl = viewerUrl(cam.fsDir, cam.subId);
      // The source opens the FS itself, as the kiosk did: with the same CA and token.
      shown[i].options = fsOpenOptions(fsConfigOf(config, cam.fsDir));
      if (!manager_.mapCamera(fs, feed->slot(), cam.streamId, cam.name, feed, nullptr, nullptr,
                              &target.error))
        qWarning("valkka-kiosk: %s: not played back: %s", qPrintable(cam.name),
                 qPrintable(target.error));
      if (cam.audio && holdsSound(fs))
        manager_.mapSound(fs, kAudioSlotBase + feed->slot(), cam.audioId, cam.streamId, cam.name,
                          &SoundOutput::playbackSink, sound_->playbackUser(i), &target.error);
    } else if (!cam.recordMain) {
      target.mainRecorded = false;  // "record": "sub": the substream alone is recorded
    } else if (!manager_.mapCamera(fs, feed->slot(), cam.streamId, cam.name, feed, &target.sink,
                                   &target.user, &target.error)) {
      target.sink = nullptr;
    } else if (cam.audio && holdsSound(fs)) {
      // Sound is recorded and played where the FS can hold a camera's second stream.
      const uint32_t audioSlot = kAudioSlotBase + feed->slot();
      QString soundError;
      if (manager_.mapSound(fs, audioSlot, cam.audioId, cam.streamId, cam.name,
                            &SoundOutput::playbackSink, sound_->playbackUser(i), &soundError)) {
        target.audio = true;
        target.audioSlot = audioSlot;
        sound_->tapRecordSink(i, audioSlot, &target.sink, &target.user);
      } else {
        qWarning("valkka-kiosk: %s: its sound is not recorded: %s", qPrintable(cam.name),
                 qPrintable(soundError));
      }
    }
    setUpSubstream(cam, fs, feed, &target);
    // The camera's lane, gaps and export follow its main stream, or its sub when only that is
    // recorded.
    const uint32_t recordedId = cam.recordMain ? cam.streamId : cam.subId;
    lanes.push_back({cam.name, fs, recordedId, {}});
    const bool bothRecorded = target.viewOnly ? cam.subId != 0 : cam.recordMain && cam.recordSub;
    gapCameras.push_back({fs, recordedId, bothRecorded && fs ? cam.subId : 0});
    exportCameras.push_back({fsConfigOf(config, cam.fsDir), fs, fs ? recordedId : 0});
  }
  cameras_ = new CameraModel(feeds_, this);
  timeline_ = new TimelineModel(this);
  playback_ = new Playback(&manager_, feeds_, this);
  gaps_ = new PlaybackGaps(&manager_, playback_, std::move(gapCameras), this);
  // The CLI installed beside the kiosk (bin/), else the one on PATH.
  const QString cli = QCoreApplication::applicationDirPath() + QStringLiteral("/valkka");
  exporter_ = new WallExport(std::move(exportCameras),
                             QFileInfo(cli).isExecutable() ? cli : QStringLiteral("valkka"), this);
  snapshots_ = new TileSnapshot(feeds_, snapshotFolder_, this);
  columns_ = columnsFor(layout, static_cast<int>(feeds_.size()));

  connect(&manager_, &PlaybackManager::blockFinished, timeline_, &TimelineModel::refreshSoon);
  connect(&manager_, &PlaybackManager::blockFinished, gaps_, &PlaybackGaps::update);
  connect(gaps_, &PlaybackGaps::streamsAtPlayheadChanged, this, [this](int i, bool main, bool sub) {
    if (i >= 0 && i < feeds_.size()) feeds_.at(i)->setRecordedAtPlayhead(main, sub);
  });
  connect(playback_, &Playback::liveChanged, &wall_, &LiveWall::setLiveDisplay);
  connect(playback_, &Playback::liveChanged, sound_, [this](bool live) {
    sound_->setSource(live ? SoundOutput::Source::Live : SoundOutput::Source::Playback);
  });
  connect(playback_, &Playback::speedChanged, sound_,
          [this] { sound_->setPlaybackSpeed(playback_->speed()); });
  if (!wall_.start(shown, targets, feeds_, error)) return false;
  followRecorders(config);
  timeline_->start(std::move(lanes));
  return true;
}

void Kiosk::followRecorders(const KioskConfig &config) {
  for (const FsConfig &fsConfig : config.filesystems) {
    valkka_fs_t *fs = store_.find(fsConfig.dir);
    if (!fs || !store_.readOnly(fs)) continue;
    // Read through the FS the kiosk holds open: a URL's server is asked as it is for the rest.
    auto *status = new RecorderStatus(fsConfig.dir, fs, this);
    statuses_.append(status);
    const QList<CameraConfig> cameras = config.cameras;
    connect(status, &RecorderStatus::changed, this, [this, status, cameras] {
      const auto views = recorderViews(status->snapshot(), status->dir(), cameras,
                                       QDateTime::currentMSecsSinceEpoch());
      for (const auto &[i, view] : views)
        if (i < feeds_.size()) feeds_.at(i)->applyRecorder(view);
    });
  }
}

void Kiosk::shutdown() {
  // Each step is idempotent, so this also cleans up after a start() that failed half way.
  pacer_.stop();
  wall_.stop();
  manager_.destroy();
  if (timeline_) timeline_->stop();
  if (gaps_) gaps_->stop();
  if (exporter_) exporter_->stop();
  // They read through the FSes.
  qDeleteAll(statuses_);
  statuses_.clear();
  store_.close();
}

void Kiosk::watchWindow(QQuickWindow *window) {
  // frameSwapped comes from the render thread (threaded render loop): count it right there.
  connect(
      window, &QQuickWindow::frameSwapped, this,
      [this] { windowFrames_.fetch_add(1, std::memory_order_relaxed); }, Qt::DirectConnection);
  displayHz_ = window->screen() ? window->screen()->refreshRate() : 0;
  pacer_.setTimerType(Qt::PreciseTimer);
  pacer_.setInterval(beatMs({}, displayHz_));
  connect(&pacer_, &QTimer::timeout, this, &Kiosk::beat);
  pacer_.start();
  beatClock_.start();
  wall_.followBeat(&pacer_);
  if (timeline_) timeline_->followBeat(&pacer_);
}

void Kiosk::beat() {
  beats_++;
  for (CameraFeed *feed : std::as_const(feeds_)) feed->flush();
  // The beat follows the cameras' rates, learnt anew about once a second (restarting the timer
  // at every tick would shift the beat).
  if (beatClock_.elapsed() < 1000) return;
  beatClock_.restart();
  std::vector<double> intervals;
  for (const CameraFeed *feed : std::as_const(feeds_)) intervals.push_back(feed->liveIntervalMs());
  const int ms = beatMs(intervals, displayHz_);
  if (ms != pacer_.interval()) pacer_.setInterval(ms);
}

void Kiosk::setColumns(int columns) {
  columns = qBound(1, columns, kMaxColumns);
  if (columns == columns_) return;
  columns_ = columns;
  emit columnsChanged();
}
