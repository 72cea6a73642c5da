/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "camera_feed.h"

#include <QDateTime>

#include <cmath>

#include <valkka/error.h>

#include "camera_words.h"

namespace {

// The tile's shown rate is counted over this long.
constexpr qint64 kShownRateMs = 1000;

}  // namespace

CameraFeed::CameraFeed(int index, uint32_t slot, const QString &name, QObject *parent)
    : QObject(parent), index_(index), slot_(slot), name_(name) {
  own_.state = VALKKA_STREAM_CONNECTING;
}

QVideoSink *CameraFeed::videoSink() const {
  std::lock_guard<std::mutex> guard(sinkLock_);
  return sink_;
}

QVideoFrame CameraFeed::shownFrame() const {
  std::shared_ptr<const KeptPicture> kept;
  {
    std::lock_guard<std::mutex> guard(sinkLock_);
    if (!sink_) return {};
    if (!shown_.kept) return sink_->videoFrame();
    kept = shown_.kept;
  }
  return kept->toVideoFrame();  // the copy outside the lock the core's threads take
}

void CameraFeed::setVideoSink(QVideoSink *sink) {
  {
    std::lock_guard<std::mutex> guard(sinkLock_);
    if (sink_ == sink) return;
    if (sink_) disconnect(sink_, nullptr, this, nullptr);
    sink_ = sink;
    shown_ = Picture();
  }
  // The sink belongs to a QML VideoOutput: if it goes first, stop handing it frames. The
  // kiosk stops the core's callbacks before the QML engine goes, so this is a second line.
  if (sink)
    connect(
        sink, &QObject::destroyed, this, [this] { setVideoSink(nullptr); }, Qt::DirectConnection);
  emit videoSinkChanged();
}

void CameraFeed::setHasSound() {
  if (hasSound_.exchange(true)) return;
  emit hasSoundChanged();
}

void CameraFeed::setDisplayed(bool displayed) {
  if (displayed_ == displayed) return;
  displayed_ = displayed;
  emit displayedChanged();
}

int CameraFeed::liveSink(void *user, const valkka_frame_t *frame) {
  return static_cast<CameraFeed *>(user)->present(frame, Source::Live);
}

int CameraFeed::playbackSink(void *user, const valkka_frame_t *frame) {
  return static_cast<CameraFeed *>(user)->present(frame, Source::Playback);
}

void CameraFeed::setTileSize(const QSizeF &size) {
  if (size == tileSize_) return;
  tileSize_ = size;
  if (choice_.setTileSize(size.width(), size.height())) emit streamWantedChanged();
}

void CameraFeed::setRecordedAtPlayhead(bool main, bool sub) {
  if (choice_.setRecordedAtPlayhead(main, sub)) emit streamWantedChanged();
}

QSizeF CameraFeed::drawSize() const {
  const uint64_t packed = drawSize_.load(std::memory_order_relaxed);
  return QSizeF(static_cast<double>(packed >> 32), static_cast<double>(packed & 0xffffffffu));
}

void CameraFeed::setDrawSize(const QSizeF &size) {
  const auto pixels = [](double v) { return v > 0 ? static_cast<uint64_t>(std::ceil(v)) : 0; };
  const uint64_t packed = pixels(size.width()) << 32 | (pixels(size.height()) & 0xffffffffu);
  if (drawSize_.exchange(packed, std::memory_order_relaxed) != packed) emit drawSizeChanged();
}

