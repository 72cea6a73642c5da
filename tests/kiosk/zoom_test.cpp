/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Digital zoom and pan of the maximised tile (issue 18), as real X input (xdotool): wheel notches
// zoom around the pointer (the picture point under it stays there within 2 px), a drag pans the
// shown part of the picture by the drag's distance over the zoom, the 0 key, a double-click and
// leaving maximised go back to 1x; a tile not maximised ignores the wheel. Read through the
// state's "zoom", "source_rect" (picture pixels) and "view_rect" (window pixels). A screenshot of
// the zoomed tile is kept in shots/.
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointF>
#include <QRectF>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "kiosk_process.h"
#include "wall_check.h"
#include "x_input.h"

namespace {

constexpr int kChangeTimeoutMs = 10000;
constexpr double kNotch = 1.25;  // a wheel notch's zoom
// The main stream's size, which a maximised tile shows (its 2x2 tiles show the 640x360 sub).
constexpr double kPictureW = 1280, kPictureH = 720;

std::string text(const QJsonObject &s) {
  return QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString();
}
QJsonObject tile(const QJsonObject &s, int index) {
  for (const QJsonValue &t : s.value(QStringLiteral("tiles")).toArray())
    if (t.toObject().value(QStringLiteral("index")).toInt() == index) return t.toObject();
  return {};
}
double zoom(const QJsonObject &s, int index = 0) {
  return tile(s, index).value(QStringLiteral("zoom")).toDouble();
}
QRectF rectF(const QJsonValue &v) {
  const QJsonArray a = v.toArray();
  return a.size() == 4 ? QRectF(a[0].toDouble(), a[1].toDouble(), a[2].toDouble(), a[3].toDouble())
                       : QRectF();
}
QRectF source(const QJsonObject &s) { return rectF(tile(s, 0).value("source_rect")); }
QRectF view(const QJsonObject &s) { return rectF(tile(s, 0).value("view_rect")); }
// The picture point drawn at window point `p`, and the window point a picture point is drawn at.
QPointF pictureAt(const QJsonObject &s, QPointF p) {
  const QRectF src = source(s), v = view(s);
  return {src.x() + (p.x() - v.x()) / v.width() * src.width(),
          src.y() + (p.y() - v.y()) / v.height() * src.height()};
}
QPointF windowAt(const QJsonObject &s, QPointF q) {
  const QRectF src = source(s), v = view(s);
  return {v.x() + (q.x() - src.x()) / src.width() * v.width(),
          v.y() + (q.y() - src.y()) / src.height() * v.height()};
}
bool fullPicture(const QJsonObject &s) {
  const QRectF src = source(s);
  return zoom(s) == 1 && std::abs(src.x()) < 0.01 && std::abs(src.y()) < 0.01 &&
         std::abs(src.width() - kPictureW) < 0.01 && std::abs(src.height() - kPictureH) < 0.01;
}

class KioskZoom : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kiosk_.start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true));
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(
        [](const QJsonObject &s) { return tilesPresented(s, 4, 25); }, 90000, &ok);
    ASSERT_TRUE(ok) << text(s) << kiosk_.standardError().toStdString();
    ASSERT_TRUE(x_.findWindow(kiosk_.pid(), 10000)) << x_.lastError().toStdString();
    ASSERT_TRUE(x_.focus()) << x_.lastError().toStdString();
  }
  void TearDown() override { EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString(); }

  // Tile 0 maximised by a real double-click, showing its whole picture.
  QJsonObject maximise() {
    const QRect r = rectOf(tile(kiosk_.state(), 0).value(QStringLiteral("rect")));
    EXPECT_TRUE(x_.click(r.center().x(), r.center().y(), 1, 2)) << x_.lastError().toStdString();
    return expectState(
        kiosk_,
        [](const QJsonObject &s) {
          return s.value("maximised").toInt() == 0 && fullPicture(s) && !view(s).isEmpty();
        },
        kChangeTimeoutMs, QStringLiteral("tile 0 maximised at 1x"));
  }
  // `notches` wheel notches up at `p`; the state once the zoom is `expected`.
  QJsonObject wheel(QPointF p, int notches, double expected) {
    EXPECT_TRUE(x_.click(qRound(p.x()), qRound(p.y()), 4, notches)) << x_.lastError().toStdString();
    return expectState(
        kiosk_, [expected](const QJsonObject &s) { return std::abs(zoom(s) - expected) < 1e-6; },
        kChangeTimeoutMs, QStringLiteral("zoom %1").arg(expected));
  }

  KioskProcess kiosk_;
  XInput x_;
};

}  // namespace

