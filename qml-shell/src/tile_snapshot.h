/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A tile's snapshot (the S key, the tile's camera button): the picture the tile shows, at the
// camera's own resolution, with the camera's name and the picture's time burned in
// (snapshot_file.h), written as a PNG into the snapshot folder. The picture is taken on the GUI
// thread (a reference to the sink's frame, no copy); converting, drawing and the PNG encoding
// run on a worker thread of the object's own, so the wall never waits for them. What happened,
// in words, is `message` (the kiosk's toast).
#pragma once

#include <QList>
#include <QObject>
#include <QRect>
#include <QString>
#include <QThreadPool>
#include <QtQml/qqmlregistration.h>

class CameraFeed;

class TileSnapshot : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  Q_PROPERTY(QString folder READ folder CONSTANT)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  // The last snapshot's outcome: where it went, or what went wrong; `failed` tells which.
  Q_PROPERTY(QString message READ message NOTIFY finished)
  Q_PROPERTY(bool failed READ failed NOTIFY finished)
  // Snapshots finished (written or failed), so the same message twice shows twice.
  Q_PROPERTY(int count READ count NOTIFY finished)

 public:
  // `feeds` by camera index (not owned; they outlive this). `folder` is made when first needed.
  TileSnapshot(const QList<CameraFeed *> &feeds, const QString &folder, QObject *parent = nullptr);
  // Waits for the snapshot being written.
  ~TileSnapshot() override;

  QString folder() const { return folder_; }
  bool busy() const { return pending_ > 0; }
  QString message() const { return message_; }
  bool failed() const { return failed_; }
  int count() const { return count_; }
  // The file the last snapshot went to ("" when it failed) and its burned-in box (picture pixels).
  QString file() const { return file_; }
  QRect box() const { return box_; }

  // GUI thread: takes camera `camera`'s picture now and writes it in the background. A camera
  // out of range (no tile chosen) or without a picture yet is said in `message`, never thrown.
  Q_INVOKABLE void take(int camera);

 signals:
  void busyChanged();
  void finished();

 private:
  struct Result {
    bool ok = false;
    QString text;  // the path written, or what went wrong
    QRect box;
  };
  void done(const Result &result);

  QList<CameraFeed *> feeds_;
  QString folder_;
  int pending_ = 0;
  QString message_;
  bool failed_ = false;
  int count_ = 0;
  QString file_;
  QRect box_;
  QThreadPool pool_;  // one thread: snapshots are written in the order they were taken
};
