/* SPDX-License-Identifier: LGPL-2.1-or-later */
// SIGTERM, SIGINT and SIGHUP quit the Qt event loop, so the kiosk stops its cameras and closes
// its FSes (written through and synced) instead of dying mid-write.
#pragma once

// Installs the handlers; call once, after the QCoreApplication exists.
void quitOnTerminationSignals();
