/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What a tile's snapshot is on disk: its folder, its file name, and the camera's name and the
// picture's time burned into a corner of the picture. Plain functions, any thread.
#pragma once

#include <QImage>
#include <QRect>
#include <QString>

// $XDG_PICTURES_DIR/valkka-kiosk, else the user's pictures folder (Qt's, ~/Pictures by
// default) /valkka-kiosk.
QString defaultSnapshotFolder();

// "<camera>-YYYYmmdd-HHMMSS.mmm.png" at local time `mstime`, the camera's name made file-safe:
// every character but letters, digits, '.', '_' and '-' becomes '_', no leading dot.
QString snapshotFileName(const QString &camera, qint64 mstime);

// The time as burned in: local date and time to the millisecond with the zone's name and offset
// ("2026-12-06 18:40:12.345 EET UTC+02:00"; in UTC itself, "... UTC").
QString snapshotTimeText(qint64 mstime);

// Draws the camera's name and snapshotTimeText in a dark box in the picture's bottom-left
// corner, its text scaled to the picture's height; returns the box (picture pixels).
QRect burnInLabel(QImage *image, const QString &camera, qint64 mstime);
