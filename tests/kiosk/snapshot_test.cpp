/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A tile's snapshot (issue 18): playback paused at a recorded picture, the maximised tile, a
// real S key press (xdotool) -> a PNG in the --snapshot-dir folder, named after the camera and
// the picture's time, at the picture's own size (1280x720: the main stream the maximised tile
// shows, not the tile's). Outside the burned-in box its pixels are the picture's, as the test
// control converts the same frame with nothing drawn on it; inside, white text over a dark box
// (a copy is kept in shots/). A folder that cannot be made is said on the wall, and the kiosk
// goes on.
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <string>

#include "kiosk_process.h"
#include "wall_check.h"
#include "x_input.h"

namespace {

constexpr int kChangeTimeoutMs = 20000;

std::string text(const QJsonObject &s) {
  return QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString();
}
QJsonObject snapshot(const QJsonObject &s) {
  return s.value(QStringLiteral("snapshot")).toObject();
}
QJsonObject tile(const QJsonObject &s, int index) {
  for (const QJsonValue &t : s.value(QStringLiteral("tiles")).toArray())
    if (t.toObject().value(QStringLiteral("index")).toInt() == index) return t.toObject();
  return {};
}

class KioskSnapshot : public ::testing::Test {
 protected:
  // The 4 built-in cameras, `folder` the snapshots' one; paused 2 s back with tile 0 maximised,
  // the S key ready to go to the window.
  void startPaused(const QString &folder) {
    ASSERT_TRUE(kiosk_.start({QStringLiteral("--fs-size"), QStringLiteral("67108864"),
                              QStringLiteral("--snapshot-dir"), folder},
                             true));
    bool ok = false;
    QJsonObject s = kiosk_.waitForState(
        [](const QJsonObject &s) { return tilesPresented(s, 4, 150); }, 90000, &ok);
    ASSERT_TRUE(ok) << text(s) << kiosk_.standardError().toStdString();
    seekAndWaitForTiles(kiosk_, -2000, 4, &s, &ok);
    ASSERT_TRUE(ok) << "the seek 2 s back did not show: " << text(s);
    ASSERT_EQ(kiosk_.command(QStringLiteral("maximise 0")), QStringLiteral("ok maximise 0"));
    s = expectState(
        kiosk_,
        [](const QJsonObject &s) {
          return s.value("maximised").toInt() == 0 &&
                 tile(s, 0).value("decodes").toString() == QStringLiteral("main");
        },
        kChangeTimeoutMs, QStringLiteral("tile 0 maximised, showing its main stream"));
    ASSERT_FALSE(s.value(QStringLiteral("playing")).toBool()) << text(s);
    ASSERT_TRUE(x_.findWindow(kiosk_.pid(), 10000)) << x_.lastError().toStdString();
    ASSERT_TRUE(x_.focus()) << x_.lastError().toStdString();
  }
  void TearDown() override { EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString(); }

  // The snapshot's outcome once the `count`th is written (or failed) and said.
  QJsonObject waitForSnapshot(int count) {
    return expectState(
        kiosk_,
        [count](const QJsonObject &s) {
          return snapshot(s).value("count").toInt() == count &&
                 !snapshot(s).value("busy").toBool() &&
                 !snapshot(s).value("toast").toString().isEmpty();
        },
        kChangeTimeoutMs, QStringLiteral("snapshot %1").arg(count));
  }
  // The S key, then the snapshot's outcome.
  QJsonObject pressS() {
    EXPECT_TRUE(x_.key(QStringLiteral("s"))) << x_.lastError().toStdString();
    return waitForSnapshot(1);
  }

  KioskProcess kiosk_;
  XInput x_;
};

}  // namespace

