/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "camera_words.h"

#include <valkka/error.h>

namespace {

// A wrong password does not become right by retrying, but a camera restarting may refuse logins
// for a moment: a few attempts first.
constexpr int kAuthAttempts = 3;

bool has(const QString &reason, const char *text) {
  return reason.contains(QLatin1String(text), Qt::CaseInsensitive);
}

}  // namespace

CameraWords cameraWords(int error, const QString &reason) {
  // The texts are FFmpeg's (av_strerror, through the plugins' media_error.c) and the plugins'
  // own; the codes are valkka_media_error_code's, when the status carries one.
  // FFmpeg says "Server returned 401 Unauthorized (authorization failed)": a URL may hold 401.
  if (has(reason, "returned 401") || has(reason, "Unauthorized") || has(reason, "returned 403") ||
      has(reason, "Forbidden"))
    return {QStringLiteral("Wrong user or password"), kAuthAttempts};
  if (has(reason, "returned 404")) return {QStringLiteral("Stream not found on the camera"), 1};
  // A viewer's camera whose recorder has not made its FS yet (core-c/src/live/fs_source.c).
  if (has(reason, "not recorded yet")) return {QStringLiteral("Waiting for the recorder"), 0};
  if (has(reason, "No such file or directory") ||
      (error == VALKKA_ENOENT && !has(reason, "rtsp://")))
    return {QStringLiteral("File missing"), 1};
  if (has(reason, "Connection refused"))
    return {QStringLiteral("Camera refused the connection"), 0};
  // FFmpeg's TCP reports a name it cannot resolve as EIO ("Input/output error") on connecting.
  if (has(reason, "Name or service not known") || has(reason, "resolve") ||
      has(reason, "No route to host") || has(reason, "Network is unreachable") ||
      (has(reason, "rtsp://") && has(reason, ": connect: Input/output error")))
    return {QStringLiteral("Camera not found on the network"), 0};
  // A stall: connected, but the pictures stopped (source_thread.c).
  if (has(reason, "no frame for")) return {QStringLiteral("Camera sends no pictures"), 0};
  if (error == VALKKA_ETIMEDOUT || has(reason, "no answer within") || has(reason, "timed out"))
    return {QStringLiteral("Camera does not answer"), 0};
  if (has(reason, "closed the connection") || has(reason, "Connection reset"))
    return {QStringLiteral("Camera closed the connection"), 0};
  if (error == VALKKA_ECODEC || has(reason, "is not H.264 or H.265"))
    return {QStringLiteral("Camera's video format is not supported"), 0};
  if (error == VALKKA_ECONN) return {QStringLiteral("Camera connection failed"), 0};
  return {};
}
