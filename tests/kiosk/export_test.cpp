/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Export from the wall (issue 18) through the test control: a range marked in and out on an FS
// of two cameras, exported to a folder: a file per camera, named as `valkka export` names them,
// whose packets and tags (ffprobe) are those `valkka export` writes for the same range; and the
// command line the wall shows is that export's.
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <gtest/gtest.h>

#include <string>

#include "gap_recording.h"
#include "kiosk_process.h"

namespace {

// Every packet's time, size and flags, and the container's tags, as ffprobe lists them.
std::string probe(const QString &file) {
  QProcess p;
  p.start(QStringLiteral("ffprobe"),
          {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-show_entries"),
           QStringLiteral("packet=pts_time,size,flags:format_tags=title,creation_time,recorder"),
           QStringLiteral("-of"), QStringLiteral("compact"), file});
  if (!p.waitForFinished(30000) || p.exitCode() != 0)
    return "ffprobe failed: " + file.toStdString();
  return p.readAllStandardOutput().toStdString();
}

// `valkka export` (beside the kiosk) of one stream over [from, to] into `out`: its stdout, or
// "" when it failed.
QString cliExport(const QString &fs, int stream, double from, double to, const QString &out) {
  const QString valkka = QFileInfo(kioskPath()).dir().filePath(QStringLiteral("valkka"));
  QProcess p;
  p.start(valkka, {QStringLiteral("export"), QStringLiteral("--fs"), fs, QStringLiteral("--stream"),
                   QString::number(stream), QStringLiteral("--from"), QString::number(qint64(from)),
                   QStringLiteral("--to"), QString::number(qint64(to)), out});
  return p.waitForFinished(60000) && p.exitCode() == 0
             ? QString::fromUtf8(p.readAllStandardOutput())
             : QString();
}

}  // namespace

TEST(KioskExport, MarkedRangeExportsAFilePerCameraAsValkkaExportDoes) {
  KioskProcess kiosk;
  GapRecording rec;
  QString fs;
  ASSERT_NO_FATAL_FAILURE(startKioskOnGapFs(&kiosk, &rec, &fs));
  bool ok = false;

  const double from = static_cast<double>(rec.firstStart + 2500);
  const double to = static_cast<double>(rec.firstStart + 6500);
  ASSERT_EQ(kiosk.command(QStringLiteral("mark-in %1").arg(qint64(from))),
            QStringLiteral("ok mark-in %1").arg(qint64(from)));
  ASSERT_EQ(kiosk.command(QStringLiteral("mark-out %1").arg(qint64(to))),
            QStringLiteral("ok mark-out %1").arg(qint64(to)));
  const QString folder = kiosk.dir() + QStringLiteral("/exported");
  // The visible cameras, by default: both.
  ASSERT_EQ(kiosk.command(QStringLiteral("export ") + folder), QStringLiteral("ok export"));
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        const QJsonObject e = s.value(QStringLiteral("export")).toObject();
        return !e.value(QStringLiteral("running")).toBool() &&
               e.value(QStringLiteral("result")).toString().startsWith(QStringLiteral("Exported"));
      },
      60000, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(state).toJson().toStdString();
  const QJsonObject result = state.value(QStringLiteral("export")).toObject();
  EXPECT_EQ(result.value(QStringLiteral("progress")).toInt(), 100);
  const QJsonArray files = result.value(QStringLiteral("files")).toArray();
  ASSERT_EQ(files.size(), 2) << QJsonDocument(result).toJson().toStdString();

  // What `valkka export` writes of each camera alone, for the same range.
  const QString when = QDateTime::fromMSecsSinceEpoch(qint64(from)).toString("yyyyMMdd-HHmmss");
  for (int stream : {1, 2}) {
    const QString name = QStringLiteral("stream%1_%2.mp4").arg(stream).arg(when);
    const QString file = folder + QLatin1Char('/') + name;
    EXPECT_TRUE(files.contains(file)) << file.toStdString();
    const QString reference = kiosk.dir() + QStringLiteral("/reference-%1.mp4").arg(stream);
    ASSERT_FALSE(cliExport(fs, stream, from, to, reference).isEmpty());
    const std::string mine = probe(file), theirs = probe(reference);
    EXPECT_GT(mine.size(), 1000u) << mine;  // about 100 packets
    EXPECT_EQ(mine, theirs) << name.toStdString();
  }
  // The command line shown: one `valkka export` of both cameras into the folder.
  const QString command = result.value(QStringLiteral("command")).toString();
  EXPECT_TRUE(command.startsWith(QStringLiteral("valkka export --fs ") + fs))
      << command.toStdString();
  EXPECT_TRUE(command.contains(QStringLiteral("--stream 1 --stream 2"))) << command.toStdString();
  EXPECT_TRUE(command.endsWith(QStringLiteral(" ") + folder)) << command.toStdString();
  EXPECT_TRUE(kiosk.quit());
}
