/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk's keys, a tile's double-click and the timeline's mouse, as real X input (xdotool,
// XTEST) to the kiosk's window, and the pinch and double-tap as Qt touch events: each event must
// change the kiosk's state, read through its test commands, as the README ("The kiosk") says.
// Every check waits on its own condition; when a check fails, a test command puts the kiosk
// where the next check expects it, so each key is checked on its own.
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "kiosk_process.h"
#include "wall_check.h"
#include "x_input.h"

namespace {

using Ready = std::function<bool(const QJsonObject &)>;

// A change the input caused shows within this (several window frames under llvmpipe).
constexpr int kChangeTimeoutMs = 10000;
// 25 fps cameras: the next picture on the common clock is at most one frame interval later.
constexpr double kFrameIntervalMs = 40;

QJsonArray tiles(const QJsonObject &s) { return s.value(QStringLiteral("tiles")).toArray(); }
QJsonObject timeline(const QJsonObject &s) {
  return s.value(QStringLiteral("timeline")).toObject();
}
double num(const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toDouble(); }
bool live(const QJsonObject &s) { return s.value(QStringLiteral("mode")).toString() == "live"; }
bool playing(const QJsonObject &s) { return s.value(QStringLiteral("playing")).toBool(); }
bool muted(const QJsonObject &s) {
  return s.value(QStringLiteral("sound")).toObject().value(QStringLiteral("muted")).toBool();
}

int visibleTiles(const QJsonObject &s) {
  int n = 0;
  for (const QJsonValue &t : tiles(s)) n += t.toObject().value(QStringLiteral("visible")).toBool();
  return n;
}

QRect tileRect(const QJsonObject &s, int index) {
  for (const QJsonValue &t : tiles(s))
    if (t.toObject().value(QStringLiteral("index")).toInt() == index)
      return rectOf(t.toObject().value(QStringLiteral("rect")));
  return {};
}

// The 4 tiles in a `columns` x `columns` grid over the window's width, none maximised.
bool showsGrid(const QJsonObject &s, int columns) {
  const int width = s.value(QStringLiteral("window")).toObject().value("width").toInt();
  return s.value(QStringLiteral("columns")).toInt() == columns &&
         s.value(QStringLiteral("maximised")).toInt() == -1 &&
         visibleTiles(s) == std::min(4, columns * columns) &&
         std::abs(tileRect(s, 0).width() * columns - width) <= columns;
}

// Tile `index` alone, over the whole wall (the window's width).
bool showsMaximised(const QJsonObject &s, int index) {
  const int width = s.value(QStringLiteral("window")).toObject().value("width").toInt();
  const QRect r = tileRect(s, index);
  return s.value(QStringLiteral("maximised")).toInt() == index && visibleTiles(s) == 1 &&
         r.x() == 0 && r.y() == 0 && r.width() == width;
}

// The time a press at window x seeks to, from the timeline's view in `s`.
double timeAtX(const QJsonObject &s, int x) {
  const QJsonObject t = timeline(s);
  const QRect track = rectOf(t.value(QStringLiteral("track_rect")));
  return num(t, "view_start_ms") + (x - track.x()) * num(t, "span_ms") / track.width();
}
int xAtTime(const QJsonObject &s, double mstime) {
  const QJsonObject t = timeline(s);
  const QRect track = rectOf(t.value(QStringLiteral("track_rect")));
  return track.x() + static_cast<int>(std::lround((mstime - num(t, "view_start_ms")) /
                                                  num(t, "span_ms") * track.width()));
}
// One timeline pixel in ms.
double pixelMs(const QJsonObject &s) {
  return num(timeline(s), "span_ms") /
         rectOf(timeline(s).value(QStringLiteral("track_rect"))).width();
}

class KioskInput : public ::testing::Test {
 protected:
  // The 4 built-in cameras, 4 s of pictures (and recording) each, the window focused.
  void SetUp() override {
    ASSERT_TRUE(kiosk_.start({QStringLiteral("--fs-size"), QStringLiteral("67108864")}, true));
    bool ok = false;
    kiosk_.waitForState(
        [](const QJsonObject &s) {
          for (const QJsonValue &t : tiles(s))
            if (num(t.toObject(), "presented") < 100) return false;
          return tiles(s).size() == 4 && !timeline(s).isEmpty();
        },
        60000, &ok);
    ASSERT_TRUE(ok) << kiosk_.standardError().toStdString();
    ASSERT_TRUE(x_.findWindow(kiosk_.pid(), 10000)) << x_.lastError().toStdString();
    ASSERT_TRUE(x_.focus()) << x_.lastError().toStdString();
  }
  void TearDown() override { EXPECT_TRUE(kiosk_.quit()) << kiosk_.standardError().toStdString(); }

