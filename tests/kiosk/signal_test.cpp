/* SPDX-License-Identifier: LGPL-2.1-or-later */
// SIGTERM, SIGINT and SIGHUP stop the kiosk cleanly (README, "The kiosk": cameras stopped, FS
// written and synced; exit code 0, "done"). While it records its four built-in cameras, each
// signal makes it exit 0 and leaves its FS as a clean stop does: `valkka fs fsck` finds it clean
// with no block in progress (nothing left for recovery), and every picture the wall showed before
// the signal was recorded and plays back with `valkka play`.
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include "kiosk_process.h"

namespace {

const QStringList kSmallFs = {QStringLiteral("--fs-size"), QStringLiteral("67108864")};

struct CliOutput {
  int code = -1;  // -1: killed, or still running after a minute
  QByteArray out, err;
};

// Runs the `valkka` command of the build.
CliOutput runValkka(const QStringList &args) {
  QProcess process;
  process.start(qEnvironmentVariable("VALKKA_TEST_BIN_DIR") + QStringLiteral("/valkka"), args);
  CliOutput result;
  if (!process.waitForFinished(60000)) {
    process.kill();
    process.waitForFinished(10000);
  } else if (process.exitStatus() == QProcess::NormalExit) {
    result.code = process.exitCode();
  }
  result.out = process.readAllStandardOutput();
  result.err = process.readAllStandardError();
  return result;
}

QJsonArray tiles(const QJsonObject &state) {
  return state.value(QStringLiteral("tiles")).toArray();
}

double tileNumber(const QJsonValue &tile, const char *key) {
  return tile.toObject().value(QLatin1String(key)).toDouble();
}

// The newest picture each stream presents when the FS is played from `fromMs` to its end.
std::map<int, double> lastPlayed(const QString &fs, qint64 fromMs, CliOutput *play) {
  *play = runValkka({QStringLiteral("play"), QStringLiteral("--fs"), fs, QStringLiteral("--from"),
                     QString::number(fromMs), QStringLiteral("--speed"), QStringLiteral("max"),
                     QStringLiteral("--json")});
  std::map<int, double> last;
  for (const QByteArray &line : play->out.split('\n')) {
    const QJsonObject picture = QJsonDocument::fromJson(line).object();
    if (picture.isEmpty()) continue;
    double &newest = last[picture.value(QStringLiteral("stream")).toInt()];
    newest = std::max(newest, picture.value(QStringLiteral("mstime")).toDouble());
  }
  return last;
}

void stopsCleanlyOn(int signo) {
  KioskProcess kiosk;
  ASSERT_TRUE(kiosk.start(kSmallFs, true));
  bool ok = false;
  // Two seconds of pictures on every tile: recording and decoding both run.
  kiosk.waitForState(
      [](const QJsonObject &s) {
        for (const QJsonValue &t : tiles(s))
          if (tileNumber(t, "presented") < 50) return false;
        return tiles(s).size() == 4;
      },
      60000, &ok);
  ASSERT_TRUE(ok) << kiosk.standardError().toStdString();
  // The last pictures shown before the signal; each was recorded before it was decoded.
  const QJsonObject shown = kiosk.state();
  ASSERT_EQ(tiles(shown).size(), 4);
  std::map<int, double> shownMs;
  for (const QJsonValue &t : tiles(shown)) {
    // Camera i's main stream is i + 1, its substream (the 2x2 tiles show it) 2001 + i.
    const int index = t.toObject().value(QStringLiteral("index")).toInt();
    const bool sub = t.toObject().value(QStringLiteral("decodes")).toString() == "sub";
    shownMs[sub ? 2001 + index : index + 1] = tileNumber(t, "frame_ms");
  }
  ASSERT_EQ(::kill(static_cast<pid_t>(kiosk.pid()), signo), 0);
  ASSERT_TRUE(kiosk.waitForExit(60000)) << "still running after the signal";
  const std::string errors = kiosk.standardError().toStdString();
  ASSERT_FALSE(kiosk.crashed()) << errors;
  EXPECT_EQ(kiosk.exitCode(), 0) << errors;

  const QString fs = kiosk.dir() + QStringLiteral("/data/valkka-kiosk/fs");
  const CliOutput fsck =
      runValkka({QStringLiteral("fs"), QStringLiteral("fsck"), fs, QStringLiteral("--json")});
  EXPECT_EQ(fsck.code, 0) << fsck.err.toStdString();
  const QJsonObject report = QJsonDocument::fromJson(fsck.out).object();
  EXPECT_EQ(report.value(QStringLiteral("verdict")).toString(), QStringLiteral("clean"))
      << fsck.out.toStdString();
  for (const char *count :
       {"bad_entries", "bad_headers", "bad_records", "blocks_in_progress", "records_in_progress"})
    EXPECT_EQ(report.value(QLatin1String(count)).toInt(-1), 0) << count;
  EXPECT_GT(report.value(QStringLiteral("records_checked")).toInt(), 0);

  double earliest = shownMs.begin()->second;
  for (const auto &[stream, ms] : shownMs) earliest = std::min(earliest, ms);
  CliOutput play;
  const std::map<int, double> played = lastPlayed(fs, static_cast<qint64>(earliest) - 2000, &play);
  EXPECT_EQ(play.code, 0) << play.err.toStdString();
  for (const auto &[stream, ms] : shownMs) {
    ASSERT_GT(ms, 0) << "stream " << stream << " showed no picture";
    ASSERT_EQ(played.count(stream), 1u) << "stream " << stream << " plays nothing";
    EXPECT_GE(played.at(stream), ms) << "stream " << stream << ": a picture shown is not recorded";
  }
}

}  // namespace

TEST(KioskSignals, SigtermStopsCleanly) { stopsCleanlyOn(SIGTERM); }

TEST(KioskSignals, SigintStopsCleanly) { stopsCleanlyOn(SIGINT); }

TEST(KioskSignals, SighupStopsCleanly) { stopsCleanlyOn(SIGHUP); }
