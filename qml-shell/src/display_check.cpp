/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "display_check.h"

#include <QByteArray>
#include <QtGlobal>

bool hasDisplay() {
  if (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
    return true;
  const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
  return platform.startsWith("eglfs") || platform.startsWith("linuxfb");
}
