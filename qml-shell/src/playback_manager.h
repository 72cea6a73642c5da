/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The core's playback manager (abi/valkka/manager.h) for the kiosk: it runs the FS writers
// (recording), maps every camera both ways (write slot -> stream id for recording; stream id ->
// the camera's feed for playback), and plays back all cameras on one clock. Its callbacks arrive
// on the GUI thread as signals.
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>

#include <valkka/manager.h>

class CameraFeed;

class PlaybackManager : public QObject {
  Q_OBJECT
 public:
  explicit PlaybackManager(QObject *parent = nullptr);
  ~PlaybackManager() override;

  bool create(QString *error);
  // Adds an open FS and starts its writer (the manager's new-block hook included); a read-only
  // one (`follow`) is followed as the process that records it writes (VALKKA_MANAGER_FS_FOLLOW).
  bool addFs(valkka_fs_t *fs, bool follow, QString *error);
  // Records frames of `slot` as `streamId` into `fs`, and sends the stream's played-back
  // pictures to `feed`. `*sink` / `*user` become the camera's record sink (live.h).
  // The stream is named `name` in the FS's stream table. With `sink` NULL (an FS another process
  // records) it only plays back. A substream names its camera's main stream as `cameraId`.
  bool mapCamera(valkka_fs_t *fs, uint32_t slot, uint32_t streamId, const QString &name,
                 CameraFeed *feed, valkka_frame_sink_fn *sink, void **user, QString *error,
                 uint32_t cameraId = 0);
  // Records frames of `slot` as the sound stream `audioId` of camera `streamId` (named `name`,
  // as the video) into `fs`, and sends the stream's played-back packets to `output(user, ...)`.
  bool mapSound(valkka_fs_t *fs, uint32_t slot, uint32_t audioId, uint32_t streamId,
                const QString &name, valkka_frame_sink_fn output, void *user, QString *error);
  // Whether playback decodes stream `streamId` of `fs` (mapped by mapCamera): a camera's main
  // stream or substream, the one its tile does not show inactive. Recording goes on either way.
  bool setStreamActive(valkka_fs_t *fs, uint32_t streamId, bool active, QString *error);
  // Stops writers (writing what is queued), the file cache and every callback. Idempotent; the
  // FSes stay open (their owner closes them after).
  void destroy();

  // Transport: each returns 0 or a VALKKA_E code (playback requests are queued in the core).
  int seek(int64_t mstime);
  int play(double speed);
  int pause();
  int stop();
  // Playing jumps gaps of every camera, or with `realTime` runs on through them.
  int setGaps(bool realTime);
  // `frames` 1 or -1: every stream one of its own frames forward or back.
  int step(int frames);
  // Every camera's keyframe at or before `mstime`: the playhead dragged.
  int scrub(int64_t mstime);
  // The playhead (0 before the first seek or play) and the recorded range of every FS.
  int64_t currentTime() const;
  void timeRange(int64_t *first, int64_t *last) const;
  // The streams the manager plays back now (video and sound; inactive ones left out).
  uint32_t activeStreams() const;

 signals:
  // The heartbeat: the playhead moved (coalesced: at most one pending on the GUI thread).
  void timeChanged(qint64 mstime);
  // A block of an FS was finished.
  void blockFinished();

 private:
  static void onTime(void *user, int64_t mstime);
  static void onBlock(void *user, valkka_fs_t *fs, const valkka_fs_block_event_t *event);

  valkka_manager_t *manager_ = nullptr;
  std::atomic<bool> timePending_{false};
};