int CameraFeed::present(const valkka_frame_t *frame, Source from) {
  if (frame->flags & VALKKA_FRAME_DECODE_ONLY) return 0;
  {
    // No tile (or not this source's turn), no copy.
    std::lock_guard<std::mutex> guard(sinkLock_);
    if (!sink_ || source_ != from) return 0;
    bool switched = false;
    if (!choice_.accept(frame, from == Source::Playback, &switched)) return 0;
    if (switched)
      QMetaObject::invokeMethod(this, &CameraFeed::streamWantedChanged, Qt::QueuedConnection);
  }
  // The copy happens here, on the core's thread, outside the lock; the Qt thread only shows it.
  const QSizeF area = drawSize();
  const QVideoFrame picture = scaler_.scaled(frame, area.toSize());
  if (!picture.isValid()) return VALKKA_EINVAL;
  // A snapshot is of the picture as decoded, not as the tile draws it.
  std::shared_ptr<const KeptPicture> kept;
  if (picture.width() != static_cast<int>(frame->width)) kept = kept_->keep(frame);
  std::lock_guard<std::mutex> guard(sinkLock_);
  if (!sink_ || source_ != from) return 0;
  Picture shown{picture, std::move(kept), (frame->flags & VALKKA_FRAME_KEYFRAME) != 0,
                frame->mstime, uint64_t{frame->width} << 32 | frame->height};
  // Playback's pictures go at once: its clock presents every tile's picture of the playhead
  // together (a step, a seek, reverse play), and the readout says that time; a tile a beat
  // behind it would show the picture of another time than the readout.
  if (from == Source::Playback) {
    showPicture(shown);
    return 0;
  }
  liveInterval_.add(frame->mstime);
  liveIntervalMs_.store(liveInterval_.ms(), std::memory_order_relaxed);
  waiting_.push(std::move(shown));
  return 0;
}

void CameraFeed::showPicture(const Picture &picture) {
  if (!sink_) return;
  sink_->setVideoFrame(picture.frame);
  shown_ = picture;
  shownKey_.store(picture.key, std::memory_order_relaxed);
  shownSize_.store(picture.size, std::memory_order_relaxed);
  shownMs_.store(picture.mstime, std::memory_order_relaxed);
  presented_.fetch_add(1, std::memory_order_relaxed);
}

void CameraFeed::flush() {
  std::lock_guard<std::mutex> guard(sinkLock_);
  if (Picture picture; waiting_.pop(&picture)) showPicture(picture);
}

// The recorder's word stands over the viewer's own reading, except the viewer's own failure: a
// tile that cannot show its camera says why, whatever the recorder says of the camera.
bool CameraFeed::recorderSpeaks() const {
  return recorder_.known && (recorder_.recorderGone || own_.state != VALKKA_STREAM_FAILED);
}

// Reconnects count towards an error being for good (camera_words.h); streaming starts afresh.
void CameraFeed::countAttempt(uint32_t state) {
  if (state == VALKKA_STREAM_STREAMING) attempts_ = 0;
  if (state == VALKKA_STREAM_RECONNECTING) attempts_++;
}

void CameraFeed::applyStatus(const Status &status) {
  own_ = status;
  countAttempt(status.state);
  if (!recorderSpeaks()) show(status);
}

void CameraFeed::applyRecorder(const RecorderCameraView &view) {
  const bool had = recorderSpeaks();
  recorder_ = view;
  if (!recorderSpeaks()) {
    if (had) show(own_);  // fps follows with the next stats poll
    return;
  }
  Status said;
  said.state = view.recorderGone ? kRecorderGone : view.state;
  // The recorder's file says the same attempt every second: one per retry time it names.
  if (said.state != VALKKA_STREAM_RECONNECTING || view.retryAtMs != recorderRetryAt_)
    countAttempt(said.state);
  recorderRetryAt_ = said.state == VALKKA_STREAM_RECONNECTING ? view.retryAtMs : 0;
  said.reason = view.reason;
  const qint64 retryIn = view.retryAtMs - QDateTime::currentMSecsSinceEpoch();
  said.retryInMs = view.retryAtMs && retryIn > 0 ? static_cast<uint32_t>(retryIn) : 0;
  show(said);
  fps_ = view.fps;
  emit statsChanged();
}