TEST_F(KioskSnapshot, TheSKeyWritesThePictureWithNameAndTimeBurnedIn) {
  const QString folder = kiosk_.dir() + QStringLiteral("/snaps/new");  // made by the kiosk
  startPaused(folder);
  ASSERT_FALSE(HasFailure());
  const double frameMs = tile(kiosk_.state(), 0).value(QStringLiteral("frame_ms")).toDouble();
  const QJsonObject s = pressS();
  const QJsonObject snap = snapshot(s);
  ASSERT_FALSE(snap.value(QStringLiteral("failed")).toBool()) << text(s);
  const QString file = snap.value(QStringLiteral("file")).toString();
  EXPECT_EQ(QFileInfo(file).absolutePath(), QDir(folder).absolutePath());
  // Named after the camera (file-safe) and the picture's own time, not the wall clock's.
  const QString when = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(frameMs))
                           .toString(QStringLiteral("yyyyMMdd-HHmmss.zzz"));
  EXPECT_EQ(QFileInfo(file).fileName(), QStringLiteral("synthetic_0-") + when + ".png") << text(s);
  EXPECT_TRUE(snap.value(QStringLiteral("toast")).toString().contains(QFileInfo(file).fileName()))
      << text(s);

  // The reference: the same frame, converted alike, nothing drawn on it.
  const QString ref = kiosk_.dir() + QStringLiteral("/frame.png");
  const QString reply = kiosk_.command(QStringLiteral("frame-image 0 ") + ref);
  ASSERT_EQ(reply, QStringLiteral("ok frame-image 1280 720 %1").arg(static_cast<qint64>(frameMs)));
  QImage shot(file), frame(ref);
  ASSERT_FALSE(shot.isNull()) << file.toStdString();
  ASSERT_FALSE(frame.isNull());
  shot = shot.convertToFormat(QImage::Format_RGB32);
  frame = frame.convertToFormat(QImage::Format_RGB32);
  ASSERT_EQ(shot.size(), QSize(1280, 720));  // the main stream's resolution, not the tile's
  // Camera 0's own colours (its base colour: the right picture, a sane conversion).
  EXPECT_EQ(nearestSyntheticCamera(regionStats(shot, QRect(640, 0, 640, 720)).median), 0);

  // A box in the bottom-left corner; every pixel outside it is the picture's.
  const QRect box = rectOf(snap.value(QStringLiteral("box")));
  ASSERT_FALSE(box.isEmpty()) << text(s);
  EXPECT_EQ(box.left(), 0);
  EXPECT_EQ(box.bottom(), 719);
  EXPECT_LT(box.width() * box.height(), 1280 * 720 / 4);
  int outsideDiffer = 0, inside = 0, insideDiffer = 0, white = 0, dark = 0;
  for (int y = 0; y < 720; y++)
    for (int x = 0; x < 1280; x++) {
      const QRgb a = shot.pixel(x, y), b = frame.pixel(x, y);
      if (!box.contains(x, y)) {
        outsideDiffer += a != b;
        continue;
      }
      inside++;
      insideDiffer += a != b;
      // The box darkens any picture below 60; the text is white.
      const int luma = qGray(a);
      white += luma > 200;
      dark += luma < 60;
    }
  EXPECT_EQ(outsideDiffer, 0);
  EXPECT_GT(insideDiffer, inside * 9 / 10);
  // Text: two lines of it; the rest the dark box.
  EXPECT_GT(white, inside / 50) << "no text burned in: " << white << " white of " << inside;
  EXPECT_GT(dark, inside / 2);
  // Kept to look at.
  QFile::remove(shotsDir() + QStringLiteral("/snapshot.png"));
  QFile::copy(file, shotsDir() + QStringLiteral("/snapshot.png"));

  // The tile's button (a real click) does the same; the same picture again keeps the first file.
  const QRect button = rectOf(tile(kiosk_.state(), 0).value("snapshot_button_rect"));
  ASSERT_FALSE(button.isEmpty());
  ASSERT_TRUE(x_.click(button.center().x(), button.center().y())) << x_.lastError().toStdString();
  const QJsonObject again = snapshot(waitForSnapshot(2));
  EXPECT_FALSE(again.value(QStringLiteral("failed")).toBool());
  const QString second = again.value(QStringLiteral("file")).toString();
  EXPECT_EQ(QFileInfo(second).fileName(), QStringLiteral("synthetic_0-") + when + "-2.png");
  EXPECT_TRUE(QFileInfo::exists(file));
  EXPECT_EQ(QImage(second).convertToFormat(QImage::Format_RGB32), shot);
}

TEST_F(KioskSnapshot, AFolderThatCannotBeMadeIsSaidAndTheKioskGoesOn) {
  // A file where the folder's parent should be: mkdir fails whoever runs the test.
  QFile blocker(kiosk_.dir() + QStringLiteral("/not-a-folder"));
  ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
  blocker.close();
  startPaused(blocker.fileName() + QStringLiteral("/snaps"));
  ASSERT_FALSE(HasFailure());
  const QJsonObject s = pressS();
  const QJsonObject snap = snapshot(s);
  EXPECT_TRUE(snap.value(QStringLiteral("failed")).toBool()) << text(s);
  EXPECT_TRUE(snap.value(QStringLiteral("toast"))
                  .toString()
                  .startsWith(QStringLiteral("Snapshot not saved: cannot create the folder")))
      << text(s);
  // Still answering, still showing.
  EXPECT_EQ(kiosk_.state().value(QStringLiteral("maximised")).toInt(), 0);
}
