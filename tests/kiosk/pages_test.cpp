/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Many cameras (issue 18): 18 synthetic cameras on the 4x4 wall make two pages; PgDn (a real key,
// xdotool) shows page 2 with cameras 17 and 18 in its first two tiles and their lanes alone on
// the timeline (A: every camera's, and back), PgUp the first page again. A camera picked for a
// tile in the camera list takes that tile (the one it left gets the tile's camera) and keeps it
// after a restart. A screenshot of page 2 is kept in shots/.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <string>

#include "kiosk_process.h"
#include "synthetic_config.h"
#include "wall_check.h"
#include "x_input.h"

namespace {

constexpr int kCameras = 18;
constexpr int kChangeTimeoutMs = 10000;

QJsonObject tileOf(const QJsonObject &s, int camera) {
  for (const QJsonValue &t : s.value(QStringLiteral("tiles")).toArray())
    if (t.toObject().value(QStringLiteral("index")).toInt() == camera) return t.toObject();
  return {};
}

bool visible(const QJsonObject &s, int camera) {
  return tileOf(s, camera).value(QStringLiteral("visible")).toBool();
}

std::string text(const QJsonObject &s) {
  return QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString();
}

// The cameras whose tiles are visible, ascending.
QList<int> shownCameras(const QJsonObject &s) {
  QList<int> out;
  for (int i = 0; i < kCameras; i++)
    if (visible(s, i)) out.append(i);
  return out;
}

// Page `page` (from 0) of two is shown and its tiles show `cameras`, each having shown pictures.
bool showsPage(const QJsonObject &s, int page, const QList<int> &cameras) {
  if (s.value(QStringLiteral("page")).toInt() != page ||
      s.value(QStringLiteral("page_text")).toString() != QStringLiteral("Page %1/2").arg(page + 1))
    return false;
  if (shownCameras(s) != cameras) return false;
  for (int camera : cameras)
    if (tileOf(s, camera).value(QStringLiteral("presented")).toDouble() < 1) return false;
  return true;
}

QList<int> range(int from, int to) {
  QList<int> out;
  for (int i = from; i < to; i++) out.append(i);
  return out;
}

class KioskPages : public ::testing::Test {
 protected:
  void start() {
    const QString config = writeSyntheticConfig(kiosk_.dir(), kCameras);
    ASSERT_FALSE(config.isEmpty());
    ASSERT_TRUE(kiosk_.start({QStringLiteral("--config"), config}, true));
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(
        [](const QJsonObject &s) {
          return s.value(QStringLiteral("tiles")).toArray().size() == kCameras &&
                 s.value(QStringLiteral("window_frames")).toDouble() >= 1;
        },
        90000, &ok);
    ASSERT_TRUE(ok) << text(s) << kiosk_.standardError().toStdString();
  }

  QJsonObject until(const std::string &what,
                    const std::function<bool(const QJsonObject &)> &ready) {
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(ready, kChangeTimeoutMs, &ok);
    EXPECT_TRUE(ok) << what << ": " << text(s);
    return s;
  }

  KioskProcess kiosk_;
};

}  // namespace

TEST_F(KioskPages, PgDnShowsCameras17And18OnPage2AndPgUpTheFirst16) {
  start();
  ASSERT_FALSE(HasFatalFailure());
  QJsonObject s = until("page 1 of 2 with cameras 1..16",
                        [](const QJsonObject &s) { return showsPage(s, 0, range(0, 16)); });
  EXPECT_EQ(s.value(QStringLiteral("pages")).toInt(), 2);
  EXPECT_EQ(s.value(QStringLiteral("columns")).toInt(), 4);

  XInput x;
  ASSERT_TRUE(x.findWindow(kiosk_.pid(), 10000)) << x.lastError().toStdString();
  ASSERT_TRUE(x.focus()) << x.lastError().toStdString();
  ASSERT_TRUE(x.key(QStringLiteral("Next"))) << x.lastError().toStdString();  // PgDn
  s = until("PgDn: page 2 with cameras 17 and 18", [](const QJsonObject &s) {
    return showsPage(s, 1, {16, 17});
  });
  // In the first two places of the grid; their lanes alone on the timeline.
  const QRect first = rectOf(tileOf(s, 16).value(QStringLiteral("rect")));
  const QRect second = rectOf(tileOf(s, 17).value(QStringLiteral("rect")));
  EXPECT_EQ(first.topLeft(), QPoint(0, 0)) << text(s);
  EXPECT_EQ(second.topLeft(), QPoint(first.width(), 0)) << text(s);
  const QJsonObject timeline = s.value(QStringLiteral("timeline")).toObject();
  EXPECT_EQ(timeline.value(QStringLiteral("lanes_shown")).toArray(),
            (QJsonArray{QStringLiteral("camera 16"), QStringLiteral("camera 17")}))
      << text(timeline);
  const QString shot = shotsDir() + QStringLiteral("/pages-18-cameras-page2.png");
  EXPECT_EQ(kiosk_.command(QStringLiteral("screenshot ") + shot),
            QStringLiteral("ok screenshot ") + shot);

  // A: every camera's lane; again: the page's.
  const auto lanes = [](const QJsonObject &s) {
    return s.value(QStringLiteral("timeline")).toObject().value("lanes_shown").toArray().size();
  };
  ASSERT_TRUE(x.key(QStringLiteral("a")));
  until("A: all 18 lanes", [&lanes](const QJsonObject &s) { return lanes(s) == kCameras; });
  ASSERT_TRUE(x.key(QStringLiteral("a")));
  until("A again: the page's 2 lanes", [&lanes](const QJsonObject &s) { return lanes(s) == 2; });

  ASSERT_TRUE(x.key(QStringLiteral("Next")));   // no page 3: stays
  ASSERT_TRUE(x.key(QStringLiteral("Prior")));  // PgUp
  until("PgUp: page 1 again", [](const QJsonObject &s) { return showsPage(s, 0, range(0, 16)); });
  EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString();
}

TEST_F(KioskPages, ACameraPickedForATileKeepsItAfterARestart) {
  start();
  ASSERT_FALSE(HasFatalFailure());
  until("page 1", [](const QJsonObject &s) { return showsPage(s, 0, range(0, 16)); });
  // The camera list: tile 1 of page 1 shows camera 18; camera 1 goes to camera 18's tile.
  ASSERT_EQ(kiosk_.command(QStringLiteral("cameras")), QStringLiteral("ok cameras shown"));
  ASSERT_EQ(kiosk_.command(QStringLiteral("pick 0 17")), QStringLiteral("ok pick 0 17"));
  QList<int> picked = range(1, 16);
  picked.append(17);
  QJsonObject s = until("camera 18 on tile 1",
                        [&picked](const QJsonObject &s) { return showsPage(s, 0, picked); });
  EXPECT_EQ(tileOf(s, 17).value(QStringLiteral("slot")).toInt(), 0);
  EXPECT_EQ(tileOf(s, 0).value(QStringLiteral("slot")).toInt(), 17);
  EXPECT_EQ(rectOf(tileOf(s, 17).value(QStringLiteral("rect"))).topLeft(), QPoint(0, 0));
  EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString();
  EXPECT_TRUE(QFile::exists(kiosk_.dir() + QStringLiteral("/data/valkka-kiosk/tiles.json")));

  // Started again with the same data directory: the pick is still there, page 2 has camera 1.
  start();
  ASSERT_FALSE(HasFatalFailure());
  s = until("after the restart, camera 18 on tile 1",
            [&picked](const QJsonObject &s) { return showsPage(s, 0, picked); });
  EXPECT_EQ(tileOf(s, 17).value(QStringLiteral("slot")).toInt(), 0);
  EXPECT_EQ(kiosk_.command(QStringLiteral("page 1")), QStringLiteral("ok page 2/2"));
  until("page 2 with cameras 17 and 1", [](const QJsonObject &s) {
    return showsPage(s, 1, {0, 16});
  });
  EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString();
}