TEST_F(KioskZoom, TheWheelZoomsAroundThePointerAndADragPans) {
  const QJsonObject full = maximise();
  ASSERT_FALSE(HasFailure());
  const QRectF v1 = view(full);
  EXPECT_EQ(tile(full, 0).value(QStringLiteral("zoom_text")).toString(), QString());
  // Near the camera's label in the top-left (something to see in the screenshot): a zoom
  // around the middle would move its picture point.
  const QPointF p(v1.x() + v1.width() * 0.2, v1.y() + v1.height() * 0.12);

  // Four notches: the picture now covers the whole tile (at 1x it is pillar- or letterboxed).
  QJsonObject s = wheel(p, 4, std::pow(kNotch, 4));
  const QRect tileView = rectOf(tile(s, 0).value(QStringLiteral("rect"))).adjusted(1, 1, -1, -1);
  ASSERT_NEAR(view(s).width(), tileView.width(), 0.5) << text(s);
  ASSERT_NEAR(view(s).height(), tileView.height(), 0.5) << text(s);
  // One more: the picture point under the pointer stays under it.
  const QPointF under = pictureAt(s, p);
  s = wheel(p, 1, std::pow(kNotch, 5));
  const QPointF drawn = windowAt(s, under);
  EXPECT_NEAR(drawn.x(), p.x(), 2) << text(s);
  EXPECT_NEAR(drawn.y(), p.y(), 2) << text(s);
  // The part shown is the picture over the zoom (the scale the tile drew it at 1x, times zoom).
  const double scale1 = v1.width() / kPictureW;  // window pixels a picture pixel at 1x
  EXPECT_NEAR(source(s).width(), view(s).width() / (scale1 * zoom(s)), 0.5) << text(s);
  EXPECT_NEAR(source(s).height(), view(s).height() / (scale1 * zoom(s)), 0.5) << text(s);
  EXPECT_EQ(tile(s, 0).value(QStringLiteral("zoom_text")).toString(),
            QString::number(zoom(s), 'f', 1) + QLatin1Char('x'));
  const QString shot = shotsDir() + QStringLiteral("/zoom.png");
  EXPECT_EQ(kiosk_.command(QStringLiteral("screenshot ") + shot),
            QStringLiteral("ok screenshot ") + shot);

  // A drag left and up by (120, 60) px shows picture further right and down, by that over the
  // tile's scale: the part shown moves by the drag's distance / zoom in 1x tile pixels.
  const QRectF before = source(s);
  const QPointF drag(-120, -60);
  const double perPixel = before.width() / view(s).width();  // picture pixels a window pixel
  const QPointF expected(before.x() - drag.x() * perPixel, before.y() - drag.y() * perPixel);
  ASSERT_LE(expected.x() + before.width(), kPictureW) << "the drag would hit the edge";
  ASSERT_LE(expected.y() + before.height(), kPictureH) << "the drag would hit the edge";
  ASSERT_TRUE(
      x_.drag(qRound(p.x()), qRound(p.y()), qRound(p.x() + drag.x()), qRound(p.y() + drag.y()), 12))
      << x_.lastError().toStdString();
  s = expectState(
      kiosk_,
      [expected](const QJsonObject &s) {
        return std::abs(source(s).x() - expected.x()) < 2 &&
               std::abs(source(s).y() - expected.y()) < 2;
      },
      kChangeTimeoutMs, QStringLiteral("the drag's pan"));
  EXPECT_NEAR(source(s).width(), before.width(), 0.01);  // a pan does not zoom

  // The 0 key: the whole picture again.
  ASSERT_TRUE(x_.key(QStringLiteral("0"))) << x_.lastError().toStdString();
  s = expectState(kiosk_, fullPicture, kChangeTimeoutMs, QStringLiteral("1x after the 0 key"));
  EXPECT_EQ(tile(s, 0).value(QStringLiteral("zoom_text")).toString(), QString());
  EXPECT_EQ(s.value(QStringLiteral("maximised")).toInt(), 0);
}

TEST_F(KioskZoom, ADoubleClickOrLeavingMaximisedGoesBackTo1x) {
  const QJsonObject full = maximise();
  ASSERT_FALSE(HasFailure());
  const QPointF p = view(full).center();
  wheel(p, 2, kNotch * kNotch);
  // Zoomed, a double-click goes back to 1x and the tile stays maximised.
  ASSERT_TRUE(x_.click(qRound(p.x()), qRound(p.y()), 1, 2)) << x_.lastError().toStdString();
  QJsonObject s =
      expectState(kiosk_, fullPicture, kChangeTimeoutMs, QStringLiteral("1x after double-click"));
  EXPECT_EQ(s.value(QStringLiteral("maximised")).toInt(), 0) << text(s);

  // Zoomed, Escape leaves maximised, and the tile is back at 1x.
  wheel(p, 1, kNotch);
  ASSERT_TRUE(x_.key(QStringLiteral("Escape"))) << x_.lastError().toStdString();
  s = expectState(
      kiosk_,
      [](const QJsonObject &s) { return s.value("maximised").toInt() == -1 && zoom(s) == 1; },
      kChangeTimeoutMs, QStringLiteral("un-maximised at 1x"));

  // Not maximised, the wheel does not zoom: the ? key after it acts, so the wheel was handled.
  const QRect r = rectOf(tile(s, 1).value(QStringLiteral("rect")));
  ASSERT_TRUE(x_.click(r.center().x(), r.center().y(), 4, 3)) << x_.lastError().toStdString();
  ASSERT_TRUE(x_.key(QStringLiteral("question"))) << x_.lastError().toStdString();
  s = expectState(
      kiosk_, [](const QJsonObject &s) { return s.value("key_overlay").toBool(); },
      kChangeTimeoutMs, QStringLiteral("the key list after the wheel"));
  EXPECT_EQ(zoom(s, 1), 1) << text(s);
  EXPECT_EQ(zoom(s, 0), 1) << text(s);
}
