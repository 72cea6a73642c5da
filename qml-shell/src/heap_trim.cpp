/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "heap_trim.h"

#include <QTimer>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {
constexpr int kTrimMs = 60 * 1000;
}  // namespace

void startHeapTrim(QObject *owner) {
#ifdef __GLIBC__
  auto *timer = new QTimer(owner);
  timer->setInterval(kTrimMs);
  QObject::connect(timer, &QTimer::timeout, [] { malloc_trim(0); });
  timer->start();
#else
  (void)owner;
#endif
}
