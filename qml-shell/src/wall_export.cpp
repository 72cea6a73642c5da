/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wall_export.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>

#include <valkka/fs.h>

#include "fs_access.h"

namespace {

// As the CLI reads it back (cli_time.c): the wall's local time with its offset, to the ms.
QString isoTime(double ms) {
  const QDateTime local = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms));
  return local.toOffsetFromUtc(local.offsetFromUtc()).toString(Qt::ISODateWithMs);
}

// A word of a command line as a POSIX shell reads it back.
QString shellQuoted(const QString &word) {
  static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:+,=@%-]+$"));
  if (plain.match(word).hasMatch()) return word;
  QString quoted = word;
  quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
  return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// The stream's name in its FS's stream table ("" when not named): the CLI names files by it.
QString tableName(valkka_fs_t *fs, uint32_t id) {
  if (!fs) return {};
  std::vector<valkka_fs_stream_info_t> streams(256);
  streams[0].struct_size = sizeof streams[0];
  const int n = valkka_fs_get_streams(fs, streams.data(), static_cast<uint32_t>(streams.size()));
  for (int i = 0; i < std::min<int>(n, static_cast<int>(streams.size())); i++)
    if (streams[static_cast<size_t>(i)].stream_id == id)
      return QString::fromUtf8(streams[static_cast<size_t>(i)].name);
  return {};
}

// export_output_name (core-c/cli/export_output.c): CAMERA_YYYYmmdd-HHMMSS.mp4, the name made safe
// as a file name, "streamN" for an unnamed stream, the time --from's, local.
QString exportFileName(const QString &camera, uint32_t id, double fromMs) {
  QString name;
  const QByteArray utf8 = camera.toUtf8();
  for (qsizetype i = 0; i < utf8.size(); i++) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    const bool bad = c < 0x20 || c == 0x7f || QByteArrayView("/\\:*?\"<>| ").contains(char(c)) ||
                     (i == 0 && c == '.');
    name += bad ? QStringLiteral("_") : QString();
    if (!bad) name += QString::fromUtf8(utf8.mid(i, 1));
  }
  if (utf8.isEmpty()) name = QStringLiteral("stream%1").arg(id);
  const QDateTime from = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(fromMs));
  return QStringLiteral("%1_%2.mp4").arg(name, from.toString(QStringLiteral("yyyyMMdd-HHmmss")));
}

}  // namespace

WallExport::WallExport(std::vector<Camera> cameras, QString valkka, QObject *parent)
    : QObject(parent), cameras_(std::move(cameras)), valkka_(std::move(valkka)) {
  folder_ = QDir::homePath() + QStringLiteral("/valkka-exports");
  connect(&process_, &QProcess::readyReadStandardError, this, &WallExport::readProgress);
  connect(&process_, &QProcess::finished, this, &WallExport::finished);
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
    if (e == QProcess::FailedToStart) finished(-1, QProcess::CrashExit);
  });
}

WallExport::~WallExport() { stop(); }

void WallExport::setMarkIn(double ms) {
  if (ms == markIn_) return;
  markIn_ = ms;
  emit marksChanged();
}

void WallExport::setMarkOut(double ms) {
  if (ms == markOut_) return;
  markOut_ = ms;
  emit marksChanged();
}

void WallExport::setFolder(const QString &folder) {
  if (folder == folder_) return;
  folder_ = folder;
  emit folderChanged();
}

std::vector<WallExport::Job> WallExport::jobsFor(const QVariantList &cameras) const {
  // One `valkka export` per FS, its cameras together (its own naming for several).
  std::map<QString, std::vector<size_t>> byFs;
  for (const QVariant &v : cameras) {
    const auto i = static_cast<size_t>(v.toInt());
    if (v.toInt() >= 0 && i < cameras_.size() && cameras_[i].streamId)
      byFs[cameras_[i].fs.dir].push_back(i);
  }
  std::vector<Job> jobs;
  for (const auto &[dir, chosen] : byFs) {
    Job job;
    const FsConfig &fs = cameras_[chosen.front()].fs;
    job.args << QStringLiteral("export") << QStringLiteral("--fs") << dir;
    if (!fs.caFile.isEmpty()) job.args << QStringLiteral("--ca-file") << fs.caFile;
    if (!fs.tokenFile.isEmpty()) job.args << QStringLiteral("--token-file") << fs.tokenFile;
    for (size_t i : chosen) {
      job.args << QStringLiteral("--stream") << QString::number(cameras_[i].streamId);
      job.files << folder_ + QLatin1Char('/') +
                       exportFileName(tableName(cameras_[i].handle, cameras_[i].streamId),
                                      cameras_[i].streamId, markIn_);
    }
    job.args << QStringLiteral("--from") << isoTime(markIn_) << QStringLiteral("--to")
             << isoTime(markOut_) << QStringLiteral("--progress");
    // One camera: OUT is its file; several: the folder, where the CLI names each alike.
    job.args << (chosen.size() == 1 ? job.files.front() : folder_);
    jobs.push_back(job);
  }
  return jobs;
}