  QJsonObject state() { return kiosk_.state(); }
  // Waits for `ready` after an input; a failure names the input and the last state.
  bool changed(const QString &input, const Ready &ready, QJsonObject *last = nullptr) {
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(ready, kChangeTimeoutMs, &ok);
    EXPECT_TRUE(ok) << input.toStdString() << " did not act: "
                    << QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString();
    if (last) *last = s;
    return ok;
  }
  bool pressKey(const QString &keysym, const Ready &ready, QJsonObject *last = nullptr) {
    EXPECT_TRUE(x_.key(keysym)) << x_.lastError().toStdString();
    return changed(QStringLiteral("key ") + keysym, ready, last);
  }
  // A test command that puts the kiosk where the next check starts from, after a failed check.
  void command(const QString &line) {
    EXPECT_TRUE(kiosk_.command(line).startsWith(QStringLiteral("ok"))) << line.toStdString();
  }
  // A test command, then its effect.
  QJsonObject commandUntil(const QString &line, const Ready &ready) {
    command(line);
    bool ok = false;
    const QJsonObject s = kiosk_.waitForState(ready, kChangeTimeoutMs, &ok);
    EXPECT_TRUE(ok) << line.toStdString() << " did not act";
    return s;
  }

  // `doubleTap` at tile 2's centre maximises it; at the maximised tile's centre, the grid again.
  void doubleTapTogglesTile2(const QString &what, const std::function<void(QPoint)> &doubleTap) {
    const QRect tile = tileRect(state(), 2);
    ASSERT_FALSE(tile.isEmpty());
    const QPoint centre = tile.center();
    doubleTap(centre);
    QJsonObject s;
    if (!changed(
            what + " on tile 2", [](const QJsonObject &s) { return showsMaximised(s, 2); }, &s))
      s = commandUntil("maximise 2", [](const QJsonObject &s) { return showsMaximised(s, 2); });
    // At the maximised tile's centre: far enough from the first two taps that Qt does not count
    // these as the third and fourth of one run of taps, whatever time passed.
    const QPoint middle = tileRect(s, 2).center();
    ASSERT_GT((middle - centre).manhattanLength(), 100);
    doubleTap(middle);
    changed(what + " on the maximised tile", [](const QJsonObject &s) { return showsGrid(s, 2); });
  }

  KioskProcess kiosk_;
  XInput x_;
};

}  // namespace

TEST_F(KioskInput, SpaceLeftRightAndLDrivePlayback) {
  QJsonObject s;
  // Space in live mode freezes at now: playback, paused.
  if (!pressKey("space", [](const QJsonObject &s) { return !live(s) && !playing(s); }))
    command("toggle-play");
  if (!pressKey("space", [](const QJsonObject &s) { return !live(s) && playing(s); }))
    command("toggle-play");
  if (!pressKey("space", [](const QJsonObject &s) { return !live(s) && !playing(s); }))
    command("toggle-play");

  // Right: the next picture on the common clock, at most one frame interval on, still paused.
  // From 3 s back (the seek command, as a timeline click), where recorded frames follow: at the
  // end of the recorded data a step does nothing (valkka_manager_step).
  const QString reply = kiosk_.command(QStringLiteral("seek-offset -3000"));
  ASSERT_TRUE(reply.startsWith(QStringLiteral("ok seek "))) << reply.toStdString();
  const double target = reply.mid(8).toDouble();
  bool ok = false;
  s = kiosk_.waitForState(
      [target](const QJsonObject &s) {
        return num(s, "position_ms") <= target && num(s, "position_ms") > target - kFrameIntervalMs;
      },
      kChangeTimeoutMs, &ok);
  ASSERT_TRUE(ok) << "the seek 3 s back did not act";
  const double before = num(s, "position_ms");
  if (pressKey(
          "Right", [before](const QJsonObject &s) { return num(s, "position_ms") > before; }, &s)) {
    EXPECT_LE(num(s, "position_ms") - before, kFrameIntervalMs);
    EXPECT_FALSE(playing(s));
  }

  // Left: every tile one of its frames back (the core's step back), paused.
  const double from = num(state(), "position_ms");
  if (pressKey(
          "Left", [from](const QJsonObject &s) { return num(s, "position_ms") < from; }, &s)) {
    EXPECT_GE(num(s, "position_ms"), from - kFrameIntervalMs);
    EXPECT_FALSE(playing(s));
  }

  // L: live again.
  pressKey("l", [](const QJsonObject &s) { return live(s); });
}

// Whether tile `index` has the pointer over it (its hover: the controls shown).
bool tilePointed(const QJsonObject &s, int index) {
  for (const QJsonValue &t : tiles(s))
    if (t.toObject().value(QStringLiteral("index")).toInt() == index)
      return t.toObject().value(QStringLiteral("pointed")).toBool();
  return false;
}

