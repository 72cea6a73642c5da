/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the recorder of a viewed FS says of its cameras: its status.json (README.md, "status.json")
// read, watched as it is renamed into place (fetched each second from a recorder's HTTP server),
// and turned into what a viewer's tile shows. A file that is missing, half-written or garbage
// never stops the kiosk: it is said once on stderr and the tiles keep the last word the recorder
// gave, which goes stale as any other; a server that does not answer is said on the tiles.
#pragma once

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QThread>
#include <QTimer>

#include <cstdint>

#include <valkka/fs.h>

#include "kiosk_config.h"

// A recorder whose `updated` is older than this says nothing any more about its cameras: it died,
// hangs or lost its disk (it rewrites the file each second).
constexpr qint64 kRecorderStaleMs = 5000;

// A camera as the file gives it.
struct RecorderCamera {
  QString name;
  uint32_t streamId = 0;
  QString state;  // "connecting", "streaming", ..., "stopped"
  QString reason;
  double fps = 0;
  qint64 retryAtMs = 0;  // when it tries again (reconnecting; 0 when the file does not say)
};

// One reading of the file.
struct RecorderSnapshot {
  bool valid = false;  // a whole file was read
  QString problem;     // why not ("" when valid)
  qint64 updatedMs = 0;
  qint64 stoppedMs = 0;  // the recorder stopped cleanly (0: it did not say so)
  QString recorder;      // its "name" (or "host"), when the file gives one
  QList<RecorderCamera> cameras;
  // The last fetch of a remote FS's file failed (the server down, refusing, stalled): why,
  // redacted; "" once it answers again.
  QString unreachable;
};

// The file's text as a snapshot; `problem` says what is wrong with text that is not a status.
// Cameras with a field of the wrong kind are skipped, not the file.
RecorderSnapshot parseRecorderStatus(const QByteArray &text);

// What a tile shows of one camera, by the recorder.
struct RecorderCameraView {
  bool known = false;  // false: the recorder says nothing of it (the viewer's own reading stands)
  bool recorderGone = false;  // the recorder stopped or is not updating: `banner` says which
  // "RECORDER STOPPED at 14:05:03", "RECORDER NOT UPDATING since ...", "RECORDER UNREACHABLE: ..."
  QString banner;
  uint32_t state = 0;  // valkka_stream_state_t when !recorderGone
  QString reason;
  double fps = 0;
  qint64 retryAtMs = 0;
};

// Camera `streamId` (or, when no camera of the file has that id, `name`) of `snapshot` as it
// stands at wall-clock `nowMs`.
RecorderCameraView recorderView(const RecorderSnapshot &snapshot, uint32_t streamId,
                                const QString &name, qint64 nowMs);

// What `snapshot`, the status of the recorder of the FS in `dir`, says of each of a wall's
// `cameras` that is a stream of that FS (by its stream id, else the name its recorder gives it),
// with the camera's index: a camera is its FS's stream, and two recorders may both have a stream 1.
QList<QPair<int, RecorderCameraView>> recorderViews(const RecorderSnapshot &snapshot,
                                                    const QString &dir,
                                                    const QList<CameraConfig> &cameras,
                                                    qint64 nowMs);

// DIR/status.json watched: read first as the event loop next runs, again whenever the directory
// changes (the recorder renames each new version into place) and each second (staleness needs no
// event). With `fs` (the FS of DIR, open until this is destroyed) the file is read through it
// (valkka_fs_load_file) on a thread of its own, as a server may take its time; DIR may then be a
// URL, which is read each second only.
class RecorderStatus : public QObject {
  Q_OBJECT
 public:
  explicit RecorderStatus(const QString &dir, valkka_fs_t *fs = nullptr, QObject *parent = nullptr);
  ~RecorderStatus() override;

  QString dir() const { return dir_; }
  // The last whole file read (its cameras kept when a later read failed), with the last problem.
  const RecorderSnapshot &snapshot() const { return snapshot_; }
  // Reads the file now (through `fs`: starts reading it, or again once the read under way ends)
  // and emits changed() once read.
  void reload();

 signals:
  void changed();

 private:
  // One reading: the snapshot, or why there is none (`unreachable`: the server did not answer).
  void apply(const RecorderSnapshot &read);
  void fetchDone(const RecorderSnapshot &read);

  const QString dir_;
  valkka_fs_t *const fs_;
  QFileSystemWatcher watcher_;
  QTimer timer_;
  RecorderSnapshot snapshot_;
  QString reported_;          // the problem last said on stderr
  QThread *fetch_ = nullptr;  // the read through fs_ under way
  bool again_ = false;        // a reload came while it ran
};