void CameraFeed::show(const Status &status) {
  const bool streaming = status.state == VALKKA_STREAM_STREAMING;
  const CameraWords said = streaming || status.state == VALKKA_STREAM_CONNECTING
                               ? CameraWords()
                               : cameraWords(status.error, status.reason);
  // An error retrying cannot mend is FAILED, though the core may go on trying.
  const bool forGood = status.state == VALKKA_STREAM_RECONNECTING && said.permanentAfter > 0 &&
                       attempts_ >= said.permanentAfter;
  stateCode_ = forGood ? static_cast<uint32_t>(VALKKA_STREAM_FAILED) : status.state;
  state_ = stateCode_ == kRecorderGone ? QStringLiteral("recorder_stopped")
                                       : QString::fromUtf8(valkka_stream_state_name(stateCode_));
  reason_ = status.reason;
  words_ = said.words;
  if (streaming) wasLive_ = true;
  if (streaming || !wasLive_)
    offlineSince_ = 0;
  else if (offlineSince_ == 0)
    offlineSince_ = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
  retryAt_ = QDeadlineTimer(stateCode_ == VALKKA_STREAM_RECONNECTING ? status.retryInMs : 0);
  updateStatusText();
}

void CameraFeed::setFailed(const QString &reason) {
  Status failed;
  failed.state = VALKKA_STREAM_FAILED;
  failed.reason = reason;
  applyStatus(failed);
}

void CameraFeed::updateStatusText() {
  QString text;
  switch (stateCode_) {
    case VALKKA_STREAM_CONNECTING: text = QStringLiteral("CONNECTING"); break;
    case VALKKA_STREAM_STREAMING: break;
    case VALKKA_STREAM_STALLED: text = QStringLiteral("STALLED"); break;
    case VALKKA_STREAM_RECONNECTING: {
      // Whole seconds, rounded up, so "in 0 s" appears only when the attempt is under way.
      const qint64 left = retryAt_.remainingTime();
      text = left > 0 ? QStringLiteral("RECONNECTING in %1 s").arg((left + 999) / 1000)
                      : QStringLiteral("RECONNECTING");
      break;
    }
    case VALKKA_STREAM_FAILED: {
      // In words when there are any; the technical line is the tile's tooltip either way.
      const QString why = words_.isEmpty() ? reason_ : words_;
      text = why.isEmpty() ? QStringLiteral("FAILED") : QStringLiteral("FAILED: %1").arg(why);
      break;
    }
    case VALKKA_STREAM_ENDED: text = QStringLiteral("ENDED"); break;
    case kRecorderGone: text = recorder_.banner; break;
    default: text = state_.toUpper(); break;
  }
  if (text == statusText_ && stateCode_ != VALKKA_STREAM_RECONNECTING) {
    emit statusChanged();  // the state or reason may still have changed
    return;
  }
  statusText_ = text;
  emit statusChanged();
}

void CameraFeed::applyStats(const valkka_stream_stats_t &stats) {
  if (!recorderSpeaks()) fps_ = stats.fps;
  received_ = stats.frames;
  decoded_ = stats.decoded;
  emit statsChanged();
}

void CameraFeed::tick() {
  if (stateCode_ == VALKKA_STREAM_RECONNECTING) updateStatusText();
  const uint64_t size = shownSize_.load(std::memory_order_relaxed);
  if (const QSize decoded(static_cast<int>(size >> 32), static_cast<int>(size & 0xffffffffu));
      size && decoded != pictureSize_) {
    pictureSize_ = decoded;
    emit pictureSizeChanged();
  }
  // A second's count at least: a tick's handful of pictures would make the rate jitter.
  const uint64_t count = presented();
  if (!shownClock_.isValid()) {
    shownClock_.start();
    shownCount_ = count;
  } else if (const qint64 elapsed = shownClock_.elapsed(); elapsed >= kShownRateMs) {
    shownFps_ = static_cast<double>(count - shownCount_) * 1000.0 / static_cast<double>(elapsed);
    shownCount_ = count;
    shownClock_.restart();
    emit statsChanged();
  }
  const double shown = static_cast<double>(shownMstime());
  if (shown != frameTime_) {
    frameTime_ = shown;
    emit statsChanged();
  }
}

void CameraFeed::setSource(Source source) {
  {
    std::lock_guard<std::mutex> guard(sinkLock_);
    if (source_ == source) return;
    source_ = source;
    shownMs_.store(0, std::memory_order_relaxed);
    // A live picture labelled PLAYBACK (or the reverse) would mislead: blank until the first.
    waiting_.clear();
    shown_ = Picture();
    if (sink_) sink_->setVideoFrame(QVideoFrame());
  }
  tick();
}
