/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Export from the wall: the range marked on the timeline (in and out), the cameras chosen, to a
// folder, one file per camera, by `valkka export` itself (a child process per FS, so the GUI
// thread never waits, and the files carry its naming and metadata); progress and the result for
// QML, and the command line that does the same, for copying.
#pragma once

#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <cstdint>
#include <map>
#include <vector>

#include <valkka/fs.h>

#include "kiosk_config.h"

class WallExport : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  Q_PROPERTY(double markIn READ markIn WRITE setMarkIn NOTIFY marksChanged)
  Q_PROPERTY(double markOut READ markOut WRITE setMarkOut NOTIFY marksChanged)
  Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY folderChanged)
  Q_PROPERTY(bool running READ running NOTIFY progressChanged)
  Q_PROPERTY(int progress READ progress NOTIFY progressChanged)
  Q_PROPERTY(QString result READ result NOTIFY progressChanged)
  Q_PROPERTY(QStringList files READ files NOTIFY progressChanged)
  // The command line of the export started last.
  Q_PROPERTY(QString command READ command NOTIFY progressChanged)

 public:
  struct Camera {
    FsConfig fs;                    // where it is recorded
    valkka_fs_t *handle = nullptr;  // not owned: its stream table names the files
    uint32_t streamId = 0;
  };

  // `cameras` by camera index; `valkka` the CLI to run.
  WallExport(std::vector<Camera> cameras, QString valkka, QObject *parent = nullptr);
  ~WallExport() override;

  double markIn() const { return markIn_; }
  double markOut() const { return markOut_; }
  void setMarkIn(double ms);
  void setMarkOut(double ms);
  QString folder() const { return folder_; }
  void setFolder(const QString &folder);
  bool running() const { return process_.state() != QProcess::NotRunning || !jobs_.empty(); }
  int progress() const { return progress_; }
  QString result() const { return result_; }
  QStringList files() const { return files_; }
  QString command() const { return command_; }

  // The shell commands that export `cameras` (indices) over the marks into the folder, a line
  // per FS: what start() runs.
  Q_INVOKABLE QString commandLine(const QVariantList &cameras) const;
  // Starts the export; false (with `result` saying why) when the marks, folder or cameras are
  // not usable or one runs already.
  Q_INVOKABLE bool start(const QVariantList &cameras);
  // Stops the export running (its partial files are the CLI's temporaries: removed by it).
  Q_INVOKABLE void cancel();
  // Forgets the FS handles (call before they are closed); stops an export.
  void stop();

 signals:
  void marksChanged();
  void folderChanged();
  void progressChanged();

 private:
  struct Job {
    QStringList args;
    QStringList files;  // what it writes
  };
  std::vector<Job> jobsFor(const QVariantList &cameras) const;
  void runNext();
  void readProgress();
  void finished(int exitCode, QProcess::ExitStatus status);
  void setResult(const QString &result);

  std::vector<Camera> cameras_;
  QString valkka_;
  double markIn_ = 0, markOut_ = 0;
  QString folder_;
  QProcess process_;
  std::vector<Job> jobs_;  // still to run, the first running
  int cameraCount_ = 0;
  std::map<QString, int> percent_;  // of the running job's cameras, by progress label
  int progress_ = 0;
  int failures_ = 0;
  QString lastError_;
  QString result_;
  QStringList files_;
  QString command_;
};