QString WallExport::commandLine(const QVariantList &cameras) const {
  QStringList lines;
  for (const Job &job : jobsFor(cameras)) {
    QStringList words{QStringLiteral("valkka")};
    for (const QString &a : job.args) words << shellQuoted(a);
    lines << words.join(QLatin1Char(' '));
  }
  return lines.join(QLatin1Char('\n'));
}

bool WallExport::start(const QVariantList &cameras) {
  if (running()) return false;
  files_.clear();
  failures_ = 0;
  percent_.clear();
  progress_ = 0;
  if (markIn_ <= 0 || markOut_ <= markIn_) {
    setResult(tr("Mark the start (I) and the end (O) of the range first"));
    return false;
  }
  std::vector<Job> jobs = jobsFor(cameras);
  if (jobs.empty()) {
    setResult(tr("Choose a camera to export"));
    return false;
  }
  if (!QDir().mkpath(folder_)) {
    setResult(tr("Cannot make the folder %1").arg(folder_));
    return false;
  }
  cameraCount_ = 0;
  for (const Job &job : jobs) cameraCount_ += static_cast<int>(job.files.size());
  command_ = commandLine(cameras);
  jobs_ = std::move(jobs);
  setResult(tr("Exporting…"));
  runNext();
  return true;
}

void WallExport::runNext() {
  if (jobs_.empty()) {
    setResult(failures_ ? tr("Exported %1 of %2 cameras to %3; failed: %4")
                              .arg(files_.size())
                              .arg(cameraCount_)
                              .arg(folder_, lastError_)
                        : tr("Exported %1 files to %2").arg(files_.size()).arg(folder_));
    return;
  }
  process_.start(valkka_, jobs_.front().args);
}

void WallExport::readProgress() {
  // --progress without a terminal: "valkka: export: LABEL: 40%" a line, by tenths.
  static const QRegularExpression line(QStringLiteral("^valkka: export: (.*): (\\d+)%$"));
  for (const QByteArray &raw : process_.readAllStandardError().split('\n')) {
    const QString text = QString::fromUtf8(raw).trimmed();
    if (text.isEmpty()) continue;
    const QRegularExpressionMatch m = line.match(text);
    if (!m.hasMatch()) {
      lastError_ = text;
      continue;
    }
    percent_[m.captured(1)] = m.captured(2).toInt();
  }
  int sum = 0;
  for (const auto &[label, pct] : percent_) sum += pct;
  const int progress = cameraCount_ ? std::min(99, sum / cameraCount_) : 0;
  if (progress == progress_) return;
  progress_ = progress;
  emit progressChanged();
}

void WallExport::finished(int exitCode, QProcess::ExitStatus status) {
  if (jobs_.empty()) return;
  readProgress();
  const Job job = jobs_.front();
  jobs_.erase(jobs_.begin());
  for (const QString &file : job.files)
    if (QFileInfo::exists(file)) files_ << file;
  if (status != QProcess::NormalExit || exitCode != 0) {
    failures_++;
    if (lastError_.isEmpty()) lastError_ = process_.errorString();
  }
  if (jobs_.empty()) progress_ = 100;
  emit progressChanged();
  runNext();
}

void WallExport::cancel() {
  jobs_.clear();
  if (process_.state() != QProcess::NotRunning) {
    process_.kill();
    process_.waitForFinished(5000);
  }
  setResult(tr("Export cancelled"));
}

void WallExport::stop() {
  if (running()) cancel();
  cameras_.clear();
}

void WallExport::setResult(const QString &result) {
  result_ = result;
  emit progressChanged();
}
