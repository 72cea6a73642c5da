/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Whether a window can be opened at all: Qt aborts the process when its platform plugin finds
// no display, so the kiosk asks first and exits with its own code instead.
#pragma once

// Exit code of valkka-kiosk when there is no display: ci/kiosk.sh then records headless.
constexpr int kExitNoDisplay = 3;

// True when DISPLAY or WAYLAND_DISPLAY is set (non-empty), or QT_QPA_PLATFORM names a platform
// that draws on the console without either (eglfs, linuxfb).
bool hasDisplay();