// A pointer left alone over the wall leaves it after 10 s (pointer_idle.h: Qt 6.4's hover at
// every frame grows a list for as long as a pointer rests on the window); a move brings it back.
TEST_F(KioskInput, APointerLeftAloneLeavesTheWallAndAMoveBringsItBack) {
  const QPoint at = tileRect(state(), 1).center();
  ASSERT_FALSE(at.isNull());
  ASSERT_TRUE(x_.moveTo(at.x(), at.y())) << x_.lastError().toStdString();
  ASSERT_TRUE(
      changed("the pointer over tile 1", [](const QJsonObject &s) { return tilePointed(s, 1); }));
  bool ok = false;
  const QJsonObject s = kiosk_.waitForState(
      [](const QJsonObject &s) { return !tilePointed(s, 1) && visibleTiles(s) == 4; }, 30000, &ok);
  EXPECT_TRUE(ok) << "the pointer left alone for 30 s still hovers tile 1: "
                  << QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString();
  ASSERT_TRUE(x_.moveTo(at.x() + 5, at.y())) << x_.lastError().toStdString();
  EXPECT_TRUE(
      changed("the pointer moved again", [](const QJsonObject &s) { return tilePointed(s, 1); }));
}

TEST_F(KioskInput, MTurnsSoundOnAndOff) {
  const QJsonObject s = state();
  ASSERT_TRUE(s.contains(QStringLiteral("sound")));
  const bool start = muted(s);
  if (!pressKey("m", [start](const QJsonObject &s) { return muted(s) != start; })) command("sound");
  pressKey("m", [start](const QJsonObject &s) { return muted(s) == start; });
}

TEST_F(KioskInput, DigitsPickTheLayoutAndEscapeUnmaximises) {
  ASSERT_TRUE(showsGrid(state(), 2));  // 4 cameras: 2x2
  for (int columns : {1, 3, 4, 2})
    pressKey(QString::number(columns),
             [columns](const QJsonObject &s) { return showsGrid(s, columns); });

  // Escape returns to the grid the digits left, whichever that is.
  const int columns = state().value(QStringLiteral("columns")).toInt();
  commandUntil("maximise 1", [](const QJsonObject &s) { return showsMaximised(s, 1); });
  pressKey("Escape", [columns](const QJsonObject &s) { return showsGrid(s, columns); });
}

TEST_F(KioskInput, FTogglesFullScreen) {
  ASSERT_FALSE(state().value(QStringLiteral("fullscreen")).toBool());
  pressKey("f",
           [](const QJsonObject &s) { return s.value(QStringLiteral("fullscreen")).toBool(); });
  pressKey("f",
           [](const QJsonObject &s) { return !s.value(QStringLiteral("fullscreen")).toBool(); });
}

TEST_F(KioskInput, DoubleClickOnATileMaximisesItAndAgainRestores) {
  doubleTapTogglesTile2("double-click", [this](QPoint at) {
    EXPECT_TRUE(x_.click(at.x(), at.y(), 1, 2)) << x_.lastError().toStdString();
  });
}

