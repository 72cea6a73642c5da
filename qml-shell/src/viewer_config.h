/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka-kiosk --fs DIR`: the cameras of an FS that a recorder makes, as its stream table names
// them, for a wall that only views (no config file, no camera passwords on the viewer's side).
#pragma once

#include <QString>

#include "kiosk_config.h"

// One camera per video stream of the FS in `dir` (opened read-only for the call), by stream id:
// its name from the stream table ("stream N" when it has none), its sound the audio stream the
// table gives it; and the cameras its recorder's status.json names that have no frame in the FS
// yet, as it names them. False with `error` when the FS does not open or has no camera yet.
bool viewerConfig(const QString &dir, KioskConfig *config, QString *error);
