/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka-kiosk --fs DIR|URL ...`: the cameras of the FS recorders make, as their stream tables
// name them, for a wall that only views (no config file, no camera passwords on the viewer's
// side), one or several recorders on one wall.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include "kiosk_config.h"

// One camera per video stream of each FS of `fses` (each opened read-only for the call with its
// options), by FS and stream id: its name from the stream table ("stream N" when it has none), its
// sound the audio stream the table gives it; and the cameras its recorder's status.json names that
// have no frame in the FS yet, as it names them. A name that cameras of two FS share gets its
// recorder's (nameByRecorder). False with `error` when an FS does not open or none has a camera.
bool viewerConfig(const QList<FsConfig> &fses, KioskConfig *config, QString *error);

// How a wall names the recorder of the FS in `dir`: the name its status.json gives (`named`), else
// a URL's host[:port] (its path too when `full`) or a directory's base name (its whole path when
// `full`); never a password.
QString recorderLabel(const QString &dir, const QString &named, bool full = false);

// Each camera whose name a camera of another FS has too becomes "LABEL: NAME", LABEL its FS's
// in `labels` (by FS dir); the name its recorder gives it is kept as its recorderName.
void nameByRecorder(QList<CameraConfig> *cameras, const QHash<QString, QString> &labels);
