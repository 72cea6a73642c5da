/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera's error in an operator's words: what the core and its plugins report (an error code
// and a technical line such as "open: source-rtsp: rtsp://***@127.0.0.1:1/x: connect: Connection
// refused") as "Camera refused the connection", and whether trying again can help. The tile shows
// the words; the technical line stays for the tooltip. The one place this mapping lives.
#pragma once

#include <QString>

struct CameraWords {
  QString words;  // "" when the error is none the operator needs words for
  // Reconnect attempts after which this error counts as for good (the tile then says FAILED while
  // the core may go on retrying); 0: never.
  int permanentAfter = 0;
};

// `error` is the status's valkka_error_t (0 when only the text is known, as from a recorder's
// status.json); `reason` its technical line.
CameraWords cameraWords(int error, const QString &reason);
