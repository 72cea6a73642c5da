/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tile_snapshot.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QSaveFile>

#include "camera_feed.h"
#include "frame_image.h"
#include "snapshot_file.h"

namespace {

// A name not yet taken in `dir`: the same picture snapped twice keeps both files.
QString freePath(const QDir &dir, const QString &name) {
  QString path = dir.filePath(name);
  const QString stem = name.chopped(4);  // without ".png"
  for (int n = 2; QFileInfo::exists(path); n++)
    path = dir.filePath(QStringLiteral("%1-%2.png").arg(stem).arg(n));
  return path;
}

}  // namespace

TileSnapshot::TileSnapshot(const QList<CameraFeed *> &feeds, const QString &folder, QObject *parent)
    : QObject(parent), feeds_(feeds), folder_(folder) {
  pool_.setMaxThreadCount(1);
}

TileSnapshot::~TileSnapshot() { pool_.waitForDone(); }

void TileSnapshot::take(int camera) {
  if (camera < 0 || camera >= feeds_.size()) {
    done({false, tr("Snapshot: point at a tile, or maximise one, first"), {}});
    return;
  }
  const CameraFeed *feed = feeds_.at(camera);
  const QVideoFrame frame = feed->shownFrame();
  if (!frame.isValid()) {
    done({false, tr("Snapshot of %1: no picture yet").arg(feed->name()), {}});
    return;
  }
  // The picture's own time (copyToVideoFrame: mstime in microseconds), not the wall clock's.
  const qint64 mstime = frame.startTime() >= 0 ? frame.startTime() / 1000 : feed->shownMstime();
  const QString name = feed->name(), folder = folder_;
  pending_++;
  emit busyChanged();
  pool_.start([this, frame, name, mstime, folder] {
    Result result;
    const QDir dir(folder);
    QImage image;
    if (!QDir().mkpath(folder)) {
      result.text = tr("Snapshot not saved: cannot create the folder %1").arg(folder);
    } else if ((image = frameImage(frame)).isNull()) {
      result.text = tr("Snapshot of %1 not saved: its picture cannot be read").arg(name);
    } else {
      result.box = burnInLabel(&image, name, mstime);
      const QString path = freePath(dir, snapshotFileName(name, mstime));
      QSaveFile file(path);
      QImageWriter writer(&file, "png");
      if (file.open(QIODevice::WriteOnly) && writer.write(image) && file.commit()) {
        result.ok = true;
        result.text = path;
      } else {
        const QString why = file.error() != QFileDevice::NoError ? file.errorString()
                                                                 : writer.errorString();
        result.text = tr("Snapshot not saved: cannot write %1: %2").arg(path, why);
      }
    }
    QMetaObject::invokeMethod(
        this,
        [this, result] {
          pending_--;
          emit busyChanged();
          done(result);
        },
        Qt::QueuedConnection);
  });
}

void TileSnapshot::done(const Result &result) {
  failed_ = !result.ok;
  file_ = result.ok ? result.text : QString();
  box_ = result.box;
  message_ = result.ok ? tr("Snapshot saved: %1").arg(result.text) : result.text;
  count_++;
  emit finished();
}
