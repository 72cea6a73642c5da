/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk's command line.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

struct KioskOptions {
  QString configFile;         // --config: the CLI's JSON camera config; empty: built-in cameras
  bool fullscreen = false;    // --fullscreen
  QString layout;             // --layout 1|2x2|3x3|4x4; empty: chosen for the camera count
  qint64 fsSize = 2LL << 30;  // --fs-size: bytes of a default FS created on first run
  QStringList screenshots;    // --screenshot FILE (repeatable) ...
  QList<double>
      screenshotAfter;  // ... --after SECONDS, one per screenshot; the kiosk exits after the last
  bool testControl = false;  // --test-control: commands on stdin (tests only, see test_control.h)
  bool viewer = false;       // --viewer: show what a recorder process records, read-only
  // --fs DIR|URL (repeatable): view those FS, their cameras from their stream tables
  QStringList fsDirs;
  QString caFile;       // --ca-file FILE: the CA of an FS served over HTTPS (a site's own)
  QString tokenFile;    // --token-file FILE: a bearer token for an FS served over HTTP(S)
  QString snapshotDir;  // --snapshot-dir DIR: where snapshots go; empty: defaultSnapshotFolder()
};

enum class ParseResult { Run, Help, Version, Error };

// Parses argv (argv[0] included). On Help/Version `message` is the text to print on stdout, on
// Error the one-line reason for stderr. Needs no QCoreApplication, so it runs before the display
// is checked.
ParseResult parseOptions(const QStringList &args, KioskOptions *options, QString *message);
