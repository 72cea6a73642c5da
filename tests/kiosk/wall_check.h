/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What a screenshot of the wall shows, measured with QImage over the tile rectangles the kiosk
// wrote beside it.
#pragma once

#include <QColor>
#include <QImage>
#include <QJsonObject>
#include <QRect>
#include <QString>

struct RegionStats {
  QColor median;  // per-channel median
  double meanLuma = 0;
  double lumaStdDev = 0;
};

// Reads FILE.png's FILE.json (next to it). Empty on failure.
QJsonObject readShotJson(const QString &png);
// [x, y, w, h] of a JSON array.
QRect rectOf(const QJsonValue &value);
// The middle of `r`, shrunk by `fraction` of its size on each side (to stay clear of borders).
QRect inset(const QRect &r, double fraction);
RegionStats regionStats(const QImage &image, const QRect &r);
// "X,Y WxH" of a state's {"x", "y", "width", "height"} (a window's or a screen's).
QString geometry(const QJsonObject &o);
// Euclidean RGB distance.
double colourDistance(const QColor &a, const QColor &b);
// Which of synthetic://0..3 (plugins/source-synthetic/picture.c, each its own base colour) a
// picture of median colour `c` is closest to.
int nearestSyntheticCamera(const QColor &c);
// A wall state (the test control's `state`, or a screenshot's JSON) in playback with `tiles`
// tiles, each showing its camera's picture at `targetMs`: the last frame at or before it, less
// than one frame interval of the 25 fps synthetic cameras earlier.
bool tilesShowTime(const QJsonObject &state, double targetMs, int tiles);
// A wall state in live mode with `tiles` tiles, each picture recorded within a second of the
// state's time.
bool tilesLive(const QJsonObject &state, int tiles);
