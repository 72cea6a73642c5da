/* SPDX-License-Identifier: LGPL-2.1-or-later */
// One camera as the wall sees it: its name and live status for the overlay, and the sink its
// pictures go to. Pictures arrive on core threads (the live decoder, or the playback manager's
// output) and are copied there; playback's go to the tile's QVideoSink at once, live ones wait
// for the wall's beat (flush). Qt shows them on its own thread.
#pragma once

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QSizeF>
#include <QString>
#include <QVideoFrame>
#include <QVideoSink>
#include <QtQml/qqmlregistration.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include <valkka/frame.h>
#include <valkka/live.h>

#include "kept_picture.h"
#include "live_pace.h"
#include "picture_scaler.h"
#include "recorder_status.h"
#include "stream_choice.h"

class CameraFeed : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  Q_PROPERTY(int index READ index CONSTANT)
  Q_PROPERTY(QString name READ name CONSTANT)
  Q_PROPERTY(QString state READ state NOTIFY statusChanged)
  Q_PROPERTY(QString statusText READ statusText NOTIFY statusChanged)
  Q_PROPERTY(QString reason READ reason NOTIFY statusChanged)
  Q_PROPERTY(QString words READ words NOTIFY statusChanged)
  Q_PROPERTY(double offlineSince READ offlineSince NOTIFY statusChanged)
  Q_PROPERTY(double fps READ fps NOTIFY statsChanged)
  Q_PROPERTY(double shownFps READ shownFps NOTIFY statsChanged)
  Q_PROPERTY(double frameTime READ frameTime NOTIFY statsChanged)
  Q_PROPERTY(QVideoSink *videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
  Q_PROPERTY(bool displayed READ displayed WRITE setDisplayed NOTIFY displayedChanged)
  Q_PROPERTY(bool hasSound READ hasSound NOTIFY hasSoundChanged)
  Q_PROPERTY(QSizeF tileSize READ tileSize WRITE setTileSize NOTIFY streamWantedChanged)
  Q_PROPERTY(QSizeF drawSize READ drawSize WRITE setDrawSize NOTIFY drawSizeChanged)
  Q_PROPERTY(QSize pictureSize READ pictureSize NOTIFY pictureSizeChanged)

 public:
  CameraFeed(int index, uint32_t slot, const QString &name, QObject *parent = nullptr);

  int index() const { return index_; }
  uint32_t slot() const { return slot_; }
  QString name() const { return name_; }
  QString state() const { return state_; }
  QString statusText() const { return statusText_; }
  // The technical line of the last error (credentials removed): the tile's tooltip.
  QString reason() const { return reason_; }
  // The error in an operator's words (camera_words.h); "" while streaming or connecting.
  QString words() const { return words_; }
  // Wall-clock ms since which a camera that was live shows nothing live (0: live, or never was).
  double offlineSince() const { return offlineSince_; }
  double fps() const { return fps_; }
  // Pictures handed to the tile per second, over the last second or so (playback's rate: what
  // the tile shows, not what the camera sends).
  double shownFps() const { return shownFps_; }
  // mstime of the newest picture handed to the sink, as last polled by tick() (0: none yet).
  double frameTime() const { return frameTime_; }
  // The same, read now (any thread).
  int64_t shownMstime() const { return shownMs_.load(std::memory_order_relaxed); }
  // Whether that picture is a keyframe's (what a scrub shows).
  bool shownKeyframe() const { return shownKey_.load(std::memory_order_relaxed); }
  // Pictures handed to the sink since start (any thread).
  uint64_t presented() const { return presented_.load(std::memory_order_relaxed); }
  // Frames read from the source and pictures decoded, as the last stats poll saw them.
  uint64_t received() const { return received_; }
  uint64_t decoded() const { return decoded_; }

  QVideoSink *videoSink() const;
  // The picture the tile shows now at the size it was decoded (a copy when the tile draws it
  // scaled, else a reference to the sink's frame); invalid when none. GUI thread (a snapshot's
  // source).
  QVideoFrame shownFrame() const;
  void setVideoSink(QVideoSink *sink);
  // Set by QML: whether the tile is on screen. Hidden tiles are not decoded for display.
  bool displayed() const { return displayed_; }
  void setDisplayed(bool displayed);

  // Set by QML: the tile's picture area. With a substream it picks the stream shown (choice()).
  QSizeF tileSize() const { return tileSize_; }
  void setTileSize(const QSizeF &size);
  // Which of its recorded streams hold frames at the playhead (PlaybackGaps): in playback the
  // tile shows the one that does (StreamChoice::setRecordedAtPlayhead). GUI thread.
  void setRecordedAtPlayhead(bool main, bool sub);
  // Set by QML: the device pixels the tile's VideoOutput covers (its zoom included). Pictures
  // larger than that go to the sink scaled down to it (picture_scaler.h). Read on core threads.
  QSizeF drawSize() const;
  void setDrawSize(const QSizeF &size);
  // The size of the last picture shown as it was decoded (the tile may draw it scaled), as
  // last polled by tick(); empty before the first. GUI thread.
  QSize pictureSize() const { return pictureSize_; }
  // Full-size copies kept for shownFrame(); the test of their reuse reads its count.
  const PicturePool &keptPictures() const { return *kept_; }
  // Main stream or substream: set up by the kiosk, read by the live wall and the test control.
  StreamChoice &choice() { return choice_; }
  const StreamChoice &choice() const { return choice_; }

  // Whether sound of the camera has been seen (live or recorded); any thread reads it.
  bool hasSound() const { return hasSound_.load(std::memory_order_relaxed); }
  // GUI thread: the camera's sound has been seen.
  void setHasSound();

  // Where the tile's pictures come from. Pictures of the other source (a late one from the live
  // decoder after playback took over, or the other way round) are dropped.
  enum class Source { Live, Playback };
  // GUI thread: switches the source and blanks the tile until the new source's first picture.
  void setSource(Source source);

  // valkka_frame_sink_fn for the live decoder's and the playback manager's pictures; `user` is
  // the CameraFeed. Any thread (the core's).
  static int liveSink(void *user, const valkka_frame_t *frame);
  static int playbackSink(void *user, const valkka_frame_t *frame);

  // GUI thread: a status event of the live pipeline (copied off the camera's thread).
  struct Status {
    uint32_t state = 0;
    int error = 0;
    uint32_t retryInMs = 0;
    QString reason;
  };
  void applyStatus(const Status &status);
  // GUI thread: what the recorder of a viewed FS says of the camera. While it says anything, its
  // word is the tile's state, reason and fps, over the viewer's own reading of the recording
  // (but for the viewer's own FAILED: why this tile cannot show the camera).
  void applyRecorder(const RecorderCameraView &view);
  // GUI thread: the camera could not even be added (no plugin, bad URL).
  void setFailed(const QString &reason);
  // GUI thread: counters from valkka_live_get_stats.
  void applyStats(const valkka_stream_stats_t &stats);
  // GUI thread: refreshes the countdown and the polled frame time.
  void tick();
  // GUI thread, on the kiosk's beat (live_pace.h): hands the oldest live picture waiting for it
  // to the tile's sink. Playback's pictures go to the sink at once (present).
  void flush();
  // The live pictures' typical interval in ms (0: not known yet); any thread.
  double liveIntervalMs() const { return liveIntervalMs_.load(std::memory_order_relaxed); }

 signals:
  void statusChanged();
  void statsChanged();
  void videoSinkChanged();
  void displayedChanged();
  void hasSoundChanged();
  // The stream the tile wants changed, or the one it wanted started (the other can stop).
  void streamWantedChanged();
  void drawSizeChanged();
  void pictureSizeChanged();

 private:
  int present(const valkka_frame_t *frame, Source from);
  struct Picture {
    QVideoFrame frame;
    std::shared_ptr<const KeptPicture> kept;  // full size when `frame` is scaled, else null
    bool key = false;
    int64_t mstime = 0;
    uint64_t size = 0;  // as decoded: width << 32 | height
  };
  void showPicture(const Picture &picture);  // under sinkLock_
  void show(const Status &status);
  void countAttempt(uint32_t state);
  bool recorderSpeaks() const;
  void updateStatusText();

  // The tile's state past the core's: the recorder stopped or is not updating (state "recorder_stopped").
  static constexpr uint32_t kRecorderGone = 100;

  const int index_;
  const uint32_t slot_;
  const QString name_;

  QString state_ = QStringLiteral("connecting");
  QString statusText_ = QStringLiteral("CONNECTING");
  QString reason_;
  QString words_;
  double offlineSince_ = 0;
  bool wasLive_ = false;
  int attempts_ = 0;            // reconnect attempts since the camera last streamed
  qint64 recorderRetryAt_ = 0;  // the recorder's retry time last counted as an attempt
  uint32_t stateCode_ = VALKKA_STREAM_CONNECTING;
  QDeadlineTimer retryAt_;
  double fps_ = 0;
  double frameTime_ = 0;
  double shownFps_ = 0;
  QElapsedTimer shownClock_;  // since shownCount_ was taken
  uint64_t shownCount_ = 0;
  uint64_t received_ = 0, decoded_ = 0;
  bool displayed_ = false;
  QSizeF tileSize_;
  Status own_;  // the live pipeline's last status, shown when the recorder says nothing
  RecorderCameraView recorder_;

  // Guards sink_ and source_ against the GUI thread changing them while a core thread hands a
  // picture over.
  mutable std::mutex sinkLock_;
  QVideoSink *sink_ = nullptr;
  Source source_ = Source::Live;
  StreamChoice choice_;         // asked under sinkLock_, so two streams' pictures switch it in turn
  BeatQueue<Picture> waiting_;  // under sinkLock_: live pictures not yet in the sink
  Picture shown_;               // under sinkLock_: the one in the sink
  std::atomic<uint64_t> drawSize_{0};   // width << 32 | height, in device pixels
  std::atomic<uint64_t> shownSize_{0};  // the shown picture's Picture::size
  QSize pictureSize_;
  PictureScaler scaler_;
  const std::shared_ptr<PicturePool> kept_ = std::make_shared<PicturePool>();
  FrameInterval liveInterval_;  // under sinkLock_
  std::atomic<double> liveIntervalMs_{0};
  std::atomic<int64_t> shownMs_{0};
  std::atomic<bool> shownKey_{false};
  std::atomic<uint64_t> presented_{0};
  std::atomic<bool> hasSound_{false};
};
