/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "range_strip.h"

#include <QSGFlatColorMaterial>
#include <QSGGeometryNode>
#include <QVariantMap>

#include "lane_bars.h"

RangeStrip::RangeStrip(QQuickItem *parent) : QQuickItem(parent) { setFlag(ItemHasContents, true); }

void RangeStrip::setRanges(const QVariant &value) {
  rangesValue_ = value;
  std::vector<TimeRange> ranges;
  const QVariantList list = value.toList();
  ranges.reserve(static_cast<size_t>(list.size()));
  for (const QVariant &r : list) {
    const QVariantMap m = r.toMap();
    ranges.push_back({static_cast<int64_t>(m.value(QStringLiteral("start")).toDouble()),
                      static_cast<int64_t>(m.value(QStringLiteral("end")).toDouble())});
  }
  if (ranges == ranges_) return;
  ranges_ = std::move(ranges);
  emit rangesChanged();
  update();
}

void RangeStrip::setViewStart(double t) {
  if (t == viewStart_) return;
  viewStart_ = t;
  emit viewChanged();
  update();
}

void RangeStrip::setSpan(double ms) {
  if (ms == span_) return;
  span_ = ms;
  emit viewChanged();
  update();
}

void RangeStrip::setColor(const QColor &color) {
  if (color == color_) return;
  color_ = color;
  colorDirty_ = true;
  emit colorChanged();
  update();
}

void RangeStrip::geometryChange(const QRectF &next, const QRectF &old) {
  QQuickItem::geometryChange(next, old);
  if (next.size() != old.size()) update();
}

// Runs on the render thread while the GUI thread waits (Qt's rule for this function), so the
// members are read safely; `bars` is announced back on the GUI thread.
QSGNode *RangeStrip::updatePaintNode(QSGNode *old, UpdatePaintNodeData *) {
  auto *node = static_cast<QSGGeometryNode *>(old);
  if (!node) {
    node = new QSGGeometryNode;
    auto *geometry = new QSGGeometry(QSGGeometry::defaultAttributes_Point2D(), 0);
    geometry->setDrawingMode(QSGGeometry::DrawTriangles);
    node->setGeometry(geometry);
    node->setFlag(QSGNode::OwnsGeometry);
    node->setMaterial(new QSGFlatColorMaterial);
    node->setFlag(QSGNode::OwnsMaterial);
    colorDirty_ = true;
  }
  if (colorDirty_) {
    static_cast<QSGFlatColorMaterial *>(node->material())->setColor(color_);
    node->markDirty(QSGNode::DirtyMaterial);
    colorDirty_ = false;
  }
  const std::vector<LaneBar> laid = laneBars(ranges_, viewStart_, span_, width());
  QSGGeometry *geometry = node->geometry();
  geometry->allocate(static_cast<int>(laid.size() * 6));
  QSGGeometry::Point2D *v = geometry->vertexDataAsPoint2D();
  const float top = 0, bottom = static_cast<float>(height());
  for (const LaneBar &bar : laid) {
    const float left = static_cast<float>(bar.x), right = static_cast<float>(bar.x + bar.width);
    v[0].set(left, top);
    v[1].set(right, top);
    v[2].set(left, bottom);
    v[3].set(right, top);
    v[4].set(right, bottom);
    v[5].set(left, bottom);
    v += 6;
  }
  node->markDirty(QSGNode::DirtyGeometry);
  const int count = static_cast<int>(laid.size());
  if (count != bars_) {
    bars_ = count;
    QMetaObject::invokeMethod(this, &RangeStrip::barsChanged, Qt::QueuedConnection);
  }
  return node;
}
