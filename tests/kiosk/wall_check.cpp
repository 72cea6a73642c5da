/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wall_check.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <vector>

QJsonObject readShotJson(const QString &png) {
  const QFileInfo info(png);
  QFile file(info.path() + QLatin1Char('/') + info.completeBaseName() + QStringLiteral(".json"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).object();
}

QRect rectOf(const QJsonValue &value) {
  const QJsonArray a = value.toArray();
  if (a.size() != 4) return {};
  return QRect(a.at(0).toInt(), a.at(1).toInt(), a.at(2).toInt(), a.at(3).toInt());
}

QRect inset(const QRect &r, double fraction) {
  const int dx = static_cast<int>(r.width() * fraction),
            dy = static_cast<int>(r.height() * fraction);
  return r.adjusted(dx, dy, -dx, -dy);
}

RegionStats regionStats(const QImage &image, const QRect &region) {
  RegionStats stats;
  const QRect r = region.intersected(image.rect());
  if (r.isEmpty()) return stats;
  std::vector<int> red, green, blue;
  double sum = 0, sum2 = 0;
  for (int y = r.top(); y <= r.bottom(); y++)
    for (int x = r.left(); x <= r.right(); x++) {
      const QRgb p = image.pixel(x, y);
      red.push_back(qRed(p));
      green.push_back(qGreen(p));
      blue.push_back(qBlue(p));
      const double luma = 0.299 * qRed(p) + 0.587 * qGreen(p) + 0.114 * qBlue(p);
      sum += luma;
      sum2 += luma * luma;
    }
  const auto median = [](std::vector<int> &v) {
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  const double n = static_cast<double>(red.size());
  stats.median = QColor(median(red), median(green), median(blue));
  stats.meanLuma = sum / n;
  stats.lumaStdDev = std::sqrt(std::max(0.0, sum2 / n - stats.meanLuma * stats.meanLuma));
  return stats;
}

double colourDistance(const QColor &a, const QColor &b) {
  const double dr = a.red() - b.red(), dg = a.green() - b.green(), db = a.blue() - b.blue();
  return std::sqrt(dr * dr + dg * dg + db * db);
}

int nearestSyntheticCamera(const QColor &c) {
  static const QColor colours[] = {QColor(200, 40, 40), QColor(40, 160, 60), QColor(40, 70, 200),
                                   QColor(210, 190, 40)};
  int best = -1;
  double bestDistance = 1e9;
  for (int i = 0; i < 4; i++) {
    const double d = colourDistance(c, colours[i]);
    if (d < bestDistance) bestDistance = d, best = i;
  }
  return best;
}

bool tilesShowTime(const QJsonObject &state, double targetMs, int tiles) {
  constexpr double frameIntervalMs = 40;
  const QJsonArray shown = state.value(QStringLiteral("tiles")).toArray();
  if (state.value(QStringLiteral("mode")).toString() != QStringLiteral("playback")) return false;
  for (const QJsonValue &t : shown) {
    const double at = t.toObject().value(QStringLiteral("frame_ms")).toDouble();
    if (!(at <= targetMs && at > targetMs - frameIntervalMs)) return false;
  }
  return shown.size() == tiles;
}

bool tilesLive(const QJsonObject &state, int tiles) {
  const QJsonArray shown = state.value(QStringLiteral("tiles")).toArray();
  if (state.value(QStringLiteral("mode")).toString() != QStringLiteral("live")) return false;
  const double taken = state.value(QStringLiteral("taken_ms")).toDouble();
  for (const QJsonValue &t : shown)
    if (std::abs(t.toObject().value(QStringLiteral("frame_ms")).toDouble() - taken) > 1000)
      return false;
  return shown.size() == tiles;
}

QString geometry(const QJsonObject &o) {
  return QStringLiteral("%1,%2 %3x%4")
      .arg(o.value(QStringLiteral("x")).toInt())
      .arg(o.value(QStringLiteral("y")).toInt())
      .arg(o.value(QStringLiteral("width")).toInt())
      .arg(o.value(QStringLiteral("height")).toInt());
}
