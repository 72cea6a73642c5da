/* SPDX-License-Identifier: LGPL-2.1-or-later */
// valkka-kiosk: records the configured cameras (or 4 built-in ones) and shows them on a video
// wall with a timeline. Exit codes: 0 done, 1 failed, 2 bad arguments, 3 no display.
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QUrl>

#include <malloc.h>

#include <cstdio>

#include <valkka/valkka.h>

#include "display_check.h"
#include "kiosk.h"
#include "kiosk_config.h"
#include "kiosk_log.h"
#include "options.h"
#include "pointer_idle.h"
#include "screenshot_schedule.h"
#include "snapshot_file.h"
#include "test_control.h"
#include "unix_signals.h"
#include "viewer_config.h"

namespace {

int fail(const QString &message, int code = 1) {
  std::fprintf(stderr, "%svalkka-kiosk: %s\n", kiosklog::prefix(VALKKA_LOG_ERROR),
               qPrintable(message));
  return code;
}

}  // namespace

int main(int argc, char **argv) {
  // Pictures of 128 KiB and more (every tile's, 25 a second each) are mapped and unmapped on
  // their own. By default glibc raises that threshold to the size of the first such block freed,
  // after which the pictures came from the heaps of the threads that decode them, were freed on
  // the GUI thread, and left those heaps growing: the wall's resident memory grew 26.5 MiB in 10
  // minutes (bench/wall, file-sub) and 9.6 MiB in 5; with the threshold fixed it stays within
  // 2 MiB over the first 10. (What grew after them was Qt's hover list: pointer_idle.cpp.)
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  kiosklog::init();
  QStringList args;
  for (int i = 0; i < argc; i++) args.append(QString::fromLocal8Bit(argv[i]));
  KioskOptions options;
  QString message;
  switch (parseOptions(args, &options, &message)) {
    case ParseResult::Help: std::fputs(qPrintable(message), stdout); return 0;
    case ParseResult::Version:
      std::printf("valkka-kiosk %s (ABI %d.%d)\n", valkka_version_string(), VALKKA_ABI_MAJOR,
                  VALKKA_ABI_MINOR);
      return 0;
    case ParseResult::Error:
      return fail(message + QStringLiteral(" (--help lists the options)"), 2);
    case ParseResult::Run: break;
  }

  // Said at once, display or not: the file's permissions are wrong either way.
  if (!options.configFile.isEmpty()) {
    const QString warning = configAccessWarning(options.configFile);
    if (!warning.isEmpty())
      std::fprintf(stderr, "%svalkka-kiosk: warning: %s\n", kiosklog::prefix(VALKKA_LOG_WARN),
                   qPrintable(warning));
  }

  // Before QGuiApplication: without a display Qt's platform plugin aborts the process.
  if (!hasDisplay())
    return fail(QStringLiteral("no display (neither DISPLAY nor WAYLAND_DISPLAY is set): not "
                               "opening a window; record headless with `valkka record`"),
                kExitNoDisplay);

  // How every FS served over HTTP is reached, whoever names it (--fs or the config).
  const auto reach = [&options](FsConfig *fs) {
    if (!options.caFile.isEmpty()) fs->caFile = options.caFile;
    if (!options.tokenFile.isEmpty()) fs->tokenFile = options.tokenFile;
  };
  // Whole FS viewed (--fs, the config's "recorders"), their cameras after the config's.
  const auto view = [&reach](const QStringList &dirs, KioskConfig *config, QString *error) {
    QList<FsConfig> viewed;
    for (const QString &dir : dirs) {
      FsConfig fs;
      fs.dir = dir;
      reach(&fs);
      viewed.append(fs);
    }
    KioskConfig found;
    if (!viewerConfig(viewed, &found, error)) return false;
    config->filesystems += found.filesystems;
    config->cameras += found.cameras;
    return true;
  };
  KioskConfig config;
  if (!options.fsDirs.isEmpty()) {
    if (!view(options.fsDirs, &config, &message)) return fail(message);
  } else if (options.configFile.isEmpty()) {
    config = defaultConfig(options.fsSize);
  } else if (!loadConfig(options.configFile, options.fsSize, &config, &message) ||
             (!config.recorders.isEmpty() && !view(config.recorders, &config, &message))) {
    return fail(message);
  }
  // A viewer opens every FS read-only: what it shows another process records.
  for (FsConfig &fs : config.filesystems) {
    fs.viewer = fs.viewer || options.viewer;
    reach(&fs);
  }
  for (const QString &unknown : config.unknownKeys)
    std::fprintf(stderr, "%svalkka-kiosk: %s\n", kiosklog::prefix(VALKKA_LOG_WARN),
                 qPrintable(unknown));

  QGuiApplication app(argc, argv);
  app.setApplicationName(QStringLiteral("valkka-kiosk"));
  quitOnTerminationSignals();

  Kiosk kiosk;
  kiosk.setSnapshotFolder(options.snapshotDir.isEmpty() ? defaultSnapshotFolder()
                                                        : options.snapshotDir);
  if (!kiosk.start(config, options.layout, &message)) return fail(message);

  // Declared after the kiosk so it goes first; the kiosk stops every callback into the QML
  // engine's video sinks before that (aboutToQuit).
  QQmlApplicationEngine engine;
  QObject::connect(&app, &QCoreApplication::aboutToQuit, &kiosk, &Kiosk::shutdown);
  engine.setInitialProperties({{QStringLiteral("kiosk"), QVariant::fromValue(&kiosk)},
                               {QStringLiteral("startFullscreen"), options.fullscreen}});
  // VALKKA_KIOSK_QML=FILE (for developers, README "The kiosk"): the window from FILE instead of
  // the built-in Main.qml, to try a change without a rebuild.
  const QString qmlFile = qEnvironmentVariable("VALKKA_KIOSK_QML");
  engine.load(qmlFile.isEmpty() ? QUrl(QStringLiteral("qrc:/ValkkaKiosk/Main.qml"))
                                : QUrl::fromLocalFile(QFileInfo(qmlFile).absoluteFilePath()));
  QQuickWindow *window = engine.rootObjects().isEmpty()
                             ? nullptr
                             : qobject_cast<QQuickWindow *>(engine.rootObjects().first());
  if (!window) {
    kiosk.shutdown();
    return fail(QStringLiteral("the QML user interface failed to load"));
  }

  kiosk.watchWindow(window);
  PointerIdle pointerIdle(window);
  ScreenshotSchedule screenshots(window, &kiosk);
  screenshots.start(options.screenshots, options.screenshotAfter);
  TestControl control(window, &kiosk);
  if (options.testControl) control.start();

  const int code = app.exec();
  kiosk.shutdown();
  return code;
}
