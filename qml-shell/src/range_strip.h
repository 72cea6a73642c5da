/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A timeline lane's recorded ranges, drawn: one scene-graph node of flat bars (lane_bars.h)
// rebuilt when the ranges or the view change. One item a lane, whatever the number of ranges: a
// QML item a range cost a day of 16 cameras thousands of items re-made each second.
#pragma once

#include <QColor>
#include <QQuickItem>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

#include <vector>

#include "range_builder.h"

class RangeStrip : public QQuickItem {
  Q_OBJECT
  QML_ELEMENT
  // The timeline model's ranges role: [{start, end}, ...] in ms, oldest first.
  Q_PROPERTY(QVariant ranges READ ranges WRITE setRanges NOTIFY rangesChanged)
  Q_PROPERTY(double viewStart READ viewStart WRITE setViewStart NOTIFY viewChanged)
  Q_PROPERTY(double span READ span WRITE setSpan NOTIFY viewChanged)
  Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)
  // Bars in the view as last laid out (the timeline's draw-time measure reports it).
  Q_PROPERTY(int bars READ bars NOTIFY barsChanged)

 public:
  explicit RangeStrip(QQuickItem *parent = nullptr);

  QVariant ranges() const { return rangesValue_; }
  void setRanges(const QVariant &ranges);
  double viewStart() const { return viewStart_; }
  void setViewStart(double t);
  double span() const { return span_; }
  void setSpan(double ms);
  QColor color() const { return color_; }
  void setColor(const QColor &color);
  int bars() const { return bars_; }

 signals:
  void rangesChanged();
  void viewChanged();
  void colorChanged();
  void barsChanged();

 protected:
  QSGNode *updatePaintNode(QSGNode *old, UpdatePaintNodeData *) override;
  void geometryChange(const QRectF &next, const QRectF &old) override;

 private:
  QVariant rangesValue_;
  std::vector<TimeRange> ranges_;
  double viewStart_ = 0, span_ = 1;
  QColor color_ = QColor(0x3c, 0x8c, 0x50);
  int bars_ = 0;
  bool colorDirty_ = true;
};
