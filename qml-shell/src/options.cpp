/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "options.h"

#include <QCommandLineParser>

#include <valkka/config.h>

#include "fs_access.h"

namespace {
constexpr qint64 kMiB = 1LL << 20;
}

ParseResult parseOptions(const QStringList &args, KioskOptions *options, QString *message) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "valkka-kiosk: live video wall and recording timeline.\n"
      "Without --config it records and shows 4 built-in synthetic cameras into a default FS\n"
      "under $XDG_DATA_HOME/valkka-kiosk/fs. Exits with 3 when there is no display."));
  const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                QStringLiteral("Show this help."));
  const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
  const QCommandLineOption config(QStringLiteral("config"),
                                  QStringLiteral(
                                      "JSON camera config (the one `valkka record` reads)."),
                                  QStringLiteral("FILE"));
  const QCommandLineOption fullscreen(QStringLiteral("fullscreen"),
                                      QStringLiteral("Start full screen."));
  const QCommandLineOption layout(QStringLiteral("layout"),
                                  QStringLiteral("Wall layout: 1, 2x2, 3x3 or 4x4."),
                                  QStringLiteral("LAYOUT"));
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral(
          "Save the window as PNG (and FILE's .json: tile geometry and state), then exit."),
      QStringLiteral("FILE"));
  const QCommandLineOption after(QStringLiteral("after"),
                                 QStringLiteral("Seconds after start for --screenshot."),
                                 QStringLiteral("S"));
  const QCommandLineOption fsSize(
      QStringLiteral("fs-size"),
      QStringLiteral("Size of the default FS when it is created (bytes, or 512M, 2G; 1 MiB "
                     "blocks)."),
      QStringLiteral("SIZE"));
  const QCommandLineOption testControl(
      QStringLiteral("test-control"),
      QStringLiteral("Read test commands on stdin (screenshot, seek-offset, live, state, quit)."));
  const QCommandLineOption viewer(
      QStringLiteral("viewer"),
      QStringLiteral("Show what a recorder (valkka record, the recorder service) records: the FS\n"
                     "read-only, live tiles from the recording. Automatic for an FS another\n"
                     "process records."));
  const QCommandLineOption fs(
      QStringLiteral("fs"),
      QStringLiteral(
          "View the FS in DIR, or the one an HTTP server serves at URL (https://host/fs0),\n"
          "its cameras as its stream table names them (implies --viewer); repeat it\n"
          "for a wall of several recorders."),
      QStringLiteral("DIR|URL"));
  const QCommandLineOption caFile(
      QStringLiteral("ca-file"),
      QStringLiteral("CA certificate (PEM) that an --fs URL's server is verified with."),
      QStringLiteral("FILE"));
  const QCommandLineOption tokenFile(
      QStringLiteral("token-file"),
      QStringLiteral("File holding the bearer token an --fs URL's server wants."),
      QStringLiteral("FILE"));
  const QCommandLineOption snapshotDir(
      QStringLiteral("snapshot-dir"),
      QStringLiteral("Folder of the tiles' snapshots (the S key), made when needed (default\n"
                     "$XDG_PICTURES_DIR/valkka-kiosk, else ~/Pictures/valkka-kiosk)."),
      QStringLiteral("DIR"));
  parser.addOptions({help, version, config, fullscreen, layout, screenshot, after, fsSize,
                     testControl, viewer, fs, caFile, tokenFile, snapshotDir});

  if (!parser.parse(args)) {
    *message = parser.errorText();
    return ParseResult::Error;
  }
  if (parser.isSet(help)) {
    // helpText() names the options; the first line is QCommandLineParser's "Usage:" line, which
    // names the program only once a QCoreApplication exists, and none does yet: Qt's platform
    // plugin needs a display first.
    *message = parser.helpText().replace(QStringLiteral("<executable_name>"),
                                         QStringLiteral("valkka-kiosk"));
    return ParseResult::Help;
  }
  if (parser.isSet(version)) return ParseResult::Version;
  if (!parser.positionalArguments().isEmpty()) {
    *message = QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first());
    return ParseResult::Error;
  }

  options->configFile = parser.value(config);
  options->fsDirs = parser.values(fs);
  options->caFile = parser.value(caFile);
  options->tokenFile = parser.value(tokenFile);
  options->snapshotDir = parser.value(snapshotDir);
  options->viewer = parser.isSet(viewer) || parser.isSet(fs);
  if (!options->configFile.isEmpty() && !options->fsDirs.isEmpty()) {
    *message = QStringLiteral("--fs views an FS with the cameras it names; --config names them: "
                              "give one");
    return ParseResult::Error;
  }
  for (const QString &dir : options->fsDirs)
    if (options->fsDirs.count(dir) > 1) {
      *message = QStringLiteral("--fs %1 is given twice").arg(shownDir(dir));
      return ParseResult::Error;
    }
  options->fullscreen = parser.isSet(fullscreen);
  options->testControl = parser.isSet(testControl);
  if (parser.isSet(layout)) {
    options->layout = parser.value(layout);
    static const QStringList known = {QStringLiteral("1"), QStringLiteral("2x2"),
                                      QStringLiteral("3x3"), QStringLiteral("4x4")};
    if (!known.contains(options->layout)) {
      *message =
          QStringLiteral("--layout must be 1, 2x2, 3x3 or 4x4, not '%1'").arg(options->layout);
      return ParseResult::Error;
    }
  }
  if (parser.isSet(fsSize)) {
    // Sizes as every valkka program reads them: bytes, or "512M", "2G".
    uint64_t bytes = 0;
    const QByteArray text = parser.value(fsSize).toUtf8();
    // Two blocks are the least an FS can have (fs.h); the most, a count qint64 holds.
    if (valkka_size_parse(text.constData(), &bytes) != 0 || bytes < 2 * kMiB ||
        bytes > static_cast<uint64_t>(INT64_MAX)) {
      *message = QStringLiteral("--fs-size %1: expected bytes (or 512M, 2G), at least 2M")
                     .arg(parser.value(fsSize));
      return ParseResult::Error;
    }
    options->fsSize = static_cast<qint64>(bytes);
  }
  options->screenshots = parser.values(screenshot);
  const QStringList afters = parser.values(after);
  if (afters.size() != options->screenshots.size()) {
    *message = QStringLiteral("every --screenshot needs its --after SECONDS");
    return ParseResult::Error;
  }
  for (const QString &a : afters) {
    bool ok = false;
    const double seconds = a.toDouble(&ok);
    if (!ok || seconds < 0) {
      *message = QStringLiteral("--after must be a number of seconds, not '%1'").arg(a);
      return ParseResult::Error;
    }
    options->screenshotAfter.append(seconds);
  }
  return ParseResult::Run;
}