TEST_F(KioskInput, TimelineWheelZoomsDragAndSidewaysWheelPanClickAndDragSeek) {
  QJsonObject s = state();
  const QRect track = rectOf(timeline(s).value(QStringLiteral("track_rect")));
  const QRect axis = rectOf(timeline(s).value(QStringLiteral("axis_rect")));
  ASSERT_FALSE(track.isEmpty());
  ASSERT_FALSE(axis.isEmpty());
  const QPoint middle = track.center();

  // The wheel: one step up zooms in by 1.25, one down back out.
  const double span = num(timeline(s), "span_ms");
  ASSERT_TRUE(x_.click(middle.x(), middle.y(), 4)) << x_.lastError().toStdString();
  if (changed(
          "wheel up", [span](const QJsonObject &s) { return num(timeline(s), "span_ms") < span; },
          &s)) {
    EXPECT_NEAR(num(timeline(s), "span_ms"), span / 1.25, 1);
  }
  ASSERT_TRUE(x_.click(middle.x(), middle.y(), 5)) << x_.lastError().toStdString();
  changed("wheel down", [span](const QJsonObject &s) {
    return std::abs(num(timeline(s), "span_ms") - span) < 1;
  });
  // Zoomed in further, a pixel is a fraction of a second for the seeks below.
  ASSERT_TRUE(x_.click(middle.x(), middle.y(), 4, 8)) << x_.lastError().toStdString();
  changed("8 wheel steps up",
          [span](const QJsonObject &s) { return num(timeline(s), "span_ms") < span / 5; });

  // Dragging the axis 40 px left pans the view 40 px later and stops following the playhead.
  s = state();
  const double viewStart = num(timeline(s), "view_start_ms");
  // The live view follows the timeline's own clock, which its 200 ms timer moves: by the
  // snapshot's time it may be that much behind, so the follow is bounded by that clock.
  const double clockBefore = num(timeline(s), "now");
  const double pixel = pixelMs(s);
  const int y = axis.center().y();
  ASSERT_TRUE(x_.drag(axis.center().x(), y, axis.center().x() - 40, y, 4))
      << x_.lastError().toStdString();
  // Until the press the live view kept moving with the clock: at most as far as the clock has
  // moved since. The wait covers the whole drag (its moves arrive one by one).
  const double dragged = 40 * pixel;
  if (changed(
          "axis drag",
          [viewStart, dragged, pixel](const QJsonObject &s) {
            return !timeline(s).value(QStringLiteral("follow")).toBool() &&
                   num(timeline(s), "view_start_ms") - viewStart >= dragged - pixel;
          },
          &s)) {
    EXPECT_LE(num(timeline(s), "view_start_ms") - viewStart,
              dragged + pixel + num(timeline(s), "now") - clockBefore);
  }

  // A click on the lanes 3 s back seeks every tile to the time under the pointer.
  s = state();
  const int clickX = xAtTime(s, num(s, "taken_ms") - 3000);
  const double clicked = timeAtX(s, clickX);
  ASSERT_TRUE(x_.click(clickX, middle.y())) << x_.lastError().toStdString();
  // The view stays put now: the time under the pointer is the one computed, within a pixel.
  changed("lane click", [clicked, pixel](const QJsonObject &s) {
    return !live(s) && std::abs(num(s, "seek_target_ms") - clicked) <= pixel;
  });

  // A drag on the lanes from 4 s back to 2 s back ends on the time where it was released.
  s = state();
  const int fromX = xAtTime(s, num(s, "taken_ms") - 4000);
  const int toX = xAtTime(s, num(s, "taken_ms") - 2000);
  const double released = timeAtX(s, toX);
  ASSERT_TRUE(x_.drag(fromX, middle.y(), toX, middle.y(), 4)) << x_.lastError().toStdString();
  changed("lane drag", [released, pixel](const QJsonObject &s) {
    return std::abs(num(s, "seek_target_ms") - released) <= pixel;
  });

  // One step of the sideways wheel (button 7) pans a tenth of the track, either way.
  s = state();
  const double panFrom = num(timeline(s), "view_start_ms");
  const double tenth = track.width() / 10.0 * pixel;
  ASSERT_TRUE(x_.click(middle.x(), middle.y(), 7)) << x_.lastError().toStdString();
  changed("sideways wheel", [panFrom, tenth, pixel](const QJsonObject &s) {
    return std::abs(std::abs(num(timeline(s), "view_start_ms") - panFrom) - tenth) <= pixel;
  });
}

// Touch, as Qt's test touch screen (the kiosk's touch-* commands, qml-shell/src/touch_input.h):
// Xvfb has no touch device and xdotool sends no touch events.
TEST_F(KioskInput, TouchPinchZoomsTheTimelineAndDoubleTapMaximisesATile) {
  const QJsonObject s = state();
  const QRect track = rectOf(timeline(s).value(QStringLiteral("track_rect")));
  ASSERT_FALSE(track.isEmpty());

  // Two fingers on the lanes spread from 100 px apart to 400: the view shows a quarter the time.
  constexpr int kFrom = 100;
  constexpr int kTo = 400;
  constexpr int kSteps = 15;
  const double span = num(timeline(s), "span_ms");
  const QString reply = kiosk_.command(QStringLiteral("touch-pinch %1 %2 %3 %4 %5")
                                           .arg(track.center().x())
                                           .arg(track.center().y())
                                           .arg(kFrom)
                                           .arg(kTo)
                                           .arg(kSteps),
                                       60000);
  ASSERT_TRUE(reply.startsWith(QStringLiteral("ok touch-pinch "))) << reply.toStdString();
  // The pinch starts at the first move that takes each finger past Qt's drag threshold and
  // scales by the fingers' distance from there: the span's factor lies between the whole
  // gesture's from / to and (from + 2 thresholds + one move) / to, which a run here met exactly.
  // One move more of room: should a loaded machine merge two moves into one frame, the pinch
  // starts one move later.
  const double threshold = reply.mid(15).toDouble();
  const double move = static_cast<double>(kTo - kFrom) / kSteps;
  const double least = span * kFrom / kTo;
  const double most = span * (kFrom + 2 * threshold + 2 * move) / kTo;
  changed("touch pinch", [least, most](const QJsonObject &s) {
    const double zoomed = num(timeline(s), "span_ms");
    return zoomed >= least - 1 && zoomed <= most + 1;
  });

  doubleTapTogglesTile2("touch double-tap", [this](QPoint at) {
    command(QStringLiteral("touch-double-tap %1 %2").arg(at.x()).arg(at.y()));
  });
}
