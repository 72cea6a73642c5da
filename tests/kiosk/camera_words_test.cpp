/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera's errors in an operator's words (qml-shell/src/camera_words.h) from the technical
// lines the core's sources report, as the kiosk received them (live status "reason", the source's
// error code), and what a tile's feed makes of a run of statuses: the words, FAILED for errors
// retrying cannot mend (with no countdown), and since when a camera that was live is offline.
#include <QDateTime>

#include <gtest/gtest.h>

#include <valkka/error.h>
#include <valkka/live.h>

#include "camera_feed.h"
#include "camera_words.h"

namespace {

struct Case {
  int error;
  const char *reason;
  const char *words;
  int permanentAfter;
};

// The lines as live status reasons carry them: "open: " (core-c/src/live/source_thread.c), the
// plugin's module and redacted URL or path, the stage, then the plugin's or FFmpeg's text.
const Case kCases[] = {
    {VALKKA_ECONN, "open: source-rtsp: rtsp://***@127.0.0.1:1/x: connect: Connection refused",
     "Camera refused the connection", 0},
    {VALKKA_EACCES,
     "open: source-rtsp: rtsp://***@127.0.0.1:8554/h264: connect: Server returned 401 "
     "Unauthorized (authorization failed)",
     "Wrong user or password", 3},
    {VALKKA_EIO, "open: source-rtsp: rtsp://camera.invalid/x: connect: Input/output error",
     "Camera not found on the network", 0},
    {VALKKA_ENOENT,
     "open: source-rtsp: rtsp://127.0.0.1:8554/nothing: connect: Server returned 404 Not Found",
     "Stream not found on the camera", 1},
    {VALKKA_ENOENT, "open: source-file: open /srv/clips/gate.mp4: No such file or directory",
     "File missing", 1},
    {VALKKA_ETIMEDOUT, "open: source-rtsp: rtsp://127.0.0.1:9/x: connect: no answer within 5000 ms",
     "Camera does not answer", 0},
    {VALKKA_EAGAIN,
     "open: valkkafs: fs_open: /srv/fs0: No such file or directory (not recorded yet?)",
     "Waiting for the recorder", 0},
    // A recorder's status.json gives the line without its code.
    {0, "open: source-rtsp: rtsp://***@127.0.0.1:1/live: Connection refused",
     "Camera refused the connection", 0},
};

TEST(CameraWords, MapsTheCoresErrorLines) {
  for (const Case &c : kCases) {
    const CameraWords said = cameraWords(c.error, QString::fromUtf8(c.reason));
    EXPECT_EQ(said.words.toStdString(), c.words) << c.reason;
    EXPECT_EQ(said.permanentAfter, c.permanentAfter) << c.reason;
  }
  EXPECT_TRUE(cameraWords(0, QString()).words.isEmpty());
  // Words only for what they fit: a codec is no connection trouble.
  EXPECT_EQ(cameraWords(VALKKA_ECODEC,
                        QStringLiteral("open: source-rtsp: rtsp://127.0.0.1:8554/mjpeg: video "
                                       "codec mjpeg is not H.264 or H.265"))
                .words,
            QStringLiteral("Camera's video format is not supported"));
  // A port or path with the digits of a status code is no such status.
  EXPECT_EQ(cameraWords(VALKKA_ECONN, QStringLiteral("open: source-rtsp: rtsp://127.0.0.1:4010/"
                                                     "cam404: connect: Connection refused"))
                .words,
            QStringLiteral("Camera refused the connection"));
}

CameraFeed::Status status(uint32_t state, int error = 0, const char *reason = "") {
  CameraFeed::Status s;
  s.state = state;
  s.error = error;
  s.retryInMs = state == VALKKA_STREAM_RECONNECTING ? 4000 : 0;
  s.reason = QString::fromUtf8(reason);
  return s;
}

TEST(CameraWords, AMissingFileIsFailedNotACountdown) {
  CameraFeed feed(0, 1, QStringLiteral("gate"));
  feed.applyStatus(status(VALKKA_STREAM_RECONNECTING, kCases[4].error, kCases[4].reason));
  EXPECT_EQ(feed.state(), QStringLiteral("failed"));
  EXPECT_EQ(feed.statusText(), QStringLiteral("FAILED: File missing"));
  EXPECT_EQ(feed.reason(), QString::fromUtf8(kCases[4].reason)) << "the line for the tooltip";
  EXPECT_EQ(feed.offlineSince(), 0) << "never live, so not offline since";
}

TEST(CameraWords, AWrongPasswordIsFailedAfterItsAttempts) {
  CameraFeed feed(0, 1, QStringLiteral("door"));
  for (int attempt = 1; attempt < 3; attempt++) {
    feed.applyStatus(status(VALKKA_STREAM_RECONNECTING, kCases[1].error, kCases[1].reason));
    EXPECT_TRUE(feed.statusText().startsWith(QStringLiteral("RECONNECTING in ")))
        << attempt << ": " << feed.statusText().toStdString();
    EXPECT_EQ(feed.words(), QStringLiteral("Wrong user or password"));
  }
  feed.applyStatus(status(VALKKA_STREAM_RECONNECTING, kCases[1].error, kCases[1].reason));
  EXPECT_EQ(feed.statusText(), QStringLiteral("FAILED: Wrong user or password"));
  // The camera streams again (the password fixed on it): a new run of attempts.
  feed.applyStatus(status(VALKKA_STREAM_STREAMING));
  feed.applyStatus(status(VALKKA_STREAM_RECONNECTING, kCases[1].error, kCases[1].reason));
  EXPECT_EQ(feed.state(), QStringLiteral("reconnecting"));
}

TEST(CameraWords, ALiveCameraThatStopsIsOfflineSince) {
  CameraFeed feed(0, 1, QStringLiteral("yard"));
  feed.applyStatus(status(VALKKA_STREAM_STREAMING));
  EXPECT_EQ(feed.offlineSince(), 0);
  const double before = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
  feed.applyStatus(status(VALKKA_STREAM_RECONNECTING, kCases[0].error, kCases[0].reason));
  const double since = feed.offlineSince();
  EXPECT_GE(since, before);
  EXPECT_EQ(feed.words(), QStringLiteral("Camera refused the connection"));
  EXPECT_TRUE(feed.statusText().startsWith(QStringLiteral("RECONNECTING in ")));
  // Later attempts keep the time it went.
  feed.applyStatus(status(VALKKA_STREAM_CONNECTING));
  feed.applyStatus(status(VALKKA_STREAM_RECONNECTING, kCases[5].error, kCases[5].reason));
  EXPECT_EQ(feed.offlineSince(), since);
  EXPECT_EQ(feed.words(), QStringLiteral("Camera does not answer"));
  feed.applyStatus(status(VALKKA_STREAM_STREAMING));
  EXPECT_EQ(feed.offlineSince(), 0);
  EXPECT_TRUE(feed.words().isEmpty());
}

}  // namespace
